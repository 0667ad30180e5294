"""Drawing pieces for reports: a fast text pen, tables, key figures, headings with bookmarks,
a table of contents whose page numbers are filled in when the document is saved, and
"Page X of Y" footers. Pure layout: no ORM, no HTTP.

Why not platypus Table for everything: a review of 1,000 programmes has some 60,000 table cells,
and Table draws each through a text object (about 0.1 ms a cell). The Grid here lays rows out at a
fixed height and writes each cell as one cached PDF text operator, which is some ten times faster,
and still splits across pages with the header row repeated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from commissioning.reports.pdf.fonts import BOLD, REGULAR

INK = colors.HexColor("#1B1F24")
MUTED = colors.HexColor("#4A5561")  # 7.4:1 on white
ACCENT = colors.HexColor("#1F4E79")  # headings, header rows (white text on it: 8.6:1)
ACCENT_LIGHT = colors.HexColor("#DCE6F0")
ZEBRA = colors.HexColor("#F3F6F9")
RULE = colors.HexColor("#B8C2CC")
GOOD = colors.HexColor("#2E7D32")
WARN = colors.HexColor("#B26A00")
BAD = colors.HexColor("#B3261E")
WHITE = colors.white

ELLIPSIS = "…"


class Pen:
    """Writes text straight into the page's content stream, caching each string's encoded form
    and width (per document: TrueType subsets are numbered as glyphs are first used)."""

    def __init__(self, canv: Canvas):
        self.canv = canv
        self._ops: dict[tuple[str, float, str], str] = {}
        self._widths: dict[tuple[str, float, str], float] = {}

    @classmethod
    def of(cls, canv: Canvas) -> Pen:
        pen = getattr(canv, "_yardstick_pen", None)
        if pen is None:
            pen = canv._yardstick_pen = cls(canv)
        return pen

    def width(self, text: str, font: str = REGULAR, size: float = 8.0) -> float:
        key = (font, size, text)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = pdfmetrics.stringWidth(text, font, size)
        return width

    def text(self, x: float, y: float, text: str, *, font: str = REGULAR, size: float = 8.0, align="left"):
        if not text:
            return
        key = (font, size, text)
        if align != "left":
            width = self._widths.get(key)
            if width is None:
                width = self._widths[key] = pdfmetrics.stringWidth(text, font, size)
            x -= width if align == "right" else width / 2
        ops = self._ops.get(key)
        if ops is None:
            ops = self._ops[key] = self._encode(text, font, size)
        self.canv._code.append(f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm {ops} ET")

    def fit(self, text: str, width: float, font: str = REGULAR, size: float = 8.0) -> str:
        """The text, cut short with an ellipsis if it is wider than width."""
        if self.width(text, font, size) <= width:
            return text
        low, high = 0, len(text)
        while low < high:
            mid = (low + high + 1) // 2
            if self.width(text[:mid].rstrip() + ELLIPSIS, font, size) <= width:
                low = mid
            else:
                high = mid - 1
        return text[:low].rstrip() + ELLIPSIS

    def fill(self, colour):
        """Set the fill colour unless it is already set (the canvas keeps the colour in its saved
        and restored graphics state, as the PDF does)."""
        if self.canv._fillColorObj is not colour:
            self.canv.setFillColor(colour)

    def _encode(self, text: str, font_name: str, size: float) -> str:
        canv = self.canv
        doc = canv._doc
        font = pdfmetrics.getFont(font_name)
        parts = []
        for subset, chunk in font.splitString(text, doc):  # TrueType only (fonts.register)
            parts.append(f"{font.getSubsetInternalName(subset, doc)} {size:g} Tf ({canv._escape(chunk)}) Tj")
        return " ".join(parts)


@dataclass(frozen=True)
class Bar:
    """A cell drawn as a bullet bar: value against a target at 100% (capped at cap)."""

    fraction: float | None
    label: str = ""
    cap: float = 2.0


class Grid(Flowable):
    """A table of plain strings: header row (repeated when the table splits across pages), zebra
    rows, right-aligned figures, optional bold total rows and bullet-bar cells. Text in left-aligned
    columns wraps onto as many lines as it needs (nothing is cut off); a row is as tall as its
    tallest cell, and row_height at least."""

    def __init__(
        self,
        header: list[str],
        rows: list[list],
        widths: list[float],
        align: str,
        *,
        size: float = 8.0,
        row_height: float = 13.0,
        bold_rows: frozenset[int] = frozenset(),
        tone: dict[int, object] | None = None,
        min_rows: int = 2,
        caption: str = "",
        _laid_out: tuple[list, list] | None = None,
    ):
        super().__init__()
        self.header, self.rows, self.widths, self.align = header, rows, widths, align
        self.caption = caption
        self.size, self.row_height, self.bold_rows = size, row_height, bold_rows
        self.tone = tone or {}
        self.min_rows = min_rows
        self.line_height = size * 1.2
        self.caption_height = row_height + 1 if caption else 0
        self._header_lines = [
            wrap_text(text, widths[i] - 6, BOLD, size - 0.5) for i, text in enumerate(header)
        ]
        header_lines = max((len(lines) for lines in self._header_lines), default=1)
        self.header_height = (self._height(header_lines) + 2 if header else 0) + self.caption_height
        if _laid_out is not None:  # the part of a table already laid out, after a split
            self._cells, self._heights = _laid_out
            return
        # Each cell as its lines (a Bar as it is); left-aligned text wraps to its column.
        wrap_widths = [round(w - 6, 2) if a == "l" else None for w, a in zip(widths, align, strict=True)]
        self._cells, self._heights = [], []
        for r, row in enumerate(rows):
            font = BOLD if r in bold_rows else REGULAR
            cells, lines = [], 1
            for value, wrap_width in zip(row, wrap_widths, strict=True):
                if isinstance(value, Bar):
                    cells.append(value)
                    continue
                text = "" if value is None else str(value)
                cell = _wrapped(text, wrap_width, font, size) if wrap_width is not None and text else (text,)
                cells.append(cell)
                lines = max(lines, len(cell))
            self._cells.append(cells)
            self._heights.append(self._height(lines))

    def _height(self, lines: int) -> float:
        return max(self.row_height, self.row_height + (lines - 1) * self.line_height)

    def wrap(self, avail_width, avail_height):
        self.width = sum(self.widths)
        self.height = self.header_height + sum(self._heights)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        room, fit = avail_height - self.header_height, 0
        for height in self._heights:
            if room < height:
                break
            room -= height
            fit += 1
        if fit < min(self.min_rows, len(self.rows)) or fit >= len(self.rows):
            return []
        first, rest = self.rows[:fit], self.rows[fit:]
        bold_first = frozenset(i for i in self.bold_rows if i < fit)
        bold_rest = frozenset(i - fit for i in self.bold_rows if i >= fit)
        tone_first = {i: c for i, c in self.tone.items() if i < fit}
        tone_rest = {i - fit: c for i, c in self.tone.items() if i >= fit}
        kwargs = {"size": self.size, "row_height": self.row_height, "min_rows": self.min_rows}
        later = self.caption if self.caption.endswith("(continued)") else f"{self.caption} (continued)"
        later = later if self.caption else ""
        return [
            Grid(
                self.header,
                first,
                self.widths,
                self.align,
                bold_rows=bold_first,
                tone=tone_first,
                caption=self.caption,
                _laid_out=(self._cells[:fit], self._heights[:fit]),
                **kwargs,
            ),
            Grid(
                self.header,
                rest,
                self.widths,
                self.align,
                bold_rows=bold_rest,
                tone=tone_rest,
                caption=later,
                _laid_out=(self._cells[fit:], self._heights[fit:]),
                **kwargs,
            ),
        ]

    def draw(self):
        canv, pen = self.canv, Pen.of(self.canv)
        size, pad = self.size, 3.0
        lefts = [sum(self.widths[:i]) for i in range(len(self.widths))]
        first_baseline = (self.row_height - size * 0.72) / 2  # from a row's top, one line's offset
        y = self.height
        if self.caption:
            y -= self.caption_height
            pen.fill(INK)
            pen.text(0, y + 4, self.caption, font=BOLD, size=8.5)
        if self.header:
            hh = self.header_height - self.caption_height
            y -= hh
            canv.setFillColor(ACCENT)
            canv.rect(0, y, self.width, hh, stroke=0, fill=1)
            pen.fill(WHITE)
            header_baseline = y + hh - first_baseline - size * 0.72
            for i, lines in enumerate(self._header_lines):
                self._lines_at(pen, lines, lefts[i], header_baseline, i, BOLD, pad, size - 0.5)
        tops, top = [], y
        for height in self._heights:
            tops.append(top)
            top -= height
        canv.setFillColor(ZEBRA)
        for r in range(1, len(self.rows), 2):
            canv.rect(0, tops[r] - self._heights[r], self.width, self._heights[r], stroke=0, fill=1)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.line(0, top, self.width, top)
        # Where each column's text is anchored, and how: the inner loop is some 100,000 cells.
        anchors = [
            (left + width - pad, "right") if a == "r" else (left + width / 2, "centre") if a == "c"
            else (left + pad, "left")
            for left, width, a in zip(lefts, self.widths, self.align, strict=True)
        ]  # fmt: skip
        text, line_height = pen.text, self.line_height
        for r, cells in enumerate(self._cells):
            row_top, height = tops[r], self._heights[r]
            font = BOLD if r in self.bold_rows else REGULAR
            if r in self.bold_rows:
                canv.setStrokeColor(INK)
                canv.setLineWidth(0.6)
                canv.line(0, row_top, self.width, row_top)
            pen.fill(self.tone.get(r, INK))  # (a bar sets its own colours, so set it per row)
            baseline = row_top - self.row_height + (self.row_height - size * 0.72) / 2
            for i, value in enumerate(cells):
                if isinstance(value, Bar):
                    bar_top = row_top - (height - self.row_height) / 2
                    self._bar(value, lefts[i] + pad, bar_top - self.row_height + 3, self.widths[i] - 2 * pad,
                              self.row_height - 6)  # fmt: skip
                    pen.fill(self.tone.get(r, INK))
                    continue
                x, align = anchors[i]
                for n, line in enumerate(value):
                    if line:
                        text(x, baseline - n * line_height, line, font=font, size=size, align=align)

    def _lines_at(self, pen, lines, left, y, column, font, pad, size=None):
        for n, text in enumerate(lines):
            self._cell(pen, text, left, y - n * self.line_height, column, font, pad, size)

    def _cell(self, pen, text, left, y, column, font, pad, size=None):
        if not text:
            return
        size = size or self.size
        if self.align[column] == "r":
            pen.text(left + self.widths[column] - pad, y, text, font=font, size=size, align="right")
        elif self.align[column] == "c":
            pen.text(left + self.widths[column] / 2, y, text, font=font, size=size, align="centre")
        else:
            pen.text(left + pad, y, text, font=font, size=size)

    def _bar(self, bar: Bar, x, y, width, height):
        canv = self.canv
        canv.setFillColor(ACCENT_LIGHT)
        canv.rect(x, y, width, height, stroke=0, fill=1)
        if bar.fraction is not None:
            share = max(0.0, min(bar.fraction, bar.cap)) / bar.cap
            canv.setFillColor(GOOD if bar.fraction >= 1 else (WARN if bar.fraction >= 0.5 else BAD))
            canv.rect(x, y + height * 0.2, width * share, height * 0.6, stroke=0, fill=1)
        canv.setStrokeColor(INK)
        canv.setLineWidth(0.8)
        target_x = x + width / bar.cap
        canv.line(target_x, y - 1, target_x, y + height + 1)


class KeyValues(Flowable):
    """Label and value pairs in two columns; a pair marked wide spans the width and wraps."""

    def __init__(
        self, pairs: list[tuple[str, str, bool]], width: float, *, size=8.5, label_width=78.0, split=0.5
    ):
        super().__init__()
        self.pairs, self.avail, self.size, self.label_width = pairs, width, size, label_width
        self.columns = [0.0, width * split]
        self.line = size * 1.45

    def wrap(self, avail_width, avail_height):
        self.width = self.avail
        self._layout()
        self.height = self._rows * self.line + 2
        return self.width, self.height

    def _layout(self):
        """Cells as (column, first line, label, lines): every value wraps (nothing is cut off);
        a row of two pairs is as tall as the taller; a wide pair has the row to itself."""
        self._cells = []
        row, column, row_lines = 0, 0, 1
        for label, value, wide in self.pairs:
            if wide and column == 1:
                row, column, row_lines = row + row_lines, 0, 1
            column_width = self.columns[1] if column == 0 else self.avail - self.columns[1]
            value_width = (self.avail if wide else column_width) - self.label_width - 6
            # One paragraph: a value's own line breaks are spaces here.
            lines = wrap_text(value.replace("\n", " "), value_width, BOLD, self.size)
            self._cells.append((column, row, label, lines))
            row_lines = max(row_lines, len(lines))
            if wide or column == 1:
                row, column, row_lines = row + row_lines, 0, 1
            else:
                column = 1
        self._rows = row + (row_lines if column == 1 else 0)

    def draw(self):
        pen = Pen.of(self.canv)
        pen.fill(MUTED)  # the labels, then the values: one colour change, not two a pair
        for column, row, label, _ in self._cells:
            pen.text(self.columns[column], self._y(row), label, font=REGULAR, size=self.size - 0.5)
        pen.fill(INK)
        for column, row, _, lines in self._cells:
            x, y = self.columns[column] + self.label_width, self._y(row)
            for i, line in enumerate(lines):
                pen.text(x, y - i * self.line, line, font=BOLD, size=self.size)

    def _y(self, row: int) -> float:
        return self.height - (row + 1) * self.line + 3


class Tiles(Flowable):
    """Key figures as tiles: a small label over a large value, with an optional note."""

    def __init__(self, tiles: list[tuple[str, str, str]], width: float, *, per_row=4, tile_height=52.0):
        super().__init__()
        self.tiles, self.avail, self.per_row, self.tile_height = tiles, width, per_row, tile_height

    def wrap(self, avail_width, avail_height):
        rows = (len(self.tiles) + self.per_row - 1) // self.per_row
        self.width, self.height = self.avail, rows * (self.tile_height + 6)
        return self.width, self.height

    def draw(self):
        canv, pen = self.canv, Pen.of(self.canv)
        gap = 6
        tile_width = (self.avail - gap * (self.per_row - 1)) / self.per_row
        for i, (label, value, note) in enumerate(self.tiles):
            row, column = divmod(i, self.per_row)
            x = column * (tile_width + gap)
            y = self.height - (row + 1) * (self.tile_height + gap) + gap
            canv.setFillColor(ZEBRA)
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.5)
            canv.rect(x, y, tile_width, self.tile_height, stroke=1, fill=1)
            canv.setFillColor(ACCENT)
            canv.rect(x, y, 3, self.tile_height, stroke=0, fill=1)
            pen.fill(MUTED)
            pen.text(
                x + 9, y + self.tile_height - 13, pen.fit(label, tile_width - 14, REGULAR, 7.5), size=7.5
            )
            pen.fill(INK)
            pen.text(
                x + 9,
                y + self.tile_height - 32,
                pen.fit(value, tile_width - 14, BOLD, 15),
                font=BOLD,
                size=15,
            )
            if note:
                pen.fill(MUTED)
                pen.text(x + 9, y + 7, pen.fit(note, tile_width - 14, REGULAR, 7), size=7)


class Heading(Flowable):
    """A section (level 0) or programme (level 1) heading: bookmarked, in the PDF outline and
    the table of contents; reports progress as it is drawn."""

    def __init__(self, text: str, key: str, level: int, width: float, *, right: str = "", on_draw=None):
        super().__init__()
        self.text, self.key, self.level, self.avail, self.right = text, key, level, width, right
        self.on_draw = on_draw
        self.size = 16 if level == 0 else 11
        self._keep = True

    def wrap(self, avail_width, avail_height):
        self.width = self.avail
        right_width = pdfmetrics.stringWidth(self.right, REGULAR, 8) + 10 if self.right else 0
        self.lines = wrap_text(self.text, self.width - right_width, BOLD, self.size)
        self.leading = self.size * 1.25
        self.height = self.size * 1.6 + (6 if self.level == 0 else 4) + (len(self.lines) - 1) * self.leading
        return self.width, self.height

    def getSpaceBefore(self):
        return 0 if self.level == 0 else 10

    def getKeepWithNext(self):
        return True

    def draw(self):
        canv, pen = self.canv, Pen.of(self.canv)
        canv.bookmarkPage(self.key, fit="XYZ", top=None)
        canv.addOutlineEntry(self.text, self.key, level=self.level, closed=self.level == 0)
        pages = canv.__dict__.setdefault("_yardstick_pages", {})
        pages[self.key] = canv.getPageNumber()
        y = (6 if self.level == 0 else 4) + 2
        top = y + (len(self.lines) - 1) * self.leading
        pen.fill(ACCENT)
        for i, line in enumerate(self.lines):
            pen.text(0, top - i * self.leading, line, font=BOLD, size=self.size)
        if self.right:
            pen.fill(MUTED)
            pen.text(self.width, top, self.right, size=8, align="right")
        canv.setStrokeColor(ACCENT if self.level == 0 else RULE)
        canv.setLineWidth(1.2 if self.level == 0 else 0.5)
        canv.line(0, 0, self.width, 0)
        if self.on_draw:
            self.on_draw(self.key)


class Note(Flowable):
    """One or more lines of small plain text (wrapped), e.g. footnotes under a table."""

    def __init__(self, text: str, width: float, *, size=7.5, colour=MUTED, font=REGULAR, space_before=3):
        super().__init__()
        self.text, self.avail, self.size, self.colour, self.font = text, width, size, colour, font
        self.space_before = space_before

    def wrap(self, avail_width, avail_height):
        self.width = self.avail
        self.lines = _wrap(self.text, self.avail, self.font, self.size)
        self.height = len(self.lines) * self.size * 1.35 + self.space_before
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return []

    def draw(self):
        pen = Pen.of(self.canv)
        pen.fill(self.colour)
        line_height = self.size * 1.35
        for i, line in enumerate(self.lines):
            pen.text(
                0,
                self.height - self.space_before - (i + 1) * line_height + 2,
                line,
                font=self.font,
                size=self.size,
            )


def wrap_text(text: str, width: float, font: str, size: float) -> list[str]:
    """Greedy word wrap into lines no wider than width (measured before any canvas exists); a
    word wider than a line on its own is broken across lines, so nothing is cut off. Cached: a
    review repeats its providers', streams' and measures' names hundreds of times."""
    return list(_wrapped(text, round(width, 2), font, size))


@lru_cache(maxsize=32768)
def _wrapped(text: str, width: float, font: str, size: float) -> tuple[str, ...]:
    if pdfmetrics.stringWidth(text, font, size) <= width and "\n" not in text:
        return (text,)
    out = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if pdfmetrics.stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                out.append(line)
            line = word
            while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
                cut = _longest_prefix(line, width, font, size)
                out.append(line[:cut])
                line = line[cut:]
        out.append(line)
    return tuple(out)


def _longest_prefix(word: str, width: float, font: str, size: float) -> int:
    low, high = 1, len(word)
    while low < high:
        mid = (low + high + 1) // 2
        if pdfmetrics.stringWidth(word[:mid], font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return low


_wrap = wrap_text


class ContentsPage(Flowable):
    """One page of the table of contents. Titles (wrapped, never cut off), dot leaders and links
    are drawn at once; the page numbers are a form XObject that ReviewCanvas fills in when the
    document is saved, so the document is laid out once (no second pass) however long it is."""

    NUMBER_ROOM = 60.0

    def __init__(self, entries: list[tuple[int, str, str]], index: int, width: float, line=14.0):
        super().__init__()
        self.entries, self.index, self.avail, self.line = entries, index, width, line
        self.wrapped = [(level, self.lines_for(level, text, width), key) for level, text, key in entries]

    @classmethod
    def lines_for(cls, level: int, text: str, width: float) -> list[str]:
        indent = 0 if level == 0 else 14
        font, size = (BOLD, 9.5) if level == 0 else (REGULAR, 8.5)
        return wrap_text(text, width - indent - cls.NUMBER_ROOM, font, size)

    def wrap(self, avail_width, avail_height):
        self.width = self.avail
        self.height = sum(len(lines) for _, lines, _ in self.wrapped) * self.line
        return self.width, self.height

    def draw(self):
        canv, pen = self.canv, Pen.of(self.canv)
        numbers, row = [], 0
        for level, lines, key in self.wrapped:
            indent = 0 if level == 0 else 14
            font, size = (BOLD, 9.5) if level == 0 else (REGULAR, 8.5)
            pen.fill(INK)
            first_y = self.height - (row + 1) * self.line + 4
            for i, line in enumerate(lines):
                pen.text(indent, first_y - i * self.line, line, font=font, size=size)
            y = first_y - (len(lines) - 1) * self.line
            end = indent + pen.width(lines[-1], font, size) + 4
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.6)
            canv.setDash(0.6, 2.4)
            canv.line(end, y, self.width - 34, y)
            canv.setDash()
            canv.linkRect("", key, (0, y - 3, self.width, first_y + size), relative=1, thickness=0)
            numbers.append((y, key, font, size))
            row += len(lines)
        canv.__dict__.setdefault("_yardstick_contents", []).append((self.form_name, self.width, numbers))
        canv.doForm(self.form_name)

    @property
    def form_name(self) -> str:
        return f"YardstickContents{self.index}"


class ReviewCanvas(Canvas):
    """A canvas that, on save, fills in the forms drawn earlier: the contents pages' page
    numbers, the total page count in every footer and any form drawn with draw_form."""

    PAGE_COUNT_FORM = "YardstickPageCount"

    def __init__(self, *args, **kwargs):
        # Every page starts in our (embedded) font, not Helvetica, which would be named unembedded.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or REGULAR
        super().__init__(*args, **kwargs)

    def draw_form(self, name: str, draw) -> None:
        """Draw what draw(canvas) draws as a form XObject, here: its content is written once, when
        the document is saved, and every page that shows it refers to it (the DRAFT mark)."""
        self.__dict__.setdefault("_yardstick_forms", {}).setdefault(name, draw)
        self.doForm(name)

    def save(self):
        if len(self._code):
            self.showPage()
        total = self.getPageNumber() - 1
        pages = getattr(self, "_yardstick_pages", {})
        pen = Pen.of(self)
        for name, draw in getattr(self, "_yardstick_forms", {}).items():
            self.beginForm(name)
            draw(self)
            self.endForm()
        for name, width, numbers in getattr(self, "_yardstick_contents", []):
            self.beginForm(name)
            pen.fill(INK)
            for y, key, font, size in numbers:
                pen.text(width, y, str(pages.get(key, "")), font=font, size=size, align="right")
            self.endForm()
        self.beginForm(self.PAGE_COUNT_FORM)
        pen.fill(MUTED)
        pen.text(0, 0, str(total), size=7.5)
        self.endForm()
        super().save()


class Block(Flowable):
    """Flowables kept together on one page, laid out and drawn as one: platypus's KeepTogether
    does the same, but copies the frame and wraps its content again for every block (some 10 ms
    each; a review has one block per programme). A block that does not fit in what is left of
    the page moves to the next; one taller than a whole page is split into its parts there."""

    def __init__(self, content: list[Flowable]):
        super().__init__()
        self.content = content
        self._wrapped_for = None

    def wrap(self, avail_width, avail_height):
        if self._wrapped_for != avail_width:
            self._layout(avail_width)
        return self.width, self.height

    def _layout(self, avail_width):
        """Each part's offset from the top, spacing merged as platypus merges it in a frame."""
        self._placed, top, width, after = [], 0.0, 0.0, None
        for f in self.content:
            w, h = f.wrapOn(getattr(self, "canv", None), avail_width, 0xFFFFFFF)
            if after is not None:
                top += max(f.getSpaceBefore(), after)
            top += h
            self._placed.append((f, top))
            width, after = max(width, w), f.getSpaceAfter()
        self.width, self.height, self._wrapped_for = width, top, avail_width

    def getSpaceBefore(self):
        return self.content[0].getSpaceBefore() if self.content else 0

    def getSpaceAfter(self):
        return self.content[-1].getSpaceAfter() if self.content else 0

    def split(self, avail_width, avail_height):
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._atTop:
            return list(self.content)  # taller than a page: its parts flow on from here
        return []  # the next page, where it is at the top

    def draw(self):
        for f, bottom in self._placed:
            f.drawOn(self.canv, 0, self.height - bottom)


class SideBySide(Flowable):
    """Two flowables next to each other (neither splits), the left one width left_width."""

    def __init__(self, left: Flowable, right: Flowable, width: float, left_width: float, gap: float = 14.0):
        super().__init__()
        self.left, self.right, self.avail, self.left_width, self.gap = left, right, width, left_width, gap

    def wrap(self, avail_width, avail_height):
        _, self.left_height = self.left.wrap(self.left_width, avail_height)
        _, self.right_height = self.right.wrap(self.avail - self.left_width - self.gap, avail_height)
        self.width, self.height = self.avail, max(self.left_height, self.right_height)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return []

    def draw(self):
        self.left.drawOn(self.canv, 0, self.height - self.left_height)
        self.right.drawOn(self.canv, self.left_width + self.gap, self.height - self.right_height)

"""The PDF funding review: a cover, contents, executive summary, spend against budget, the ranked
value-for-money table, one section per programme and an appendix on method and unit costs.

    pdf_bytes = render(review)           # review: commissioning.reports.content.FundingReview

Pure layout: it takes the gathered figures and returns bytes; no ORM, no HTTP.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Callable
from contextlib import contextmanager

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)

from commissioning.reports.content import FundingReview
from commissioning.reports.pdf import fonts, sections
from commissioning.reports.pdf.flowables import (
    ACCENT,
    BAD,
    INK,
    MUTED,
    RULE,
    WHITE,
    ZEBRA,
    Block,
    ContentsPage,
    Heading,
    Pen,
    ReviewCanvas,
    wrap_text,
)
from commissioning.reports.pdf.fonts import BOLD, REGULAR
from commissioning.reports.pdf.layout import BOTTOM, FRAME_HEIGHT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, TOP, WIDTH
from core.formatting import gbp, long_date

CONTENTS_LINE = 14.0
# The DRAFT mark's colour: (0.70, 0.15, 0.12) at 12% over white, mixed here rather than drawn with
# transparency, so that the mark can be one form XObject (reportlab gives a form no graphics
# states of its own, so a transparent form would draw opaque).
_TINT, _ALPHA = (0.70, 0.15, 0.12), 0.12
DRAFT_TINT = Color(*(1 - _ALPHA + _ALPHA * c for c in _TINT))


Progress = Callable[[float], None]


def render(review: FundingReview, *, progress: Progress | None = None) -> bytes:
    """The review as PDF bytes. progress(fraction) is called as programme sections are drawn."""
    with _collector_paused():
        return _render(review, progress)


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while the document is built. Laying out 1,000
    programmes creates some hundred thousand long-lived objects (flowables, their cells), and
    each object allocated counts towards the next collection, which scans the whole heap (the
    review, Django, pandas): about a quarter of the layout's time (bench/pdf.py). The build
    leaves a few megabytes of cycles, collected as soon as the collector is back on; reference
    counting frees everything else as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _render(review: FundingReview, progress: Progress | None) -> bytes:
    family = fonts.register()
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=f"Funding review: {review.scope_label}",
        author=f"{review.generated_by}, {review.partnership}",
        subject=f"Spend, outcomes and value for money, {review.period_label}",
        creator="Yardstick",
        keywords=["funding review", "value for money", review.period_label],
        lang="en-GB",
        displayDocTitle=True,
    )
    frame = Frame(
        MARGIN,
        BOTTOM,
        WIDTH,
        FRAME_HEIGHT,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                id="cover", frames=[frame], onPage=lambda c, d: _draft_mark(c) if review.is_draft else None
            ),
            PageTemplate(id="body", frames=[frame], onPage=_page_decoration(review)),
        ]
    )
    doc.build(_story(review, progress, family), canvasmaker=ReviewCanvas)
    if progress:
        progress(1.0)
    return out.getvalue()


def _story(review: FundingReview, progress: Progress | None, family: str) -> list[Flowable]:
    chapters = [
        ("summary", "1. Executive summary"),
        ("budget", "2. Spend against budget"),
        ("vfm", "3. Value for money: programmes ranked"),
        ("programmes", "4. Programmes"),
        ("appendix", "Appendix: method, unit costs and sources"),
    ]
    entries: list[tuple[int, str, str]] = []
    for key, title in chapters:
        entries.append((0, title, key))
        if key == "programmes":
            entries.extend(
                (1, f"{p.reference}  {p.title}", sections.section_key(p)) for p in review.programmes
            )

    if not review.programmes:
        return _empty_story(review)
    total = max(len(review.programmes), 1)
    drawn = {"n": 0}

    def on_programme(_key: str) -> None:
        drawn["n"] += 1
        if progress and (drawn["n"] % 25 == 0 or drawn["n"] == total):
            progress(0.1 + 0.85 * drawn["n"] / total)

    story: list[Flowable] = [_Cover(review), NextPageTemplate("body"), PageBreak()]
    story += _contents(entries)
    titles = dict(chapters)
    story += [Heading(titles["summary"], "summary", 0, WIDTH), *sections.summary(review), PageBreak()]
    story += [Heading(titles["budget"], "budget", 0, WIDTH), *sections.budget(review), PageBreak()]
    story += [
        Heading(titles["vfm"], "vfm", 0, WIDTH),
        *sections.ranking(review),
        *sections.green_book(review),
    ]
    story.append(PageBreak())
    story += [Heading(titles["programmes"], "programmes", 0, WIDTH), sections.intro_programmes(review)]
    for section in review.programmes:
        story.append(Block(sections.programme(review, section, on_programme)))
    story += [PageBreak(), Heading(titles["appendix"], "appendix", 0, WIDTH)]
    story += sections.appendix(review, family)
    return story


def _empty_story(review: FundingReview) -> list[Flowable]:
    """A review of a scope with no programmes: the cover and one page that says so."""
    return [
        _Cover(review),
        NextPageTemplate("body"),
        PageBreak(),
        Heading("Nothing to review", "summary", 0, WIDTH),
        *sections.nothing_to_review(review),
    ]


# Cover, contents, page furniture ---------------------------------------------------------------


class _Cover(Flowable):
    def __init__(self, review: FundingReview):
        super().__init__()
        self.review = review

    def wrap(self, avail_width, avail_height):
        self.width, self.height = WIDTH, FRAME_HEIGHT
        return self.width, self.height

    def draw(self):
        canv, pen, r = self.canv, Pen.of(self.canv), self.review
        top = self.height
        label_lines = wrap_text(r.scope_label, WIDTH, REGULAR, 14)
        band = 150 + 17 * (len(label_lines) - 1)
        canv.setFillColor(ACCENT)
        canv.rect(-MARGIN, top - band, PAGE_WIDTH, band + TOP, stroke=0, fill=1)
        pen.fill(WHITE)
        pen.text(0, top - 40, r.partnership.upper(), font=BOLD, size=10)
        pen.text(0, top - 82, "Funding review", font=BOLD, size=30)
        if r.is_draft:
            pen.text(WIDTH, top - 82, "DRAFT", font=BOLD, size=30, align="right")
        for i, line in enumerate(label_lines):
            pen.text(0, top - 110 - 17 * i, line, size=14)
        pen.text(0, top - band + 18, sections.years_phrase(r).capitalize(), size=11)

        y = top - band - 50
        facts = [
            ("Scope", r.scope_label),
            ("Period", sections.years_phrase(r).capitalize()),
            ("Programmes", f"{r.programme_count:,}"),
            ("Total awarded", gbp(r.total_awarded)),
            ("Spent (payments made)", gbp(r.total_spent)),
            ("Spend returned", f"{gbp(r.total_spend_returned)} in {r.period_label}"),
            ("Portfolio benefit-cost ratio", sections.ratio(r.portfolio_bcr)),
            ("Generated", f"{long_date(r.generated_at)} at {r.generated_at:%H:%M}"),
            ("Generated by", r.generated_by),
            (
                "Figures counted",
                "Verified and submitted returns" if r.include_submitted else "Verified returns",
            ),
        ]
        if r.is_draft:
            facts.append(("Status", "DRAFT: " + "; ".join(r.draft_reasons) + "."))
        for label, value in facts:
            lines = wrap_text(value, WIDTH - 150, BOLD, 10.5)
            pen.fill(MUTED)
            pen.text(0, y, label, size=9.5)
            pen.fill(BAD if label == "Status" else INK)
            for i, line in enumerate(lines):
                pen.text(150, y - 13 * i, line, font=BOLD, size=10.5)
            y -= 13 * (len(lines) - 1)
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.4)
            canv.line(0, y - 7, WIDTH, y - 7)
            y -= 24

        box_top, box_height = 190, 170
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(1)
        canv.setFillColor(ZEBRA)
        canv.rect(0, box_top - box_height, WIDTH, box_height, stroke=1, fill=1)
        pen.fill(ACCENT)
        pen.text(12, box_top - 22, "Sign-off", font=BOLD, size=11)
        pen.fill(MUTED)
        pen.text(
            12,
            box_top - 38,
            "Not for sign-off while it is a draft."
            if r.is_draft
            else "Checked against the ledger and approved for the partnership board.",
            size=8.5,
        )
        rows = [("Finance officer", box_top - 75), ("Chair, commissioning group", box_top - 130)]
        for role, line_y in rows:
            pen.fill(INK)
            pen.text(12, line_y + 14, role, font=BOLD, size=9)
            canv.setStrokeColor(INK)
            canv.setLineWidth(0.5)
            for x0, x1, label in ((12, 200, "Name"), (215, 390, "Signature"), (405, WIDTH - 12, "Date")):
                canv.line(x0, line_y - 12, x1, line_y - 12)
                pen.fill(MUTED)
                pen.text(x0, line_y - 22, label, size=7.5)
        pen.fill(MUTED)
        pen.text(
            0,
            4,
            "Produced by Yardstick from the partnership's programme, return and review records.",
            size=7.5,
        )


def _contents(entries: list[tuple[int, str, str]]) -> list[Flowable]:
    story: list[Flowable] = [Heading("Contents", "contents", 0, WIDTH)]
    room = int((FRAME_HEIGHT - 40) // CONTENTS_LINE)  # lines on the first page, then a whole page
    chunks: list[list[tuple[int, str, str]]] = [[]]
    for entry in entries:
        lines = len(ContentsPage.lines_for(entry[0], entry[1], WIDTH))
        if lines > room and chunks[-1]:
            chunks.append([])
            room = int(FRAME_HEIGHT // CONTENTS_LINE)
        chunks[-1].append(entry)
        room -= lines
    for i, chunk in enumerate(chunks):
        if i:
            story.append(PageBreak())
        story.append(Spacer(1, 6) if i == 0 else Spacer(1, 0))
        story.append(ContentsPage(chunk, i, WIDTH, CONTENTS_LINE))
    story.append(PageBreak())
    return story


# DRAFT drawn as strokes, not text: a mark for the eye that text extraction (and a screen reader)
# does not read into the figures; the header says "DRAFT" in words on every page.
_DRAFT_STROKES = {
    "D": [[(0, 0), (0, 1), (0.3, 1), ("c", (0.62, 1), (0.62, 0), (0.3, 0)), (0, 0)]],
    "R": [
        [(0, 0), (0, 1), (0.35, 1), ("c", (0.62, 1), (0.62, 0.5), (0.35, 0.5)), (0, 0.5)],
        [(0.25, 0.5), (0.6, 0)],
    ],
    "A": [[(0, 0), (0.3, 1), (0.6, 0)], [(0.11, 0.36), (0.49, 0.36)]],
    "F": [[(0.6, 1), (0, 1), (0, 0)], [(0, 0.52), (0.45, 0.52)]],
    "T": [[(0, 1), (0.6, 1)], [(0.3, 1), (0.3, 0)]],
}


def _draft_mark(canv: ReviewCanvas) -> None:
    """DRAFT across the page in a light tint, under the page's content: one form, drawn once and
    shown on every page (a thousand pages of curves otherwise)."""
    canv.draw_form("YardstickDraft", _draw_draft_mark)


def _draw_draft_mark(canv) -> None:
    height, advance = 95.0, 0.85
    word = "DRAFT"
    canv.saveState()
    canv.setStrokeColor(DRAFT_TINT)
    canv.setLineWidth(13)
    canv.setLineJoin(1)
    canv.setLineCap(1)
    canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canv.rotate(45)
    canv.translate(-height * (advance * len(word) - 0.25) / 2, -height / 2)
    for i, letter in enumerate(word):
        for stroke in _DRAFT_STROKES[letter]:
            path = canv.beginPath()
            x0 = i * advance
            (sx, sy), *rest = stroke
            path.moveTo((x0 + sx) * height, sy * height)
            for point in rest:
                if point[0] == "c":
                    (ax, ay), (bx, by), (cx, cy) = point[1:]
                    path.curveTo(
                        (x0 + ax) * height,
                        ay * height,
                        (x0 + bx) * height,
                        by * height,
                        (x0 + cx) * height,
                        cy * height,
                    )
                else:
                    path.lineTo((x0 + point[0]) * height, point[1] * height)
            canv.drawPath(path, stroke=1, fill=0)
    canv.restoreState()


def _page_decoration(review: FundingReview):
    draft = "DRAFT · " if review.is_draft else ""
    header_left = f"{draft}{review.partnership} · Funding review"
    header_right = f"{sections.SCOPE_NOUN[review.scope_kind].capitalize()} · {review.period_label}"
    footer_left = f"Generated on {long_date(review.generated_at)} at {review.generated_at:%H:%M}"

    def decorate(canv, doc):
        pen = Pen.of(canv)
        canv.saveState()
        top = PAGE_HEIGHT - TOP + 12
        pen.fill(MUTED)
        pen.text(MARGIN, top, header_left, font=BOLD, size=7.5)
        pen.text(PAGE_WIDTH - MARGIN, top, header_right, size=7.5, align="right")
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, top - 5, PAGE_WIDTH - MARGIN, top - 5)
        bottom = BOTTOM - 22
        canv.line(MARGIN, bottom + 10, PAGE_WIDTH - MARGIN, bottom + 10)
        pen.text(MARGIN, bottom, footer_left, size=7.5)
        label = f"Page {canv.getPageNumber()} of "
        x = PAGE_WIDTH - MARGIN - pen.width("Page 0000 of 0000", REGULAR, 7.5)
        pen.text(x, bottom, label, size=7.5)
        canv.translate(x + pen.width(label, REGULAR, 7.5), bottom)
        canv.doForm(ReviewCanvas.PAGE_COUNT_FORM)
        canv.restoreState()
        if review.is_draft:
            _draft_mark(canv)

    return decorate


__all__ = ["render"]

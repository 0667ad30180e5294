"""The PDF funding review: a cover, contents, executive summary, spend against budget, the ranked
value-for-money table, one section per programme and an appendix on method and unit costs.

    pdf_bytes = render(review)           # review: commissioning.reports.content.FundingReview

Pure layout: it takes the gathered figures and returns bytes; no ORM, no HTTP.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib.pagesizes import A4
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)

from commissioning.reports.content import FundingReview
from commissioning.reports.pdf import fonts, sections
from commissioning.reports.pdf.flowables import (
    ACCENT,
    INK,
    MUTED,
    RULE,
    WHITE,
    ZEBRA,
    ContentsPage,
    Heading,
    Pen,
    ReviewCanvas,
)
from commissioning.reports.pdf.fonts import BOLD, REGULAR
from commissioning.reports.pdf.layout import BOTTOM, FRAME_HEIGHT, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, TOP, WIDTH
from core.formatting import gbp, long_date

CONTENTS_LINE = 14.0


Progress = Callable[[float], None]


def render(review: FundingReview, *, progress: Progress | None = None) -> bytes:
    """The review as PDF bytes. progress(fraction) is called as programme sections are drawn."""
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
            PageTemplate(id="cover", frames=[frame], onPage=lambda c, d: None),
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
    story += [Heading(titles["vfm"], "vfm", 0, WIDTH), *sections.ranking(review), PageBreak()]
    story += [Heading(titles["programmes"], "programmes", 0, WIDTH), sections.intro_programmes(review)]
    for section in review.programmes:
        story.append(KeepTogether(sections.programme(review, section, on_programme)))
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
        canv.setFillColor(ACCENT)
        canv.rect(-MARGIN, top - 150, PAGE_WIDTH, 150 + TOP, stroke=0, fill=1)
        pen.fill(WHITE)
        pen.text(0, top - 40, r.partnership.upper(), font=BOLD, size=10)
        pen.text(0, top - 82, "Funding review", font=BOLD, size=30)
        pen.text(0, top - 110, pen.fit(r.scope_label, WIDTH, REGULAR, 14), size=14)
        pen.text(0, top - 132, sections.years_phrase(r).capitalize(), size=11)

        y = top - 200
        facts = [
            ("Scope", r.scope_label),
            ("Period", r.period_label),
            ("Programmes", f"{r.programme_count:,}"),
            ("Total awarded", gbp(r.total_awarded)),
            ("Spend returned", gbp(r.total_spent)),
            ("Portfolio benefit-cost ratio", sections.ratio(r.portfolio_bcr)),
            ("Generated", f"{long_date(r.generated_at)} at {r.generated_at:%H:%M}"),
            ("Generated by", r.generated_by),
            (
                "Figures counted",
                "Verified and submitted returns" if r.include_submitted else "Verified returns",
            ),
        ]
        for label, value in facts:
            pen.fill(MUTED)
            pen.text(0, y, label, size=9.5)
            pen.fill(INK)
            pen.text(150, y, pen.fit(value, WIDTH - 150, BOLD, 10.5), font=BOLD, size=10.5)
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
            12, box_top - 38, "Checked against the ledger and approved for the partnership board.", size=8.5
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
    first = int((FRAME_HEIGHT - 40) // CONTENTS_LINE)
    per_page = int(FRAME_HEIGHT // CONTENTS_LINE)
    chunks, start, size = [], 0, first
    while start < len(entries):
        chunks.append(entries[start : start + size])
        start, size = start + size, per_page
    for i, chunk in enumerate(chunks):
        if i:
            story.append(PageBreak())
        story.append(Spacer(1, 6) if i == 0 else Spacer(1, 0))
        story.append(ContentsPage(chunk, i, WIDTH, CONTENTS_LINE))
    story.append(PageBreak())
    return story


def _page_decoration(review: FundingReview):
    header_left = f"{review.partnership} · Funding review"
    footer_left = f"Generated by {review.generated_by} on {long_date(review.generated_at)}"

    def decorate(canv, doc):
        pen = Pen.of(canv)
        canv.saveState()
        top = PAGE_HEIGHT - TOP + 12
        pen.fill(MUTED)
        pen.text(MARGIN, top, header_left, font=BOLD, size=7.5)
        right = pen.fit(review.scope_label, WIDTH / 2, REGULAR, 7.5)
        pen.text(PAGE_WIDTH - MARGIN, top, right, size=7.5, align="right")
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN, top - 5, PAGE_WIDTH - MARGIN, top - 5)
        bottom = BOTTOM - 22
        canv.line(MARGIN, bottom + 10, PAGE_WIDTH - MARGIN, bottom + 10)
        pen.text(MARGIN, bottom, pen.fit(footer_left, WIDTH - 110, REGULAR, 7.5), size=7.5)
        label = f"Page {canv.getPageNumber()} of "
        x = PAGE_WIDTH - MARGIN - pen.width("Page 0000 of 0000", REGULAR, 7.5)
        pen.text(x, bottom, label, size=7.5)
        canv.translate(x + pen.width(label, REGULAR, 7.5), bottom)
        canv.doForm(ReviewCanvas.PAGE_COUNT_FORM)
        canv.restoreState()

    return decorate


__all__ = ["render"]

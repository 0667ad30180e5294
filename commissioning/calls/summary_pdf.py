"""The assessment summary PDF each bidder receives when a lot's award is recommended: its own
scores per criterion with the assessors' reasons, the recommended bid's scores, and its rank.
Pure layout (reportlab): fed plain figures by commissioning.calls.selectors.summary_figures."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


@dataclass
class CriterionLine:
    name: str
    weight: int
    score: str  # the final (moderated or mean) score, "3.50"
    winner_score: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class SummaryFigures:
    call: str
    lot: str
    bidder: str
    winner: str
    rank: str  # "2 of 3", or "not ranked (excluded: ...)"
    standstill_ends: str
    lines: list[CriterionLine]
    totals: list[tuple[str, str, str]]  # (figure, this bid, the recommended bid)


def render(figures: SummaryFigures) -> bytes:
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"Assessment summary: {figures.bidder}",
                            leftMargin=18 * mm, rightMargin=18 * mm)  # fmt: skip
    story = [
        Paragraph(f"Assessment summary: {figures.call}", styles["Title"]),
        Paragraph(f"{figures.lot}. Bidder: {figures.bidder}. Rank: {figures.rank}.", body),
        Paragraph(
            f"Recommended bid: {figures.winner}. "
            f"The standstill ends at the end of {figures.standstill_ends}.",
            body,
        ),  # fmt: skip
        Spacer(1, 4 * mm),
        Paragraph(
            "Scores per criterion (0 to 5; moderated where assessors differed by 2 or more)",
            styles["Heading2"],
        ),
    ]
    rows = [["Criterion", "Weight", "Your score", "Recommended bid", "Assessors' reasons"]]
    for line in figures.lines:
        reasons = Paragraph("<br/>".join(_escape(r) for r in line.reasons) or "–", small)
        rows.append(
            [Paragraph(_escape(line.name), small), f"{line.weight}%", line.score, line.winner_score, reasons]
        )
    story.append(_table(rows, [45 * mm, 15 * mm, 20 * mm, 25 * mm, 69 * mm]))
    story += [Spacer(1, 4 * mm), Paragraph("Totals", styles["Heading2"])]
    story.append(
        _table([["Figure", "Your bid", "Recommended bid"], *figures.totals], [60 * mm, 40 * mm, 40 * mm])
    )
    doc.build(story)
    return buffer.getvalue()


def _table(rows, widths) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

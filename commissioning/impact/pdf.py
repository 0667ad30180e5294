"""An impact report as a PDF (reportlab), drawn from the same ReportView as the page and the API.
Pure layout: a ReportView in, bytes out."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from commissioning.impact.presentation import ReportView
from commissioning.reports.pdf import fonts
from commissioning.reports.pdf.flowables import ACCENT, INK, MUTED, RULE, ZEBRA

WIDTH = A4[0] - 40 * mm


def render(view: ReportView) -> bytes:
    fonts.register()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=view.title,
        author="Yardstick",
        subject=f"Matched-comparison impact report {view.report_id}",
        creator="Yardstick",
        lang="en-GB",
        displayDocTitle=True,
    )
    body = ParagraphStyle(
        "body", fontName=fonts.REGULAR, fontSize=10, leading=14, textColor=INK, spaceAfter=6
    )
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=MUTED)
    h1 = ParagraphStyle("h1", parent=body, fontName=fonts.BOLD, fontSize=17, leading=21, textColor=ACCENT)
    h2 = ParagraphStyle("h2", parent=body, fontName=fonts.BOLD, fontSize=12.5, leading=16, spaceBefore=10)
    lead = ParagraphStyle("lead", parent=body, fontSize=12, leading=17)

    def p(text: str, style=body) -> Paragraph:
        return Paragraph(escape(text), style)

    story = [p(view.title, h1)]
    if view.synthetic:
        story.append(p("Synthetic data: generated for the demonstration, not real people.", small))
    story += [
        p(
            f"{view.programme_reference} {view.programme_title}. Measure: {view.measure_name}. "
            f"Comparison pool: {view.pool_name}. Report {view.report_id}, {view.status.lower()}.",
            small,
        ),
        p("Headline", h2),
        p(view.headline, lead),
    ]
    if view.has_estimate:
        story.append(
            _table(
                [
                    ["Figure", "Value"],
                    ["Matched cohort", view.cohort_outcome],
                    ["Matched comparison group", view.comparison_outcome],
                    ["Difference (cohort minus comparison)", view.difference],
                    ["95% confidence interval", view.interval],
                    ["p-value", view.p_value],
                ],
                [0.6, 0.4],
                body,
            )
        )
    story.append(p("What you can and cannot say", h2))
    box = [[p("You can say", ParagraphStyle("b", parent=body, fontName=fonts.BOLD))]]
    box += [[p(f"• {line}")] for line in view.can_say] or [[p("Nothing yet.")]]
    box += [[p("You cannot say", ParagraphStyle("b2", parent=body, fontName=fonts.BOLD))]]
    box += [[p(f"• {line}")] for line in view.cannot_say]
    say = Table(box, colWidths=[WIDTH])
    say.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.5, ACCENT), ("LEFTPADDING", (0, 0), (-1, -1), 8)]))
    story.append(say)
    story.append(p("Match funnel", h2))
    story.append(_table([["Step", "People"], *[[c.label, c.text] for c in view.funnel]], [0.7, 0.3], body))
    story.append(p("Balance: standardised mean differences", h2))
    story.append(
        p(
            "Difference in means between the cohort and the comparison group in standard deviations; "
            "0.1 or more (either way) is flagged with an asterisk (*).",
            small,
        )
    )
    rows = [["Covariate", "Before matching", "After matching"]]
    for line in view.balance:
        rows.append(
            [
                line.label,
                line.before + (" *" if line.flagged_before else ""),
                line.after + (" *" if line.flagged_after else ""),
            ]
        )
    story.append(_table(rows, [0.5, 0.25, 0.25], body))
    story += [
        p("Method", h2),
        p(view.method + ". Covariates: " + ", ".join(view.covariates) + "."),
        p(view.suppression_note, small),
    ]
    doc.build(story)
    return out.getvalue()


def _table(rows: list[list[str]], widths: list[float], style: ParagraphStyle) -> Table:
    cells = [[Paragraph(escape(str(c)), style) for c in row] for row in rows]
    table = Table(cells, colWidths=[w * WIDTH for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), ZEBRA),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TEXTCOLOR", (0, 0), (-1, -1), colors.black),
            ]
        )
    )
    return table

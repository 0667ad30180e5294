"""The funding review's charts (reportlab.graphics): value-for-money bands, budgets by funding
stream, awards by primary priority. Pure layout."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String

from commissioning.reports.content import FundingReview
from commissioning.reports.pdf.flowables import (
    ACCENT,
    ACCENT_LIGHT,
    GOOD,
    INK,
    MUTED,
    RULE,
    ZEBRA,
    wrap_text,
)
from commissioning.reports.pdf.fonts import BOLD, REGULAR
from commissioning.reports.pdf.layout import WIDTH


def band_chart(r: FundingReview) -> Drawing:
    bands = ["very high", "high", "medium", "low", "poor", "no BCR"]
    counts = dict.fromkeys(bands, 0)
    for line in r.ranked:
        counts[line.bcr_band or "no BCR"] += 1
    drawing = Drawing(WIDTH, 150)
    drawing.add(_chart_title(138, "Programmes by value-for-money band"))
    chart = _hbar(len(bands), 120, 130, WIDTH - 200)
    chart.data = [[counts[b] for b in bands]]
    chart.categoryAxis.categoryNames = [
        b.capitalize() if b != "no BCR" else "No BCR (no cost)" for b in bands
    ]
    chart.bars[0].fillColor = ACCENT
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.dx = REGULAR, 7.5, 8
    chart.barLabels.boxAnchor = "w"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(max(counts.values()), 1) * 1.15
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}" if float(v).is_integer() else ""
    drawing.add(chart)
    return drawing


def budget_chart(r: FundingReview) -> Drawing:
    streams = r.streams[:10]
    names = [_label(s.name) for s in streams]
    height = 40 + max(26, _label_height(names)) * max(len(streams), 1)
    drawing = Drawing(WIDTH, height + 20)
    drawing.add(
        _chart_title(
            height + 8,
            "Budget, awarded and spent by funding stream (£)"
            + (" — the 10 largest" if len(r.streams) > 10 else ""),
        )
    )
    chart = _hbar(len(streams), height - 30, 150, WIDTH - 250)
    chart.data = [
        [float(s.budget or 0) for s in streams],
        [float(s.awarded) for s in streams],
        [float(s.spent) for s in streams],
    ]
    chart.categoryAxis.categoryNames = names
    for i, colour in enumerate([ACCENT_LIGHT, ACCENT, GOOD]):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = ACCENT if i == 0 else None
    chart.valueAxis.labelTextFormat = _axis_money
    drawing.add(chart)
    drawing.add(
        _legend(WIDTH - 85, height - 10, [("Budget", ACCENT_LIGHT), ("Awarded", ACCENT), ("Spent", GOOD)])
    )
    return drawing


def priority_chart(r: FundingReview) -> Drawing:
    priorities = r.priorities[:10]
    names = [_label(p.name) for p in priorities]
    height = 40 + max(20, _label_height(names)) * max(len(priorities), 1)
    drawing = Drawing(WIDTH, height + 20)
    drawing.add(_chart_title(height + 8, "Awarded and spent by primary priority (£)"))
    chart = _hbar(len(priorities), height - 30, 150, WIDTH - 250)
    chart.data = [[float(p.awarded) for p in priorities], [float(p.spent) for p in priorities]]
    chart.categoryAxis.categoryNames = names
    chart.bars[0].fillColor, chart.bars[1].fillColor = ACCENT, GOOD
    chart.valueAxis.labelTextFormat = _axis_money
    drawing.add(chart)
    drawing.add(_legend(WIDTH - 85, height - 10, [("Awarded", ACCENT), ("Spent", GOOD)]))
    return drawing


def _chart_title(y: float, text: str) -> String:
    return String(0, y, text, fontName=BOLD, fontSize=8.5, fillColor=INK)


def _hbar(categories: int, height: float, x: float, width: float) -> HorizontalBarChart:
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = x, 18, width, max(height, 30)
    chart.barSpacing, chart.groupSpacing = 1, 6
    chart.bars.strokeColor = None
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.labels.leading = 9
    chart.categoryAxis.labels.textAnchor = "end"
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.gridStrokeColor = ZEBRA
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.valueMin = 0
    return chart


def _legend(x: float, y: float, items) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.fontName, legend.fontSize = REGULAR, 7.5
    legend.dx = legend.dy = 7
    legend.deltay = 11
    legend.columnMaximum = 5
    legend.colorNamePairs = [(colour, label) for label, colour in items]
    legend.strokeColor = None
    return legend


# Formatting --------------------------------------------------------------------------------------


def _axis_money(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:,.1f}m"
    if value >= 1_000:
        return f"{value / 1_000:,.0f}k"
    return f"{value:,.0f}"


LABEL_WIDTH = 140.0


def _label(text: str) -> str:
    """A category's name wrapped onto as many lines as it needs beside the chart (never cut off)."""
    return "\n".join(wrap_text(text, LABEL_WIDTH, REGULAR, 7.5))


def _label_height(names: list[str]) -> float:
    """Room per category for its tallest wrapped name (9pt a line at 7.5pt), plus a gap."""
    return 9 * max((name.count("\n") + 1 for name in names), default=1) + 6

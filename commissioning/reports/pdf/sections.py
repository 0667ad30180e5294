"""The funding review's sections: executive summary, spend against budget, the ranking, one
section per programme, the appendix. Pure layout: figures in, flowables out."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    LongTable,
    Paragraph,
    Spacer,
    TableStyle,
)

from commissioning.reports.content import NO_DECISION, FundingReview, ProgrammeSection
from commissioning.reports.pdf import charts
from commissioning.reports.pdf.flowables import (
    ACCENT,
    BAD,
    INK,
    MUTED,
    RULE,
    WHITE,
    ZEBRA,
    Bar,
    Grid,
    Heading,
    KeyValues,
    Note,
    SideBySide,
    Tiles,
)
from commissioning.reports.pdf.fonts import BOLD, REGULAR
from commissioning.reports.pdf.layout import WIDTH
from commissioning.reports.tables import percent_of
from commissioning.vfm import flag_label
from core.formatting import gbp, long_date, percent, short_date

SCOPE_NOUN = {"round": "review round", "stream": "funding stream", "year": "financial year"}


def summary(r: FundingReview) -> list[Flowable]:
    counted = "verified and submitted returns" if r.include_submitted else "verified returns"
    intro = (
        f"This review covers {r.programme_count:,} programme{'s' if r.programme_count != 1 else ''} in the "
        f"{SCOPE_NOUN[r.scope_kind]} {r.scope_label.split(': ', 1)[-1]}, over the {years_phrase(r)}. "
        f"Spend returned and outcomes are taken from providers' {counted} as at "
        f"{long_date(r.generated_at)}; spent is the payments made. Value for money is computed by "
        "Yardstick's engine, set out in the appendix, with the unit costs and sources used."
    )
    estimated = r.total_cost - r.total_spend_returned
    spent_share = percent(float(r.total_spent / r.total_awarded)) if r.total_awarded else "–"
    tiles = [
        ("Total awarded", gbp(r.total_awarded), f"{r.programme_count:,} programmes"),
        ("Spent (payments made)", gbp(r.total_spent), f"{spent_share} of the amount awarded"),
        ("Spend returned", gbp(r.total_spend_returned), f"by providers, {r.period_label}"),
        ("Outcomes achieved", _number(r.outcomes_achieved), "all measures, counted returns"),
        (
            "Cost (value for money)",
            gbp(r.total_cost),
            f"incl. {gbp(estimated)} estimated" if estimated > 0 else "all from spend returned",
        ),
        ("Benefit", gbp(r.total_benefit), "net of adjustments (appendix)"),
        ("Portfolio benefit-cost ratio", ratio(r.portfolio_bcr), "total benefit ÷ total cost"),
        ("BCR below 1", f"{r.flag_counts.get('bcr_below_1', 0):,}", "programmes, poor value"),
        ("Missing returns", f"{r.flag_counts.get('missing_returns', 0):,}", "programmes, ended quarters"),
    ]
    decided = sum(n for label, n in r.decisions if label != NO_DECISION)
    decision_rows = [
        [label, f"{n:,}", percent(n / r.programme_count) if r.programme_count else "–"]
        for label, n in r.decisions
    ]
    decision_rows.append(["All programmes", f"{r.programme_count:,}", "100%" if r.programme_count else "–"])
    decisions = Grid(
        ["Decision", "Programmes", "Share"],
        decision_rows,
        [140, 70, 50],
        "lrr",
        bold_rows=frozenset({len(decision_rows) - 1}),
        caption="Programmes by decision",
    )
    notes = [f"{flag_label(flag)} ({n:,})" for flag, n in sorted(r.flag_counts.items()) if n]
    watch = Note(
        "Points to note: "
        + ("; ".join(notes) + "." if notes else "none.")
        + (
            f" Decisions are recorded for {decided:,} of {r.programme_count:,} programmes."
            if r.scope_kind == "round"
            else " Scores and decisions are recorded in review rounds, not shown for this scope."
        ),
        WIDTH - 275,
        size=8.5,
        colour=INK,
        space_before=16,
    )
    return [
        Spacer(1, 8),
        Note(intro, WIDTH, size=9.5, colour=INK, space_before=0),
        Spacer(1, 12),
        Tiles(tiles, WIDTH),
        Spacer(1, 14),
        SideBySide(decisions, watch, WIDTH, 260, gap=15),
        *_round_progress(r),
        Spacer(1, 16),
        charts.band_chart(r),
    ]


def _round_progress(r: FundingReview) -> list[Flowable]:
    """Each round's "not yet scored" and "without a decision", as the round's page counts them."""
    if not r.rounds:
        return []
    text = " ".join(
        f"{'The round' if r.scope_kind == 'round' else 'Review round ' + line.name} "
        f"({line.status.lower()}): {line.unscored:,} of {line.programmes:,} programmes not yet "
        f"scored, {line.undecided:,} without a decision."
        for line in r.rounds
    )
    return [Spacer(1, 6), Note(text, WIDTH, size=8.5, colour=INK, space_before=6)]


def nothing_to_review(r: FundingReview) -> list[Flowable]:
    """The one section of a review whose scope has no programmes."""
    text = (
        f"No programme ran in the {SCOPE_NOUN[r.scope_kind]} {r.scope_label.split(': ', 1)[-1]} "
        f"({years_phrase(r)}), so there is nothing to review: no award, spend, outcome, score or "
        f"decision. This was the position on {long_date(r.generated_at)}."
    )
    return [Spacer(1, 8), Note(text, WIDTH, size=9.5, colour=INK, space_before=0)]


def years_phrase(r: FundingReview) -> str:
    return r.years_phrase


def budget(r: FundingReview) -> list[Flowable]:
    story: list[Flowable] = [Spacer(1, 8)]
    rows = [
        _budget_row(s.name, s.financial_year, s.programmes, s.budget, s.awarded, s.spent) for s in r.streams
    ]
    rows.append(
        _budget_row(
            "All funding streams",
            "",
            sum(s.programmes for s in r.streams),
            sum((s.budget or Decimal(0) for s in r.streams), Decimal(0)),
            sum((s.awarded for s in r.streams), Decimal(0)),
            sum((s.spent for s in r.streams), Decimal(0)),
        )
    )
    story.append(
        Grid(
            ["Funding stream", "Year", "Progs", "Budget", "Awarded", "Available", "Spent", "Spent %"],
            rows,
            [128, 44, 36, 63, 63, 63, 59, 49],
            "llrrrrrr",
            bold_rows=frozenset({len(rows) - 1}),
            caption="By funding stream",
        )
    )
    story.append(
        Note(
            "Each funding stream is one year's budget, shown whole as on the budgets page: awarded is the "
            "awards of all its programmes that are not decommissioned; available is budget − awarded; "
            "spent is the payments made, net of reversals; spent % is spent ÷ budget.",
            WIDTH,
        )
    )
    story += [Spacer(1, 8), charts.budget_chart(r)]

    rows = [
        [p.name, f"{p.programmes:,}", gbp(p.awarded), gbp(p.spent), _share(p.spent, p.awarded)]
        for p in r.priorities
    ]
    awarded = sum((p.awarded for p in r.priorities), Decimal(0))
    spent = sum((p.spent for p in r.priorities), Decimal(0))
    rows.append(
        [
            "All priorities",
            f"{sum(p.programmes for p in r.priorities):,}",
            gbp(awarded),
            gbp(spent),
            _share(spent, awarded),
        ]
    )
    story += [
        CondPageBreak(140),
        Spacer(1, 14),
        Grid(
            ["Primary priority", "Programmes", "Awarded", "Spent", "Spent % of awarded"],
            rows,
            [205, 65, 80, 80, 85],
            "lrrrr",
            bold_rows=frozenset({len(rows) - 1}),
            caption="The review's programmes by primary priority",
        ),
    ]
    story += [Spacer(1, 8), charts.priority_chart(r)]
    return story


def _budget_row(name, year, programmes, budget, awarded, spent) -> list[str]:
    available = None if budget is None else budget - awarded
    return [
        name,
        year,
        f"{programmes:,}",
        gbp(budget),
        gbp(awarded),
        gbp(available),
        gbp(spent),
        _share(spent, budget),
    ]


def _share(part: Decimal, whole: Decimal | None) -> str:
    """part ÷ whole as a percentage to one place, as the budgets page shows it."""
    share = percent_of(part, whole)
    return "–" if share is None else f"{share}%"


def ranking(r: FundingReview) -> list[Flowable]:
    rows, tone = [], {}
    for i, line in enumerate(r.ranked):
        cost = gbp(line.cost) + ("*" if line.cost_estimated else "")
        rows.append(
            [
                str(line.rank),
                line.reference,
                line.title,
                line.provider,
                cost,
                gbp(line.benefit),
                ratio(line.bcr),
                line.bcr_band or "–",
                _composite(line.composite_score, line.criteria_scored, line.criteria_total),
                line.decision or "–",
            ]
        )
        if line.bcr is not None and line.bcr < 1:
            tone[i] = BAD
    header = ["Rank", "Ref", "Programme", "Provider", "Cost", "Benefit", "BCR", "Band", "Score", "Decision"]
    widths = [28, 50, 96, 70, 52, 52, 26, 36, 38, 56]
    return [
        Spacer(1, 6),
        Note(
            "Ranked by benefit-cost ratio (BCR), then by commissioners' composite score (0-100), then "
            "reference. "
            "Cost is spend returned for the period; benefit is after deadweight, attribution and optimism "
            "bias. "
            "A score such as 69.1 (2/5) is from 2 of the rubric's 5 criteria only. "
            "Programmes with a BCR below 1 are shown in red. * cost estimated pro rata from the award "
            "because no "
            "spend was returned.",
            WIDTH,
            size=8,
            colour=INK,
            space_before=0,
        ),
        Spacer(1, 6),
        Grid(header, rows, widths, "rlllrrrlll", size=7.2, row_height=12, tone=tone),
    ]


def price_basis(r: FundingReview) -> str:
    """The sentence every output carries: the price year and the deflator series used."""
    return (
        f"Benefits are in {r.price_year} prices, unit costs uprated with {r.deflator_series}; benefits "
        f"that last beyond a year are discounted at {r.discount_rate:.1%} a year (HM Treasury Green Book)."
    )


def green_book(r: FundingReview) -> list[Flowable]:
    """Who benefits (fiscal benefit by agency, transfers apart) and the portfolio's sensitivity."""
    story: list[Flowable] = [Spacer(1, 10), Note(price_basis(r), WIDTH, size=8, colour=INK, space_before=0)]
    if r.agencies:
        rows = [[a.agency, gbp(a.fiscal), gbp(a.transfers), percent(a.share)] for a in r.agencies]
        rows.append(["All agencies", gbp(r.total_fiscal), gbp(r.total_transfers), "100%"])
        story += [
            Spacer(1, 6),
            Grid(
                ["Agency", "Fiscal benefit", "of which transfers", "Share"],
                rows,
                [200, 90, 90, 50],
                "lrrr",
                bold_rows=frozenset({len(rows) - 1}),
                caption="Who benefits: fiscal benefit by agency, all programmes "
                f"(fiscal return {ratio(r.portfolio_fiscal_return)} per £1 of cost)",
                min_rows=99,
                row_height=12,
            ),
            Note(
                "Transfers (benefit payments saved) count in the fiscal return but not in public value "
                "(the benefit in the BCR): they move money between the state and people, as the Unit Cost "
                "Database's guidance says (E&E1.0). Economic and social value belong to no agency.",
                WIDTH,
                size=7.5,
            ),
        ]
    if r.sensitivity:
        rows = [
            [
                t.label,
                ratio(t.bcr_low),
                ratio(t.central),
                ratio(t.bcr_high),
                Bar(_swing_share(t, r.sensitivity)),
            ]
            for t in r.sensitivity
        ]
        story += [
            Spacer(1, 6),
            Grid(
                [
                    "Assumption (each alone at the ends of its range)",
                    "Low BCR",
                    "Central",
                    "High BCR",
                    "Swing",
                ],
                rows,
                [210, 50, 50, 50, 110],
                "lrrrl",
                caption="Sensitivity of the portfolio BCR: the assumption that moves it most first",
                min_rows=99,
                row_height=12,
            ),
        ]
    return story


def _swing_share(t, lines) -> float:
    widest = max((line.swing or 0) for line in lines) or 1
    return (t.swing or 0) / widest


def intro_programmes(r: FundingReview) -> Flowable:
    return Note(
        "One section per programme, in reference order: who delivers it, the award, spend returned by "
        "quarter, "
        "value for money, outcomes against targets (bar: achieved as a share of target; the line marks 100%, "
        "the bar stops at 200%), commissioners' scores and the decision.",
        WIDTH,
        size=8,
        colour=INK,
        space_before=6,
    )


def programme(r: FundingReview, p: ProgrammeSection, on_draw) -> list[Flowable]:
    band = f" ({p.bcr_band})" if p.bcr_band else ""
    heading = Heading(
        f"{p.reference}  {p.title}",
        section_key(p),
        1,
        WIDTH,
        right=f"Rank {p.rank} of {r.programme_count:,} · BCR {ratio(p.bcr)}{band}",
        on_draw=on_draw,
    )
    facts = KeyValues(
        [
            ("Provider", p.provider, False),
            ("Award", f"{gbp(p.award)} · spent {gbp(p.spent)} (payments made)", False),
            ("Funding stream", p.funding_stream, False),
            ("Runs", f"{short_date(p.start_date)} – {short_date(p.end_date)}", False),
            ("Model", f"{p.model} · {p.status}", False),
            ("Evidence grade", p.evidence_grade or "None recorded", False),
            ("Priorities", "; ".join(p.priorities) or "None recorded", True),
        ],
        WIDTH,
        split=0.56,
    )
    spend_rows, years_total = [], Decimal(0)
    for year in r.financial_years:
        values = [p.spend_by_quarter.get((year, q)) for q in (1, 2, 3, 4)]
        year_total = sum((v for v in values if v is not None), Decimal(0))
        years_total += year_total
        spend_rows.append([year, *[gbp(v) for v in values], gbp(year_total)])
    bold = frozenset()
    if len(r.financial_years) > 1:
        spend_rows.append(["Total", "", "", "", "", gbp(years_total)])
        bold = frozenset({len(spend_rows) - 1})
    spend = Grid(
        ["Year", "Q1", "Q2", "Q3", "Q4", "Total"],
        spend_rows,
        [42, 46, 46, 46, 46, 54],
        "lrrrrr",
        bold_rows=bold,
        caption="Spend returned by quarter",
        min_rows=99,
        row_height=12,
    )
    cost_note = " (estimated)" if p.cost_estimated else ""
    vfm_rows = [
        ["Cost" + cost_note, gbp(p.cost)],
        ["Benefit (public value)", gbp(p.benefit)],
        ["Benefit-cost ratio", f"{ratio(p.bcr)}{band}"],
        ["BCR low to high", f"{ratio(p.bcr_low)} to {ratio(p.bcr_high)}"],
        ["Fiscal return", ratio(p.fiscal_return)],
        ["Overall achievement", percent(p.achievement)],
    ]
    if p.bcr_ci_low is not None:
        vfm_rows.insert(4, ["BCR from impact (95% CI)", f"{ratio(p.bcr_ci_low)} to {ratio(p.bcr_ci_high)}"])
    vfm = Grid([], vfm_rows, [110, 90], "lr", caption="Value for money", min_rows=99, row_height=12)
    story: list[Flowable] = [
        heading,
        Spacer(1, 4),
        facts,
        Spacer(1, 4),
        SideBySide(spend, vfm, WIDTH, 280, 20),
    ]
    if p.measures:
        rows = [
            [
                m.measure + (" †" if m.polarity == "lower" else ""),
                _number(m.target),
                _number(m.achieved),
                percent(m.achievement),
                Bar(m.achievement),
                gbp(m.cost_per_outcome),
                gbp(m.benefit),
            ]
            for m in p.measures
        ]
        story += [
            Spacer(1, 5),
            Grid(
                ["Outcome measure", "Target", "Achieved", "%", "Against target", "Cost/outcome", "Benefit"],
                rows,
                [185, 40, 46, 34, 70, 70, 60],
                "lrrrlrr",
                caption="Outcomes against targets"
                + (
                    " († fewer is better: achievement is target ÷ achieved)"
                    if any(m.polarity == "lower" for m in p.measures)
                    else ""
                ),
                min_rows=99,
                row_height=12,
            ),
        ]
    else:
        story += [Note("No targets or returns recorded for this period.", WIDTH, size=8)]
    if p.against_bid is not None:
        d = p.against_bid
        story += [
            Spacer(1, 5),
            Grid(
                ["Delivery against the bid", "Promised in the bid", "Achieved"],
                [list(line) for line in d.lines()] + [list(line) for line in d.measure_lines()],
                [185, 90, 90],
                "lrr",
                caption=f"Delivery against the bid ({d.call_reference}), over the service period {d.period}",
                min_rows=99,
                row_height=12,
            ),
        ]
    if p.agencies:
        story.append(
            Note(
                "Who benefits (fiscal): "
                + "; ".join(
                    f"{a.agency} {gbp(a.fiscal)}"
                    + (f" (transfers {gbp(a.transfers)})" if a.transfers else "")
                    for a in p.agencies
                )
                + ".",
                WIDTH,
                size=7.5,
                colour=INK,
            )
        )
    measured = [m for m in p.measures if m.measured]
    if measured:
        story.append(
            Note(
                "Measured impact: "
                + "; ".join(
                    f"{m.measure}: {_number(m.effect)} per person ({_number(m.effect_low)} to "
                    f"{_number(m.effect_high)}), {m.cohort:,} matched people, {m.method} "
                    f"(impact report {m.report_id})"
                    for m in measured
                )
                + ". These outcomes replace returns less deadweight.",
                WIDTH,
                size=7.5,
                colour=INK,
            )
        )
    if r.scope_kind == "round":
        story += [Spacer(1, 5), SideBySide(_scores(p), _decision(p), WIDTH, 250, 20)]
    if p.flags:
        story.append(
            Note(
                "Flags: " + "; ".join(flag_label(f) for f in p.flags) + ".",
                WIDTH,
                size=7.5,
                colour=BAD if "bcr_below_1" in p.flags else MUTED,
            )
        )
    story.append(Spacer(1, 8))
    return story


def _scores(p: ProgrammeSection) -> Flowable:
    if not p.scores:
        return Note("Not yet scored by commissioners.", 250, size=8, space_before=14)
    rows = [[s.criterion, f"{s.weight}%", f"{s.mean:.1f}", str(s.scorers)] for s in p.scores]
    rows.append(
        [
            "Composite score (0-100)",
            "",
            _composite(p.composite_score, p.criteria_scored, p.criteria_total),
            "",
        ]
    )
    return Grid(
        ["Criterion", "Weight", "Mean /5", "Scorers"],
        rows,
        [118, 40, 52, 40],
        "lrlr",
        bold_rows=frozenset({len(rows) - 1}),
        caption="Commissioners' mean scores",
        min_rows=99,
        row_height=12,
    )


def _decision(p: ProgrammeSection) -> Flowable:
    d = p.decision
    width = WIDTH - 250 - 20
    if d is None:
        return Note("Decision: none recorded yet.", width, size=8.5, colour=INK, space_before=14)
    text = (
        f"Decision: {d.outcome}\nRationale: {d.rationale}"
        + (f"\nConditions: {d.conditions}" if d.conditions else "")
        + f"\nDecided by {d.decided_by} on {long_date(d.decided_at)}."
    )
    return Note(text, width, size=8.5, colour=INK, space_before=14)


def appendix(r: FundingReview, family: str) -> list[Flowable]:
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=8.5, leading=12, textColor=INK, spaceAfter=5)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, spaceAfter=0)
    small_bold = ParagraphStyle("smallb", parent=small, fontName=BOLD, textColor=WHITE)
    bias = {code: b for code, _, b in r.evidence_grades}
    method = [
        "<b>Cost</b> is spend returned for the period: each programme-quarter counts once, at the largest "
        "spend "
        "figure on its returns. Where no spend at all was returned, cost is the award pro rata to the days "
        "the "
        "programme runs inside the period, and is marked estimated.",
        "<b>Outcomes achieved</b> are the sums of counted return values per measure; <b>achievement</b> is "
        "achieved ÷ target (for a measure where fewer is better, target ÷ achieved). Overall achievement "
        "is the "
        "target-weighted mean over measures, each capped at 200%.",
        "<b>Benefit</b> per measure = outcomes × (1 − deadweight) × attribution × (1 − optimism "
        "bias) × the present value of the value of one outcome: it lasts the measure's persistence, "
        f"losing its drop-off each year, discounted at {r.discount_rate:.1%}. For a fewer-is-better measure "
        "the outcomes are the events avoided below target. Where a published impact report measured the "
        "programme against a matched comparison group, outcomes are its effect × the matched cohort instead "
        "of returns less deadweight, and the BCR is also shown from its 95% interval. Optimism "
        "bias "
        "comes from the programme's evidence grade ("
        + ", ".join(f"{code} {float(b):.0%}" for code, b in bias.items())
        + f"); a programme with no grade takes the most cautious, {r.default_optimism_bias:.0%}.",
        "<b>Public value</b> (the benefit) is fiscal value without transfers, plus economic and social "
        "value; "
        "the <b>fiscal return</b> is all fiscal value (with benefit payments saved) ÷ cost. "
        + escape(price_basis(r))
        + " <b>Low and high BCR</b>: every assumption with a range (deadweight, attribution, optimism "
        "bias, persistence, the measured effect's interval) at its least and most favourable end.",
        "<b>Benefit-cost ratio (BCR)</b> = benefit ÷ cost. Bands: below 1 poor; 1 to 1.5 low; 1.5 to 2 "
        "medium; "
        "2 to 4 high; 4 and above very high. The <b>portfolio BCR</b> is total benefit ÷ total cost. "
        "<b>Cost per outcome</b> = cost ÷ outcomes achieved, for measures where more is better.",
        "<b>Composite score</b>: for each criterion the mean of the commissioners' 0-5 scores, then the "
        "rubric's "
        "weighted mean as a percentage of 5. Programmes are ranked by BCR, then composite score, then "
        "reference.",
        "Money is computed from the returns and rounded to the penny; this document shows whole pounds. "
        "Spent is the payments made to a programme, net of any reversed in error; spend returned is "
        "what its provider reported on outcome returns, which is what cost is measured from.",
    ]
    story: list[Flowable] = [Spacer(1, 8)]
    story += [Paragraph(text, body) for text in method]
    if r.criteria:
        story += [
            Spacer(1, 4),
            Grid(
                ["Criterion", "Weight"],
                [[n, f"{w}%"] for n, w in r.criteria],
                [200, 50],
                "lr",
                caption="Scoring rubric for this round",
                min_rows=99,
            ),
        ]
    header = ["Outcome measure", "Unit", "Unit cost", "Price year", "Deadweight", "Attribution", "Source"]
    rows = [[Paragraph(h, small_bold) for h in header]]
    for u in r.unit_costs:
        rows.append(
            [
                Paragraph(escape(u.measure + (" (fewer is better)" if u.polarity == "lower" else "")), small),
                Paragraph(escape(u.unit), small),
                Paragraph(gbp(u.unit_cost), small),
                Paragraph(u.price_year, small),
                Paragraph(f"{float(u.deadweight):.0%}", small),
                Paragraph(f"{float(u.attribution):.0%}", small),
                Paragraph(escape(u.source) + _lines(u), small),
            ]
        )
    table = LongTable(rows, colWidths=[118, 44, 48, 40, 50, 52, 153], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 7.5),  # else Helvetica, which is never embedded
                ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, ZEBRA]),
                ("LINEBELOW", (0, -1), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    story += [
        Spacer(1, 8),
        Note(
            "Unit costs used (the value of one outcome) and their sources",
            WIDTH,
            size=8.5,
            colour=INK,
            font=BOLD,
            space_before=0,
        ),
        Spacer(1, 3),
        table,
        *(
            [Note(f"Unit cost lines from the {r.unit_cost_attribution}.", WIDTH, size=7.5)]
            if r.unit_cost_attribution
            else []
        ),
        Spacer(1, 10),
        Paragraph(
            f"Typeset in {family} (embedded). Generated by Yardstick on "
            f"{long_date(r.generated_at)} at {r.generated_at:%H:%M} for {escape(r.generated_by)}.",
            small,
        ),
    ]
    return story


def _lines(u) -> str:
    """The cost lines a unit cost is made of, as a list under its source."""
    if not u.cost_lines:
        return ""
    parts = [
        f"{escape(c['code'])} {escape(c['agency'] or '')} {c['kind'].lower()} {gbp(c['value'])} "
        f"({c['price_year']})"
        + (" transfer" if c["transfer"] else "")
        for c in u.cost_lines
    ]
    return (
        "<br/>"
        + "<br/>".join(parts)
        + f"<br/>Persistence {u.persistence_years} yr, drop-off {float(u.drop_off):.0%}"
    )


def section_key(p: ProgrammeSection) -> str:
    return f"programme-{p.programme_id}"


def ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _composite(value: float | None, scored: int, total: int) -> str:
    """The composite score, marked when from some of the criteria only: "69.1 (2/5)"."""
    if value is None:
        return "–"
    return f"{value:.1f} ({scored}/{total})" if 0 < scored < total else f"{value:.1f}"


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

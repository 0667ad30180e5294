"""Demo data for the outcome framework: the Safer Southwark Partnership's rolling plan.

Source: the 2009 revision of the Safer Southwark Partnership rolling plan 2008-12
(../shared/seed/ssp-rolling-plan-2009.md). Idempotent: every row is keyed on a natural key.
"""

from collections import Counter
from decimal import Decimal

from outcomes.demo_unit_costs import LINES, MEASURE_LINES
from outcomes.models import (
    EvidenceGrade,
    Indicator,
    IndicatorYear,
    MeasureCostLine,
    OutcomeMeasure,
    Partnership,
    Plan,
    Priority,
    PriorityAction,
    Theme,
    UnitCostLine,
    Ward,
)
from outcomes.unit_cost_workbook import DATABASE

WARDS = [
    "Brunswick Park", "Camberwell Green", "Cathedrals", "Chaucer", "College", "East Dulwich",
    "East Walworth", "Faraday", "Grange", "Livesey", "Newington", "Nunhead", "Peckham",
    "Peckham Rye", "Riverside", "Rotherhithe", "South Bermondsey", "South Camberwell",
    "Surrey Docks", "The Lane", "Village",
]  # fmt: skip

THEMES = {
    "worklessness": (
        "Worklessness and the economic downturn",
        "Reducing worklessness is an important local priority; every grant-funded programme is "
        "considered against it, as it supports the largest single grant programme.",
    ),
    "regeneration": (
        "Social and physical regeneration",
        "Priorities are considered in the context of the regeneration under way in the borough.",
    ),
}

# 2008 plan: seven priorities with the actions it set ("last year our priorities were").
PLAN_2008 = {
    "serious-violent-crime": ("Serious violent crime", [
        "Targeting delivery of enforcement action on identified gang members and repeat offenders of serious violent crime",
        "Working closely with our communities to ensure confidence in criminal justice agencies",
        "Ensuring that young people convicted of knife crime receive focused interventions to change their behaviour",
        "Increasing young people's safety and their confidence in adult responses to crime and victimisation",
        "Improving the protection of witnesses from the earliest stage of the criminal justice system, including family members and key individuals who are at threat",
        "Supporting community initiatives which break the cycle of violence",
        "Providing high quality support to victims of domestic violence and sexual violence, delivering a holistic response (independent domestic violence advocates [IDVA] model) to meet the need of all sections of Southwark's population",
        "Establish a domestic violence court for Southwark",
        "Improving education to provide people with confidence to challenge inappropriate sexual behaviour",
        "Work with central government and health agencies to increase the number of sexual offence referral centres",
    ]),
    "preventing-youth-crime": ("Preventing youth crime", [
        "Sustainable prevention and diversion activity across statutory and voluntary sector providers, which are flexible and responsive to local issues",
        "Establishing services to support the transition from youth to adult services for vulnerable young adults",
        "Ensuring a good understanding of risks; professionals, parents and carers will know who to approach with their concerns leading to reductions in first time entrants to court",
        "Delivering effective programmes to give key safety messages to young people with shared principles on relationships and responsibility",
        "Co-ordinating our multi-agency interventions in schools using safer schools partnerships and healthy schools partnerships",
        "Work with the YJB to provide appropriate interventions for those individuals who have higher risks of offending",
    ]),
    "anti-social-behaviour": ("Anti social behaviour", [
        "Increasing victim confidence in reporting by improving confidence in the community that issues around anti social behaviour are being dealt with",
        "Working with perpetrators using early intervention and diversion to reduce complaints of ASB",
        "Increasing reporting of anti social behaviour, increasing information sharing and intelligent use of resources",
        "Managing anti social behaviour in areas of transition (see social and physical regeneration)",
    ]),
    "drugs-and-alcohol": ("Drugs and alcohol", [
        "Operate tried and tested young people's substance misuse services as an integrated part of wider children and young people's service provision",
        "Developing a full range of alcohol treatment prevention and intervention services, including early interventions for harmful and hazardous drinking",
        "Channel information received from partners and from the community into work to reduce class A drug use and supply, including the multi-agency crack house work",
        "Developing responsive and accessible treatment services that engage with the changing client profile across the borough",
        "Providing mainstream support and transfer of knowledge and learning to reduce re-offending through the success of criminal justice substance misuse interventions",
    ]),
    "reducing-reoffending": ("Reducing re-offending and protecting the community", [
        "A joint work programme with the LCJB, with agreed priorities and shared resources",
        "Establishing pathways from community reparation and restorative justice to education and training",
        "Focusing our resources to tackle priority crimes for the borough, prolific offending and violent crime, robbery, residential burglary as and when they emerge",
        "Rebalancing the criminal justice system in favour of the victim",
        "Working with the LCJB to expand specialist courts beyond domestic violence",
        "Reshaping mainstream services to provide universal and targeted support for ex-offenders",
        "Continuing to develop specific and enhanced means to address substance misuse that is linked to offending behaviour",
        "Enhancing support for families of offenders as part of Southwark's parenting support programmes",
    ]),
    "social-and-physical-regeneration": ("Social and physical regeneration", [
        "Managing anti social behaviour and crime in areas of transition during regeneration",
    ]),
    "safer-communities": ("Safer communities", [
        "Support for vulnerable adults: strengthen partnership working between the safeguarding adults board and the SSP to share priorities and resources to reduce crime and the fear of crime for vulnerable members of our community",
        "Support for vulnerable people including victims and witnesses, with a focus on hate crime and new work in relation to disability and older people",
        "Preventing violent extremism: strengthening the community response to extreme ideology, in partnership with the Southwark Muslim forum and the emergency planning forum",
    ]),
}  # fmt: skip

# 2009 revision: six priorities for 2009-12 with the revised 2009/10 priority actions.
PLAN_2009 = {
    "serious-violent-crime": ("Serious violent crime", [
        "Increase the number of intensive advocates to work with violent offenders.",
        "To continue to develop the Pathways Scheme in the borough. Pathways is a multi-agency programme of 'focused deterrence' that supports those who wish to exit their gang lifestyle while using robust enforcement techniques against those who continue to engage in serious violence.",
        "Continue to develop a direct dialogue with local communities and partners by expanding our roadshows to community groups, through established events, businesses and to wider partnership agencies",
        "Review and further develop our pilot safe accommodation programme to remove individuals and families from the threat of gang violence.",
        "Establish focused multi agency programmes in local areas, aimed at building community capacity to address gang and weapon violence.",
        "Establish and deliver joint cross border operational programmes to tackle gang and weapon violence.",
    ]),
    "preventing-youth-crime": ("Preventing youth crime", [
        "Continue to tackle the peak times and locations of youth crime, focusing our resources after school. We will establish a priority patrol task force which will cover key school locations",
        "Ensuring that Young Southwark and SSP work is linked and cross referenced by having a single action plan for the Youth crime strategic group incorporating YJB, SSP and police plans.",
        "Ensuring any actions arising from recent inspections are delivered.",
        "Providing authoritative local leadership, engagement and communications around gangs and knife crime to young people and families.",
        "Recommission our drug service provision for young people to enable more young people with substance misuse needs to access treatment and support.",
        "Carrying out further analysis around crime types, times and cohorts to see if more efficient use can be made of our resources",
        "Following the restructuring of youth support and prevention services we will work with Children's Services to implement targeted youth support and integrated youth support services to coordinate provision and reduce first time entrants to the youth justice system (NI 111)",
    ]),
    "anti-social-behaviour": ("Anti social behaviour", [
        "Provide better information for local residents on what is being done to tackle the local issues that affect them the most.",
        "Deliver a multi agency street based team to work in key areas affected by anti social behaviour and criminality.",
        "Improve our support for victims of anti social behaviour, particular in giving witness support and regular feedback.",
        "Implement the new requirements of the Housing Regeneration Act (family intervention tenancies) and establish a local protocol",
        "Focus on areas where there is low reporting and harder to reach groups.",
        "Develop joint working with schools and education services to tackle asb in schools and on school journeys and ensure coordinated intervention with young people. We will establish a priority patrol task force which will cover key school locations at the end of each day.",
    ]),
    "drugs-and-alcohol": ("Drugs and alcohol", [
        "To increase the number of problematic drug users entering and remaining in effective treatment",
        "Develop an expanded and innovative assertive outreach service to work with people misusing drugs and alcohol who have previously been hard to engage in treatment services.",
        "Identify and develop appropriate community-based premises for the Drug Intervention programme to enable increased treatment capacity and significantly improve outcomes for both service users and the wider community",
        "Commission a comprehensive new specialist substance misuse education and treatment service for young people in Southwark.",
        "To further reduce street drinking, dealing and begging by multi agency management of hotspots.",
        "To manage public binge drinking and associated powder cocaine use in night time economy hotspots by targeted multi agency management.",
    ]),
    "reducing-reoffending": ("Reducing re-offending and protecting the community", [
        "To increase the number of problematic drug users entering and remaining in effective treatment",
        "Develop an expanded and innovative assertive outreach service to work with people misusing drugs and alcohol who have previously been hard to engage in treatment services.",
        "Identify and develop appropriate community-based premises for the Drug Intervention programme to enable increased treatment capacity and significantly improve outcomes for both service users and the wider community",
        "Commission a comprehensive new specialist substance misuse education and treatment service for young people in Southwark.",
        "To further reduce street drinking, dealing and begging by multi agency management of hotspots.",
        "To manage public binge drinking and associated powder cocaine use in night time economy hotspots by targeted multi agency management.",
    ]),
    "communities-and-communications": ("Communities and communications", [
        "Use community councils and neighbourhood panels to identify area of improvement where the punishment of community payback can be used for the benefit of local communities",
        "The SSP needs to find local ways of increasing confidence in the criminal justice system and encouraging local people to use it.",
        "There will be a community/localities focus to the communications effort around fear of crime with an emphasis on direct dialogue",
        "The SSP to explore synergies with stronger communities' partnership and develop a joint communications plan.",
        "PVE work will focus on young people and strengthen its work around specific initiatives to challenge extremist ideology particularly in further education establishments",
        "Support the implementation of the policing pledge and consider how to roll out to other services",
    ]),
}  # fmt: skip

# code: (title, unit, polarity, frequency, priorities (2009 slugs), {year: (baseline, target, actual)})
INDICATORS = {
    "NI 15": ("Serious violent crime rate", "rate per 1,000 population", "lower", "quarterly",
              ["serious-violent-crime"],
              {"2008/09": (1.9, 1.8, 1.7), "2009/10": (1.9, 1.7, 1.75), "2010/11": (1.9, 1.6, None)}),
    "NI 16": ("Serious acquisitive crime rate", "rate per 1,000 population", "lower", "quarterly",
              ["reducing-reoffending"],
              {"2008/09": (28.0, 26.5, 23.8), "2009/10": (28.0, 25.0, 24.1), "2010/11": (28.0, 24.0, None)}),
    "NI 17": ("Perceptions of anti-social behaviour", "% of residents", "lower", "biennial",
              ["anti-social-behaviour"], {"2008/09": (24.0, None, 24.0), "2010/11": (24.0, 22.0, None)}),
    "NI 18": ("Adult re-offending rates for those under probation supervision", "% change from predicted rate",
              "lower", "quarterly", ["reducing-reoffending"],
              {"2008/09": (None, None, None), "2009/10": (None, -5.0, -3.1)}),
    "NI 19": ("Rate of proven re-offending by young offenders", "offences per 100 young offenders", "lower",
              "annual", ["preventing-youth-crime", "reducing-reoffending"],
              {"2008/09": (138.0, 130.0, 125.0), "2009/10": (138.0, 125.0, 131.0)}),
    "NI 20": ("Assault with injury crime rate", "rate per 1,000 population", "lower", "quarterly",
              ["serious-violent-crime"],
              {"2008/09": (11.2, 10.8, 10.5), "2009/10": (11.2, 10.4, 10.9), "2010/11": (11.2, 10.0, None)}),
    "NI 21": ("Dealing with local concerns about anti-social behaviour and crime by the local council and police",
              "% of residents who agree", "higher", "biennial",
              ["anti-social-behaviour", "communities-and-communications"],
              {"2008/09": (26.5, None, 26.5), "2010/11": (26.5, 30.0, None)}),
    "NI 32": ("Repeat incidents of domestic violence", "% of MARAC cases that are repeats", "lower", "quarterly",
              ["serious-violent-crime"],
              {"2008/09": (None, 28.0, 19.0), "2009/10": (19.0, 27.0, 18.0), "2010/11": (19.0, 26.0, None)}),
    "NI 40": ("Number of drug users recorded as being in effective treatment", "people", "higher", "quarterly",
              ["drugs-and-alcohol"],
              {"2008/09": (1450, 1624, 1603), "2009/10": (1450, 1690, 1655), "2010/11": (1450, 1750, None)}),
    "NI 111": ("First time entrants to the Youth Justice System aged 10-17", "per 100,000 aged 10-17",
               "lower", "annual", ["preventing-youth-crime"],
               {"2008/09": (2050, 1950, 2110), "2009/10": (2050, 1900, 1880), "2010/11": (2050, 1850, None)}),
    "NI 152": ("Working age people on out of work benefits", "% of working age population", "lower",
               "quarterly", ["communities-and-communications"],
               {"2008/09": (15.4, 15.0, 15.9), "2009/10": (15.4, 15.4, 16.2), "2010/11": (15.4, 15.2, None)}),
    "NI 153": ("Working age people claiming out of work benefits in the worst performing neighbourhoods",
               "% of working age population", "lower", "quarterly", ["communities-and-communications"],
               {"2008/09": (27.9, 27.0, 28.4), "2009/10": (27.9, 27.2, 28.9), "2010/11": (27.9, 27.0, None)}),
}  # fmt: skip

EVIDENCE_GRADES = [
    ("A", "Randomised or strong comparison", "Randomised controlled trial or strong quasi-experimental evaluation.", "0.05", "randomised"),
    ("B", "Comparison group", "Outcomes compared with a matched group or national rates.", "0.20", "matched_comparison"),
    ("C", "Before and after", "Outcomes tracked before and after, with no comparison group.", "0.40", "before_after"),
    ("D", "Anecdotal", "Provider's own records or case studies only.", "0.60", "unevaluated"),
]  # fmt: skip

# Benefits over time and sensitivity (illustrative assumptions, the partnership's own):
# code: (persistence years, drop-off a year, deadweight low, high, attribution low, high, persistence low, high)
GREEN_BOOK = {
    "sustained-job-entries": (2, "0.30", "0.10", "0.30", "0.70", "0.90", 1, 3),
    "job-entries-ex-offenders": (2, "0.40", "0.10", "0.25", "0.60", "0.80", 1, 3),
    "training-completions": (3, "0.20", "0.20", "0.40", "0.50", "0.70", 1, 5),
    "not-reconvicted": (1, "0", "0.35", "0.55", "0.50", "0.70", 1, 2),
    "young-offenders-not-reoffending": (1, "0", "0.30", "0.50", "0.50", "0.70", 1, 2),
    "fte-diverted": (1, "0", "0.25", "0.45", "0.60", "0.80", 1, 2),
    "dv-repeat-victims": (1, "0", "0", "0.10", "0.90", "1", 1, 1),
    "dv-victims-safe": (1, "0", "0.15", "0.35", "0.70", "0.90", 1, 2),
    "gang-exits": (2, "0.50", "0.20", "0.40", "0.50", "0.70", 1, 3),
    "drug-treatment-effective": (1, "0", "0.15", "0.35", "0.60", "0.80", 1, 2),
    "asb-resolved-mediation": (1, "0", "0.20", "0.40", "0.70", "0.90", 1, 1),
}  # fmt: skip

_UCD = "New Economy Unit Cost Database v1.4"
# code: (name, unit, polarity, theme, indicator, unit cost, source line, price year, deadweight, attribution)
MEASURES = {
    "sustained-job-entries": ("Sustained job entries (13 weeks)", "people", "higher", "worklessness", "NI 152",
        "9600", f"{_UCD}: workless claimant (JSA) entering work, fiscal and economic benefit per year (approximate)",
        "2013/14", "0.20", "0.80"),
    "job-entries-ex-offenders": ("Ex-offenders into sustained employment", "people", "higher", "worklessness",
        "NI 18", "12400", f"{_UCD}: offender into work, benefits saved plus reduced reoffending (approximate)",
        "2013/14", "0.15", "0.70"),
    "training-completions": ("Accredited training or volunteering completed", "people", "higher",
        "worklessness", "NI 153", "1850", f"{_UCD}: NVQ level 2 attainment, economic benefit (approximate)",
        "2013/14", "0.30", "0.60"),
    "not-reconvicted": ("Offenders not reconvicted within 12 months", "people", "higher", None, "NI 18",
        "21500", f"{_UCD}: cost of reoffending per offender per year, criminal justice system (approximate)",
        "2013/14", "0.45", "0.60"),
    "young-offenders-not-reoffending": ("Young offenders not reoffending within 12 months", "people", "higher",
        None, "NI 19", "8900", f"{_UCD}: youth reoffending, average cost per young offender (approximate)",
        "2013/14", "0.40", "0.60"),
    "fte-diverted": ("Young people diverted from the youth justice system", "people", "higher", None,
        "NI 111", "3200", f"{_UCD}: first-time entrant to the youth justice system, average cost (approximate)",
        "2013/14", "0.35", "0.70"),
    "dv-repeat-victims": ("Repeat victims of domestic violence", "people", "lower", None, "NI 32",
        "3000", f"{_UCD}: domestic violence, average cost per incident (approximate)", "2013/14", "0", "1"),
    "dv-victims-safe": ("High-risk domestic violence victims made safe", "people", "higher", None, "NI 32",
        "6400", f"{_UCD}: domestic violence, cost of a repeat incident avoided (approximate)", "2013/14",
        "0.25", "0.80"),
    "gang-exits": ("Gang members supported to exit and not reoffending", "people", "higher", None, "NI 15",
        "14000", f"{_UCD}: violence with injury, average cost per incident (approximate)", "2013/14",
        "0.30", "0.60"),
    "drug-treatment-effective": ("Problem drug users in effective treatment (12 weeks)", "people", "higher",
        None, "NI 40", "4800", f"{_UCD}: Class A drug misuse, crime and health costs avoided per user in treatment (approximate)",
        "2013/14", "0.25", "0.70"),
    "asb-resolved-mediation": ("Anti-social behaviour cases resolved by mediation", "cases", "higher",
        "regeneration", "NI 17", "670", f"{_UCD}: anti-social behaviour, cost of an incident to public services (approximate)",
        "2013/14", "0.30", "0.80"),
    "residents-engaged": ("Residents engaged in community safety dialogue", "people", "higher", None, "NI 21",
        "45", "Partnership's own estimate: cost of a comparable consultation response", "2009/10", "0.50",
        "0.50"),
}  # fmt: skip


def load(log=print) -> Counter:
    """Create what is missing of the outcome framework, leaving what exists untouched; return
    counts of rows created per model."""
    created: Counter = Counter()

    def count(model, was_created: bool) -> None:
        if was_created:
            created[model.__name__] += 1

    partnership, new = Partnership.objects.get_or_create(
        slug="safer-southwark",
        defaults={"name": "Safer Southwark Partnership", "area": "London Borough of Southwark",
                  "org_id": "GB-LAE-SWK"},
    )  # fmt: skip
    count(Partnership, new)
    for name in WARDS:
        count(Ward, Ward.objects.get_or_create(partnership=partnership, name=name)[1])
    themes = {}
    for slug, (name, description) in THEMES.items():
        themes[slug], new = Theme.objects.get_or_create(
            partnership=partnership, slug=slug, defaults={"name": name, "description": description}
        )
        count(Theme, new)

    plans = [
        ("2008 original", "2008/09", "2011/12", False, PLAN_2008, "2008/09"),
        ("2009 revision", "2009/10", "2011/12", True, PLAN_2009, "2009/10"),
    ]
    priorities_2009 = {}
    for version, first, last, current, priorities, action_year in plans:
        plan, new = Plan.objects.get_or_create(
            partnership=partnership,
            version=version,
            defaults={"title": "Rolling plan 2008 to 2012", "first_year": first, "last_year": last,
                      "is_current": current},
        )  # fmt: skip
        count(Plan, new)
        for order, (slug, (name, actions)) in enumerate(priorities.items(), start=1):
            priority, new = Priority.objects.get_or_create(
                plan=plan, slug=slug, defaults={"name": name, "order": order}
            )
            count(Priority, new)
            if current:
                priorities_2009[slug] = priority
            for action_order, text in enumerate(actions, start=1):
                _, new = PriorityAction.objects.get_or_create(
                    priority=priority, financial_year=action_year, order=action_order, defaults={"text": text}
                )
                count(PriorityAction, new)

    indicators = {}
    for code, (title, unit, polarity, frequency, slugs, years) in INDICATORS.items():
        indicator, new = Indicator.objects.get_or_create(
            code=code, defaults={"title": title, "unit": unit, "polarity": polarity, "frequency": frequency}
        )
        count(Indicator, new)
        if new:
            indicator.priorities.set([priorities_2009[s] for s in slugs])
        indicators[code] = indicator
        for year, (baseline, target, actual) in years.items():
            _, new = IndicatorYear.objects.get_or_create(
                indicator=indicator,
                financial_year=year,
                defaults={"baseline": _dec(baseline), "target": _dec(target), "actual": _dec(actual),
                          "note": "" if baseline is not None else "Baseline not yet established"},
            )  # fmt: skip
            count(IndicatorYear, new)

    for code, name, description, bias, method in EVIDENCE_GRADES:
        _, new = EvidenceGrade.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "optimism_bias": Decimal(bias),
                "method": method,
            },
        )
        count(EvidenceGrade, new)

    lines = {}
    for line_code, (
        sheet,
        text,
        unit,
        agency,
        detail,
        fiscal,
        economic,
        social,
        rag,
        transfer,
        source,
    ) in LINES.items():
        values = {
            f"{kind}_{part}": (Decimal(value[0]) if part == "value" else value[1])
            if value
            else (None if part == "value" else "")
            for kind, value in (("fiscal", fiscal), ("economic", economic), ("social", social))
            for part in ("value", "price_year")
        }
        lines[line_code], new = UnitCostLine.objects.get_or_create(
            code=line_code,
            defaults={
                "database": DATABASE,
                "theme": sheet,
                "description": text,
                "unit": unit,
                "agency": agency,
                "agency_detail": detail,
                "rag": rag,
                "is_transfer": transfer,
                "source": source,
                **values,
            },
        )
        count(UnitCostLine, new)
    for code, (name, unit, polarity, theme, indicator, cost, source, year, dw, attr) in MEASURES.items():
        years, drop, dw_low, dw_high, attr_low, attr_high, years_low, years_high = GREEN_BOOK.get(
            code, (1, "0", None, None, None, None, None, None)
        )
        measure, new = OutcomeMeasure.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "unit": unit, "polarity": polarity,
                "theme": themes[theme] if theme else None, "indicator": indicators[indicator],
                "unit_cost": Decimal(cost), "unit_cost_source": source, "unit_cost_price_year": year,
                "deadweight": Decimal(dw), "attribution": Decimal(attr),
                "persistence_years": years, "drop_off": Decimal(drop), "deadweight_low": _dec(dw_low),
                "deadweight_high": _dec(dw_high), "attribution_low": _dec(attr_low),
                "attribution_high": _dec(attr_high), "persistence_low": years_low, "persistence_high": years_high,
            },
        )  # fmt: skip
        count(OutcomeMeasure, new)
        for line_code, kind in MEASURE_LINES.get(code, []):
            count(
                MeasureCostLine,
                MeasureCostLine.objects.get_or_create(measure=measure, cost_line=lines[line_code], kind=kind)[
                    1
                ],
            )
    log(f"Outcome framework: {partnership.name}, {len(WARDS)} wards, 2 plans, {len(INDICATORS)} indicators, "
        f"{len(MEASURES)} outcome measures.")  # fmt: skip
    return created


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))

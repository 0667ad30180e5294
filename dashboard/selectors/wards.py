"""Reads for the ward map: programmes, award and verified outcomes per ward of the partnership,
and the wards' boundaries drawn once per process (dashboard.wardmap).

A programme serving several wards is counted in each of them, and its award and verified
outcomes are shared equally between them (to the penny, the pennies left over going to the first
wards by name), so the award column adds up to the total awarded. Programmes with no ward are
borough-wide: a row of their own, not on the map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from functools import lru_cache
from pathlib import Path

from django.db.models import Sum

from core.errors import NotFound
from dashboard import wardmap
from grants.models import MeasureYearTotal, Programme
from grants.selectors import programme_list, programmes_visible_to
from outcomes.models import Ward
from outcomes.selectors import current_plan

BOUNDARIES = Path(__file__).resolve().parent.parent / "geo" / "southwark-wards-2013.geojson"
WARD_NOT_FOUND = "There is no ward with that number."
ZERO = Decimal("0")
PENNY = Decimal("0.01")


@dataclass
class WardRow:
    ward: Ward | None  # None: the borough-wide programmes (no ward)
    programmes: int = 0
    award: Decimal = ZERO
    outcomes: Decimal = ZERO
    band: int = 0  # the map's shading band of its award (dashboard.wardmap.shade)
    drawn: wardmap.DrawnWard | None = None

    @property
    def colour(self) -> str:
        return wardmap.BAND_COLOURS[self.band]

    @property
    def dark(self) -> bool:
        return self.band in wardmap.DARK_BANDS


@dataclass
class WardMap:
    rows: list[WardRow]  # the wards, by name
    borough_wide: WardRow
    canvas: wardmap.Canvas
    bands: list[Decimal]
    programmes: int  # programmes the user may see, each once
    award: Decimal  # their total award: the award column adds up to it
    outcomes: Decimal
    unmapped: list[str] = field(default_factory=list)  # wards with no boundary on the map

    @property
    def legend(self) -> list[wardmap.LegendEntry]:
        return wardmap.legend(self.bands)


@lru_cache(maxsize=1)
def ward_canvas() -> wardmap.Canvas:
    """The partnership's ward boundaries projected once per process."""
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    return wardmap.project(wardmap.shapes_from_geojson(data))


def split(amount: Decimal, parts: int) -> list[Decimal]:
    """`amount` in `parts` equal shares to the penny that add up to it exactly (the pennies left
    over go to the first shares)."""
    share = (amount / parts).quantize(PENNY, rounding=ROUND_DOWN)
    left = int((amount - share * parts) / PENNY)
    return [share + (PENNY if i < left else ZERO) for i in range(parts)]


def _wards_in_scope() -> list[Ward]:
    plan = current_plan()
    wards = Ward.objects.order_by("name")
    return list(wards.filter(partnership_id=plan.partnership_id) if plan else wards)


def _verified_outcomes(programme_ids) -> dict[int, Decimal]:
    rows = (
        MeasureYearTotal.objects.filter(programme_id__in=programme_ids, verified_total__isnull=False)
        .order_by()
        .values("programme_id")
        .annotate(total=Sum("verified_total"))
        .values_list("programme_id", "total")
    )
    return {pk: Decimal(total) for pk, total in rows}


def ward_map(user) -> WardMap:
    """Every ward's programmes, award share and verified outcomes share for the programmes the
    user may see, with the map. Five queries however many programmes or wards."""
    wards = _wards_in_scope()
    visible = programmes_visible_to(user)
    programmes = dict(visible.order_by().values_list("id", "award_amount"))
    links: dict[int, list[int]] = {pk: [] for pk in programmes}
    ward_ids = {w.pk for w in wards}
    for programme_id, ward_id in (
        Programme.wards.through.objects.filter(programme__in=visible, ward_id__in=ward_ids)
        .order_by("ward__name")
        .values_list("programme_id", "ward_id")
    ):
        links[programme_id].append(ward_id)
    outcomes = _verified_outcomes(list(programmes))
    rows = {w.pk: WardRow(w) for w in wards}
    borough_wide = WardRow(None)
    for programme_id, award in programmes.items():
        served = links[programme_id]
        if not served:
            borough_wide.programmes += 1
            borough_wide.award += award
            borough_wide.outcomes += outcomes.get(programme_id, ZERO)
            continue
        for ward_id, award_share, outcome_share in zip(
            served,
            split(award, len(served)),
            split(outcomes.get(programme_id, ZERO), len(served)),
            strict=True,
        ):
            row = rows[ward_id]
            row.programmes += 1
            row.award += award_share
            row.outcomes += outcome_share
    canvas = ward_canvas()
    drawn = {w.name.casefold(): w for w in canvas.wards} | {w.code: w for w in canvas.wards if w.code}
    bands = wardmap.band_bounds([r.award for r in rows.values()])
    for row in rows.values():
        row.drawn = drawn.get(row.ward.code) if row.ward.code else None
        row.drawn = row.drawn or drawn.get(row.ward.name.casefold())
        row.band = wardmap.shade(row.award, bands)
    ordered = sorted(rows.values(), key=lambda r: r.ward.name)
    return WardMap(
        rows=ordered,
        borough_wide=borough_wide,
        canvas=canvas,
        bands=bands,
        programmes=len(programmes),
        award=sum(programmes.values(), ZERO),
        outcomes=sum(outcomes.values(), ZERO),
        unmapped=[r.ward.name for r in ordered if r.drawn is None],
    )


def ward_get_visible(*, user, pk) -> Ward:
    """A ward (reference data every signed-in user may read); NotFound if there is none."""
    ward = Ward.objects.filter(pk=pk).first()
    if ward is None:
        raise NotFound(WARD_NOT_FOUND)
    return ward


def ward_programmes(user, ward: Ward) -> list[dict]:
    """The programmes (visible to the user) serving `ward`, each with its share of the award and
    of the verified outcomes (shared equally among the wards it serves). Four queries."""
    programmes = list(programme_list(user).filter(wards=ward).order_by("reference").prefetch_related("wards"))
    outcomes = _verified_outcomes([p.pk for p in programmes])
    rows = []
    for programme in programmes:
        served = sorted(programme.wards.all(), key=lambda w: w.name)
        index = [w.pk for w in served].index(ward.pk)
        rows.append(
            {
                "programme": programme,
                "wards": len(served),
                "award_share": split(programme.award_amount, len(served))[index],
                "outcomes_share": split(outcomes.get(programme.pk, ZERO), len(served))[index],
            }
        )
    return rows

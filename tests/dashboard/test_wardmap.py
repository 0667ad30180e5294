"""The ward map: the pure projection on hand-worked shapes, the real boundary file, and the
figures per ward (shared so that they add up, scoped to what the user may see)."""

from decimal import Decimal

import pytest

from dashboard import wardmap
from dashboard.selectors import wards as ward_selectors
from outcomes.models import Ward
from tests.factories import OutcomeReturnFactory, PartnershipFactory, PlanFactory, ProgrammeFactory


def _square(x0, y0, size):
    return [[(x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size), (x0, y0)]]


def test_projection_fits_the_canvas_north_up_with_the_aspect_kept():
    data = {
        "type": "FeatureCollection",
        "features": [
            {"properties": {"WD13CD": "E1", "WD13NM": "West"}, "geometry": {"type": "Polygon", "coordinates": _square(0, 0, 1)}},
            {"properties": {"WD13CD": "E2", "WD13NM": "East"}, "geometry": {"type": "MultiPolygon", "coordinates": [_square(1, 0, 1), _square(1, 1, 0.1)]}},
        ],
    }  # fmt: skip
    canvas = wardmap.project(wardmap.shapes_from_geojson(data), width=216, margin=8)

    # at the equator the longitude is not squashed: 2 degrees wide over 200 px, 1.1 degrees high
    assert (canvas.width, canvas.height) == (216, 126)
    west, east = canvas.wards
    assert west.path == "M8.0,118.0L108.0,118.0L108.0,18.0L8.0,18.0L8.0,118.0Z"  # north (y=1) at the top
    assert east.path.count("M") == 2
    assert (west.label_x, west.label_y) == (58.0, 68.0)  # the square's centre
    assert (east.label_x, east.label_y) == (158.0, 68.0)  # the larger polygon's centre


def test_longitude_is_squashed_by_the_cosine_of_the_latitude():
    data = {"type": "FeatureCollection", "features": [
        {"properties": {"WD13NM": "Square"}, "geometry": {"type": "Polygon", "coordinates": _square(0, 59.5, 1)}},
    ]}  # fmt: skip
    canvas = wardmap.project(wardmap.shapes_from_geojson(data), width=100, margin=0)
    assert canvas.height == 200  # a degree of longitude at 60°N is half a degree of latitude


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "Feature"}, "must be a GeoJSON FeatureCollection"),
        ({"type": "FeatureCollection", "features": []}, "has no wards"),
        ({"type": "FeatureCollection", "features": [{"properties": {"WD13NM": "X"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]}, "Feature 0 is a Point"),
        ({"type": "FeatureCollection", "features": [{"properties": {}, "geometry": {"type": "Polygon", "coordinates": _square(0, 0, 1)}}]}, "Feature 0 has no WD13NM"),
    ],
)  # fmt: skip
def test_bad_boundary_files_are_refused_with_a_reason(data, message):
    with pytest.raises(wardmap.BoundaryError, match=message):
        wardmap.shapes_from_geojson(data)


def test_bands_and_shades():
    bounds = wardmap.band_bounds([Decimal("0"), Decimal("100"), Decimal("400")])
    assert bounds == [Decimal("100"), Decimal("200"), Decimal("300")]
    assert [wardmap.shade(Decimal(v), bounds) for v in ("0", "1", "100", "101", "301", "400")] == [
        0,
        1,
        1,
        2,
        4,
        4,
    ]
    assert wardmap.band_bounds([Decimal("0")]) == []
    assert wardmap.band_bounds([Decimal("685833.32")]) == [
        Decimal("200000"),
        Decimal("400000"),
        Decimal("600000"),
    ]
    assert wardmap.band_bounds([Decimal("9")]) == [Decimal("3"), Decimal("6"), Decimal("9")]
    assert [e.text for e in wardmap.legend([Decimal("200000"), Decimal("400000")])] == [
        "Up to £200,000", "£200,000 to £400,000", "Over £400,000",
    ]  # fmt: skip


def test_the_southwark_boundaries_give_21_wards_on_one_canvas():
    canvas = ward_selectors.ward_canvas()
    assert len(canvas.wards) == 21
    assert {w.code for w in canvas.wards} == {f"E05000{n}" for n in range(534, 555)}
    assert all(0 <= w.label_x <= canvas.width and 0 <= w.label_y <= canvas.height for w in canvas.wards)


def test_split_adds_up_to_the_penny():
    assert ward_selectors.split(Decimal("100000.00"), 3) == [
        Decimal("33333.34"),
        Decimal("33333.33"),
        Decimal("33333.33"),
    ]
    assert sum(ward_selectors.split(Decimal("0.05"), 7)) == Decimal("0.05")


@pytest.fixture
def wards_world(org_a, org_b):
    partnership = PartnershipFactory()
    PlanFactory(partnership=partnership, is_current=True)
    peckham = Ward.objects.create(partnership=partnership, name="Peckham")
    livesey = Ward.objects.create(partnership=partnership, name="Livesey")
    Ward.objects.create(partnership=partnership, name="Cathedrals", code="E05000536")
    Ward.objects.create(partnership=partnership, name="Nowhere")  # not on the map
    both = ProgrammeFactory(provider=org_a, award_amount=Decimal("100000.01"))
    both.wards.set([peckham, livesey])
    only = ProgrammeFactory(provider=org_b, award_amount=Decimal("50000"))
    only.wards.set([peckham])
    ProgrammeFactory(provider=org_a, award_amount=Decimal("25000"))  # borough-wide
    OutcomeReturnFactory(programme=both, value=Decimal("9"), status="verified")
    OutcomeReturnFactory(programme=only, value=Decimal("4"), status="submitted")  # not verified: not counted
    return {"both": both, "only": only, "peckham": peckham, "livesey": livesey}


def test_ward_figures_share_award_and_outcomes_and_add_up(
    commissioner, wards_world, django_assert_max_num_queries
):
    ward_selectors.ward_map(commissioner)
    with django_assert_max_num_queries(5):
        result = ward_selectors.ward_map(commissioner)
    by_name = {r.ward.name: r for r in result.rows}
    assert [r.ward.name for r in result.rows] == ["Cathedrals", "Livesey", "Nowhere", "Peckham"]
    assert (by_name["Livesey"].programmes, by_name["Livesey"].award, by_name["Livesey"].outcomes) == (
        1, Decimal("50000.01"), Decimal("4.50"),  # the odd penny: first ward by name
    )  # fmt: skip
    assert (by_name["Peckham"].programmes, by_name["Peckham"].award) == (2, Decimal("100000.00"))
    assert (result.borough_wide.programmes, result.borough_wide.award) == (1, Decimal("25000"))
    assert (
        sum(r.award for r in result.rows) + result.borough_wide.award == result.award == Decimal("175000.01")
    )
    assert by_name["Cathedrals"].drawn.code == "E05000536"  # by code
    assert by_name["Peckham"].drawn.name == "Peckham"  # by name
    assert result.unmapped == ["Nowhere"]
    assert by_name["Peckham"].band == 4 and by_name["Cathedrals"].band == 0


def test_a_provider_sees_only_their_own_programmes_by_ward(provider, wards_world):
    result = ward_selectors.ward_map(provider)
    by_name = {r.ward.name: r for r in result.rows}
    assert (result.programmes, by_name["Peckham"].programmes, by_name["Peckham"].award) == (
        2, 1, Decimal("50000.00"),
    )  # fmt: skip


def test_ward_programmes_show_each_programmes_share(provider, commissioner, wards_world):
    rows = ward_selectors.ward_programmes(commissioner, wards_world["livesey"])
    assert [(r["programme"], r["wards"], r["award_share"], r["outcomes_share"]) for r in rows] == [
        (wards_world["both"], 2, Decimal("50000.01"), Decimal("4.50")),
    ]
    assert [r["programme"] for r in ward_selectors.ward_programmes(provider, wards_world["peckham"])] == [
        wards_world["both"]
    ]

"""The ward map, drawn on the server: ward boundaries (GeoJSON, WGS84 longitude/latitude)
projected onto an SVG canvas. Pure computation: no ORM, no HTTP, no map tiles, so the map works
offline and renders the same in every browser.

The projection is equirectangular about the boundaries' mean latitude (longitude scaled by its
cosine), which over a London borough is within a fraction of a pixel of the Ordnance Survey
grid; the result is fitted to the canvas with a margin, north up, aspect ratio kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

ATTRIBUTION = (
    "Contains Ordnance Survey and Office for National Statistics data © Crown copyright and "
    "database right 2016. Licensed under the Open Government Licence v3.0."
)
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class WardShape:
    code: str
    name: str
    polygons: list[list[Ring]]  # each polygon: its outer ring, then any holes


@dataclass(frozen=True)
class DrawnWard:
    code: str
    name: str
    path: str  # SVG path data
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Canvas:
    width: int
    height: int
    wards: list[DrawnWard]


class BoundaryError(ValueError):
    """The boundary file is not a FeatureCollection of ward polygons."""


def shapes_from_geojson(data: dict, *, code_key: str = "WD13CD", name_key: str = "WD13NM") -> list[WardShape]:
    """The wards of a GeoJSON FeatureCollection of Polygons and MultiPolygons."""
    if data.get("type") != "FeatureCollection":
        raise BoundaryError("The boundary file must be a GeoJSON FeatureCollection.")
    shapes = []
    for index, feature in enumerate(data.get("features", [])):
        properties, geometry = feature.get("properties") or {}, feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            raise BoundaryError(
                f"Feature {index} is a {geometry.get('type')}, not a Polygon or MultiPolygon."
            )
        name = properties.get(name_key)
        if not name:
            raise BoundaryError(f"Feature {index} has no {name_key} (ward name).")
        rings = [[[(float(x), float(y)) for x, y, *_ in ring] for ring in polygon] for polygon in polygons]
        shapes.append(WardShape(code=properties.get(code_key) or "", name=name, polygons=rings))
    if not shapes:
        raise BoundaryError("The boundary file has no wards.")
    return shapes


def project(shapes: list[WardShape], *, width: int = 640, margin: int = 8) -> Canvas:
    """Every ward as SVG path data on a canvas `width` pixels wide (the height follows from the
    shapes' extent), with a point inside each ward's largest polygon for a label."""
    points = [p for shape in shapes for polygon in shape.polygons for ring in polygon for p in ring]
    min_lon, max_lon = min(p[0] for p in points), max(p[0] for p in points)
    min_lat, max_lat = min(p[1] for p in points), max(p[1] for p in points)
    squash = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x, span_y = (max_lon - min_lon) * squash, max_lat - min_lat
    scale = (width - 2 * margin) / span_x if span_x else 1.0
    height = round(span_y * scale + 2 * margin)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return margin + (lon - min_lon) * squash * scale, margin + (max_lat - lat) * scale

    wards = []
    for shape in shapes:
        parts = []
        for polygon in shape.polygons:
            for ring in polygon:
                projected = [xy(lon, lat) for lon, lat in ring]
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in projected) + "Z")
        largest = max(shape.polygons, key=lambda polygon: abs(_area(polygon[0])))
        cx, cy = _centroid(largest[0])
        label_x, label_y = xy(cx, cy)
        wards.append(DrawnWard(shape.code, shape.name, "".join(parts), round(label_x, 1), round(label_y, 1)))
    return Canvas(width=width, height=height, wards=wards)


def _area(ring: Ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def _centroid(ring: Ring) -> tuple[float, float]:
    """The centroid of a simple polygon (the mean of its vertices if it has no area)."""
    area = _area(ring)
    if not area:
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (6 * area), cy / (6 * area)


def shade(value: Decimal, bands: list[Decimal]) -> int:
    """The band (0 = none, then 1 to len(bands)) a ward's value falls in: `bands` are the upper
    bounds of bands 1 to n-1, the last band open-ended."""
    if value <= 0:
        return 0
    for index, bound in enumerate(bands, start=1):
        if value <= bound:
            return index
    return len(bands) + 1


def band_bounds(values: list[Decimal], count: int = 4) -> list[Decimal]:
    """Upper bounds of `count` equal-width bands over the positive values (count - 1 bounds, the
    last band open-ended), the width rounded up to a round figure (1, 2, 2.5 or 5 times a power
    of ten, at least 1); none when nothing is positive."""
    top = max((v for v in values if v > 0), default=Decimal("0"))
    if not top:
        return []
    step = _round_up(top / count)
    return [step * i for i in range(1, count)]


def _round_up(value: Decimal) -> Decimal:
    if value <= 1:
        return Decimal("1")
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for factor in (Decimal("1"), Decimal("2"), Decimal("2.5"), Decimal("5"), Decimal("10")):
        if value <= factor * power:
            return (factor * power).quantize(Decimal("1"), rounding=ROUND_CEILING)
    raise AssertionError("unreachable")


# Band 0 (nothing) light grey, then GOV.UK blue tints getting darker; text on bands 3 and 4 is white.
BAND_COLOURS = ["#f3f2f1", "#d2e2f1", "#8eb8dc", "#5694ca", "#1d70b8"]
DARK_BANDS = {3, 4}


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    text: str


def legend(bounds: list[Decimal]) -> list[LegendEntry]:
    """The legend of the shaded bands above "none": "up to £X", "£X to £Y", ..., "over £Z"."""
    if not bounds:
        return []
    entries = [LegendEntry(BAND_COLOURS[1], f"Up to £{bounds[0]:,.0f}")]
    for index in range(1, len(bounds)):
        entries.append(
            LegendEntry(BAND_COLOURS[index + 1], f"£{bounds[index - 1]:,.0f} to £{bounds[index]:,.0f}")
        )
    entries.append(LegendEntry(BAND_COLOURS[len(bounds) + 1], f"Over £{bounds[-1]:,.0f}"))
    return entries

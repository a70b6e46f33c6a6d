"""The tile map: one tile per province, laid out as the country lies (checked against the
real boundaries in tests/fixtures/published/geo)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from chiso.reports.tilemap import (
    CAPITALS_63,
    SEQUENTIAL,
    TILES_34,
    TILES_63,
    abbreviations,
    tile_map_svg,
    value_classes,
)
from chiso.units.provinces import PROVINCES_63
from chiso.vietnamese import fold
from conftest import published_file


def _key(name: str) -> str:
    return re.sub(
        r"[^a-z]",
        "",
        name.casefold().replace("đ", "d").replace("thành phố", "").replace("tỉnh", ""),
    )


def _points(coords: object) -> list[list[float]]:
    """Every (lon, lat) pair of a GeoJSON geometry's nested coordinate lists."""
    if isinstance(coords, list) and coords and isinstance(coords[0], (int, float)):
        return [coords]
    if isinstance(coords, list):
        return [p for c in coords for p in _points(c)]
    return []


def _centroids() -> dict[str, tuple[float, float]]:
    doc = json.loads(published_file("geo", "vn_provinces_63.geojson").read_text("utf-8"))
    out = {}
    for feature in doc["features"]:
        points = _points(feature["geometry"]["coordinates"])
        lon, lat = np.mean(np.asarray(points, dtype=float), axis=0)
        out[_key(feature["properties"]["name_ascii"])] = (lat, lon)
    return out


def _outlines() -> dict[str, list[list[list[float]]]]:
    """Province (folded name) → the outer rings of its polygons, (lon, lat) pairs."""
    doc = json.loads(published_file("geo", "vn_provinces_63.geojson").read_text("utf-8"))
    out = {}
    for feature in doc["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        out[_key(fold(feature["properties"]["name"]))] = [polygon[0] for polygon in polygons]
    return out


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    """Even–odd rule: a ray to the east crosses the ring an odd number of times."""
    crossings = 0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            crossings += 1
    return crossings % 2 == 1


def _km_to(lon: float, lat: float, ring: list[list[float]]) -> float:
    """Distance to the ring's nearest edge, on a plane tangent at the point (km)."""
    kx, ky = 111.32 * np.cos(np.radians(lat)), 110.57
    a = np.asarray(ring, dtype=float) * (kx, ky)
    b = np.roll(a, -1, axis=0)
    p = np.array([lon * kx, lat * ky])
    edge = b - a
    t = np.clip(((p - a) * edge).sum(axis=1) / np.maximum((edge**2).sum(axis=1), 1e-12), 0, 1)
    return float(np.min(np.hypot(*(p - a - t[:, None] * edge).T)))


def test_every_capital_of_the_tile_map_lies_in_its_province_on_the_real_map() -> None:
    """The tile map's positions are chiso's own (see the module and NOTICE), checked here
    against the geoBoundaries outlines: inside, or within 10 km of a coarse 2008 coast."""
    outlines = _outlines()
    far = {}
    for name, (lat, lon) in CAPITALS_63.items():
        rings = outlines[_key(fold(name))]
        if not any(_inside(lon, lat, ring) for ring in rings):
            far[name] = round(min(_km_to(lon, lat, ring) for ring in rings), 1)
    assert all(km <= 10 for km in far.values()), far
    assert len(far) <= 3, far


def test_every_province_has_its_own_tile() -> None:
    assert sorted(TILES_63) == sorted(PROVINCES_63)
    assert len(set(TILES_63.values())) == 63


def test_tiles_lie_as_the_provinces_do_on_the_real_map() -> None:
    centroids = _centroids()

    def ascii_key(name: str) -> str:
        return _key(fold(name))

    pairs = [
        (TILES_63[p], centroids[ascii_key(p)]) for p in PROVINCES_63 if ascii_key(p) in centroids
    ]
    assert len(pairs) >= 60
    rows = np.array([r for (_, r), _ in pairs], dtype=float)
    cols = np.array([c for (c, _), _ in pairs], dtype=float)
    lats = np.array([lat for _, (lat, _) in pairs])
    lons = np.array([lon for _, (_, lon) in pairs])

    def rank_corr(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.corrcoef(np.argsort(np.argsort(a)), np.argsort(np.argsort(b)))[0, 1])

    assert rank_corr(rows, -lats) > 0.95  # north at the top
    assert rank_corr(cols, lons) > 0.75  # west on the left


def test_the_svg_names_every_province_and_greys_missing_data() -> None:
    svg = tile_map_svg({"Hà Nội": "#1a7f37"}, {"Hà Nội": "Nhóm A"}, "Chỉ số CCHC 2024")
    assert svg.count("<rect") == 63 and 'aria-label="Chỉ số CCHC 2024"' in svg
    assert "Hà Nội: Nhóm A" in svg and "Cà Mau: —" in svg
    assert svg.count('fill="#7b7b7b"') == 62


def test_the_34_province_layout_has_a_tile_each_in_the_order_of_its_parts() -> None:
    from chiso.reports.tilemap import TILES_34
    from chiso.units.provinces import MERGED_34

    assert len(TILES_34) == 34 and len(set(TILES_34.values())) == 34
    parts = [p for old in MERGED_34.values() for p in old]
    assert sorted(parts) == sorted(PROVINCES_63)  # every old province in exactly one new one
    north_to_south = ["Tuyên Quang", "Hà Nội", "Huế", "Hồ Chí Minh", "Cà Mau"]
    rows = [TILES_34[p][1] for p in north_to_south]
    assert rows == sorted(rows) and len(set(rows)) == len(rows)
    svg = tile_map_svg({}, {}, "34 tỉnh, thành phố", tiles=TILES_34)
    assert svg.count("<rect") == 34


def test_colouring_by_value_uses_five_classes_of_equal_width_and_leaves_no_data_grey() -> None:
    colours, legend = value_classes({"A": 60.0, "B": 61.9, "C": 70.0, "D": 80.0, "E": None})
    # classes of width 4 from 60 to 80: 60 and 61.9 share the first, 80 is in the last
    assert colours["A"] == colours["B"] == SEQUENTIAL[0]
    assert colours["C"] == SEQUENTIAL[2] and colours["D"] == SEQUENTIAL[4]
    assert "E" not in colours
    assert [text for _, text in legend][:2] == ["60,00 – 64,00", "64,00 – 68,00"]
    svg = tile_map_svg({"Hà Nội": SEQUENTIAL[0], "Cà Mau": SEQUENTIAL[4]}, {}, "t")
    # labels stay readable: dark text on the palest tile, white on the darkest
    assert re.search(r'fill="#eff3ff"/><text[^>]*fill="#000000"', svg)
    assert re.search(r'fill="#08519c"/><text[^>]*fill="#ffffff"', svg)


def test_the_layout_is_that_of_the_provinces_as_they_were_assessed() -> None:
    from chiso.reports.tilemap import TILES_34, layout_for
    from chiso.units.provinces import MERGED_34

    assert layout_for(PROVINCES_63) is TILES_63
    assert layout_for(MERGED_34) is TILES_34
    assert layout_for([n for n in MERGED_34 if n != "Huế"]) is TILES_34
    assert layout_for(["Hà Nội", "Hải Phòng"], 2024) is TILES_63
    assert layout_for(["Sở Tư pháp"]) is None


@pytest.mark.parametrize("tiles", [TILES_63, TILES_34], ids=["63", "34"])
def test_every_tile_has_a_label_no_other_tile_has(tiles: dict[str, tuple[int, int]]) -> None:
    labels = abbreviations(tiles)
    assert len(set(labels.values())) == len(tiles)
    assert {labels[n] for n in ("Quảng Ninh", "Quảng Ngãi")} == {"QNi", "QNg"}
    assert labels["Cao Bằng"] == "CB"  # a name that shares its initials with none keeps them

"""A true choropleth from boundaries the user supplies (GeoJSON or TopoJSON), coloured by
group. The boundaries stay the user's file; units are matched to features by name
(Vietnamese-aware: NFC, case, "Tỉnh"/"Thành phố" prefixes and dash variants ignored), and
every unmatched unit or feature is reported rather than guessed."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chiso.reports.svg import NO_DATA, esc, labelled_svg

NAME_PROPERTIES = ("name", "ten", "NAME_1", "shapeName", "name_vi", "province")


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFC", name).casefold()
    text = re.sub(r"^(tỉnh|thành phố|tp\.?)\s+", "", text)
    text = text.replace("–", "-").replace("—", "-")
    return re.sub(r"[\s\-]+", " ", text).strip()


@dataclass(frozen=True)
class Feature:
    name: str
    polygons: list[list[list[tuple[float, float]]]]  # polygons → rings → (lon, lat)


def _topojson_features(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Decode TopoJSON (arcs, optional quantisation transform) into GeoJSON-like features."""
    transform = doc.get("transform")
    arcs = []
    for arc in doc["arcs"]:
        points, x, y = [], 0.0, 0.0
        for p in arc:
            if transform:
                x, y = x + p[0], y + p[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append([x * sx + tx, y * sy + ty])
            else:
                points.append([p[0], p[1]])
        arcs.append(points)

    def ring(indices: list[int]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in indices:
            points = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            out.extend(points if not out else points[1:])
        return out

    features = []
    for obj in doc["objects"].values():
        for geom in obj.get("geometries", [obj]):
            if geom.get("type") == "Polygon":
                coords = [[ring(r) for r in geom["arcs"]]]
            elif geom.get("type") == "MultiPolygon":
                coords = [[ring(r) for r in poly] for poly in geom["arcs"]]
            else:
                continue
            features.append(
                {
                    "properties": geom.get("properties", {}),
                    "geometry": {"type": "MultiPolygon", "coordinates": coords},
                }
            )
    return features


def read_boundaries(path: str | Path, name_property: str | None = None) -> list[Feature]:
    return parse_boundaries(Path(path).read_text(encoding="utf-8-sig"), name_property)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a coordinate")


def parse_boundaries(text: str, name_property: str | None = None) -> list[Feature]:
    """Features of a GeoJSON FeatureCollection or a TopoJSON topology (its first object).
    Raises ValueError, KeyError or TypeError on a file of another shape, and ValueError on
    outlines that cannot be drawn: a ring of fewer than three points, a coordinate that is not
    a finite number (NaN, Infinity), or areas that together cover no extent; a file nested
    deeper than Python's parser goes, or with a feature or geometry that is not an object
    (``"features": [null]``), is a ValueError or TypeError like any other wrong shape."""
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    try:
        return _features(doc, name_property)
    except AttributeError:
        raise TypeError("a feature or geometry is not an object") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _features(doc: Any, name_property: str | None) -> list[Feature]:
    if not isinstance(doc, dict):
        raise ValueError("not a GeoJSON or TopoJSON object")
    raw = _topojson_features(doc) if doc.get("type") == "Topology" else doc["features"]
    features = []
    for f in raw:
        props = f.get("properties") or {}
        key = name_property or next((k for k in NAME_PROPERTIES if k in props), None)
        if key is None:
            continue
        geometry = f["geometry"]
        if geometry is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue  # points, lines or no geometry: nothing to colour
        coords = geometry["coordinates"]
        polygons = [coords] if geometry["type"] == "Polygon" else coords
        outline = [
            [[(float(p[0]), float(p[1])) for p in ring] for ring in poly] for poly in polygons
        ]
        rings = [ring for poly in outline for ring in poly]
        if not rings or any(len(ring) < 3 for ring in rings):
            raise ValueError(f"{props[key]}: a ring needs at least three points")
        if not all(math.isfinite(x) and math.isfinite(y) for ring in rings for x, y in ring):
            raise ValueError(f"{props[key]}: a coordinate is not a finite number")
        features.append(Feature(str(props[key]), outline))
    points = [p for f in features for poly in f.polygons for ring in poly for p in ring]
    if points and (
        max(x for x, _ in points) == min(x for x, _ in points)
        or max(y for _, y in points) == min(y for _, y in points)
    ):
        raise ValueError("the areas cover no extent")
    return features


@dataclass(frozen=True)
class Choropleth:
    svg: str
    unmatched_units: list[str]
    unmatched_features: list[str]


def choropleth_svg(
    features: list[Feature],
    colour_of: dict[str, str],
    label_of: dict[str, str],
    title: str,
    width: int = 420,
) -> Choropleth:
    """Project lon/lat (equirectangular, corrected for the mean latitude) into an SVG."""
    by_key = {name_key(u): u for u in colour_of}
    points = [p for f in features for poly in f.polygons for ring in poly for p in ring]
    if not points:
        raise ValueError("no outline to draw")
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x, span_y = (max(lons) - min(lons)) * factor, max(lats) - min(lats)
    scale = width / span_x
    height = span_y * scale

    west, north = min(lons), max(lats)

    def xy(lon: float, lat: float) -> str:
        return f"{(lon - west) * factor * scale:.1f},{(north - lat) * scale:.1f}"

    parts = [labelled_svg(f"0 0 {width} {height:.0f}", title)]
    matched = set()
    for f in features:
        unit = by_key.get(name_key(f.name))
        if unit is not None:
            matched.add(unit)
        d = " ".join(
            "M" + " L".join(xy(*p) for p in ring) + " Z" for poly in f.polygons for ring in poly
        )
        fill = colour_of.get(unit, NO_DATA) if unit else NO_DATA
        tip = f"{unit or f.name}: {label_of.get(unit, '—') if unit else '—'}"
        parts.append(
            f'<path d="{d}" fill="{fill}" stroke="#fff" stroke-width="0.5">'
            f"<title>{esc(tip)}</title></path>"
        )
    parts.append("</svg>")
    feature_keys = {name_key(f.name) for f in features}
    return Choropleth(
        "".join(parts),
        sorted(u for u in colour_of if u not in matched),
        sorted(
            f.name
            for f in features
            if name_key(f.name) not in by_key and name_key(f.name) in feature_keys
        ),
    )

"""The choropleth from a user's boundary file (the 63 provinces in
tests/fixtures/published/geo, read in place, never copied): every province matched, TopoJSON
decoded to the same shapes."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.reports.choropleth import choropleth_svg, read_boundaries
from chiso.units.provinces import PROVINCES_63
from conftest import published_file

runner = CliRunner(env={"COLUMNS": "250"})


def test_every_province_finds_its_boundary_and_is_drawn() -> None:
    features = read_boundaries(published_file("geo", "vn_provinces_63.geojson"))
    result = choropleth_svg(features, dict.fromkeys(PROVINCES_63, "#1a7f37"), {}, "63 tỉnh")
    assert result.unmatched_units == [] and result.unmatched_features == []
    assert result.svg.count("<path") == 63 and 'fill="#7b7b7b"' not in result.svg


def test_names_that_do_not_match_are_reported_not_guessed() -> None:
    features = read_boundaries(published_file("geo", "geoBoundaries-VNM-ADM1.geojson"))
    result = choropleth_svg(features, dict.fromkeys(PROVINCES_63, "#1a7f37"), {}, "64")
    assert result.unmatched_units == ["Hồ Chí Minh"]  # the upstream file spells it in ASCII
    assert "Côn Đảo" in result.unmatched_features


def _topology(features: list[dict], quantised: bool) -> dict:
    """A TopoJSON of the given GeoJSON features, each ring one arc (delta-encoded when
    quantised)."""
    arcs, geometries = [], []
    scale, translate = [1e-4, 1e-4], [100.0, 8.0]
    for f in features:
        polys = f["geometry"]["coordinates"]
        if f["geometry"]["type"] == "Polygon":
            polys = [polys]
        arc_polys = []
        for poly in polys:
            rings = []
            for ring in poly:
                if quantised:
                    q = [
                        [round((x - translate[0]) / scale[0]), round((y - translate[1]) / scale[1])]
                        for x, y in ring
                    ]
                    arc = [q[0]] + [[b[0] - a[0], b[1] - a[1]] for a, b in pairwise(q)]
                else:
                    arc = ring
                arcs.append(arc)
                rings.append([len(arcs) - 1])
            arc_polys.append(rings)
        geometries.append(
            {"type": "MultiPolygon", "arcs": arc_polys, "properties": f["properties"]}
        )
    topo = {
        "type": "Topology",
        "arcs": arcs,
        "objects": {"provinces": {"type": "GeometryCollection", "geometries": geometries}},
    }
    if quantised:
        topo["transform"] = {"scale": scale, "translate": translate}
    return topo


def test_topojson_decodes_to_the_same_shapes(tmp_path: Path) -> None:
    geo = json.loads(published_file("geo", "vn_provinces_63.geojson").read_text("utf-8"))
    some = geo["features"][:5]
    source = tmp_path / "some.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": some}), "utf-8")
    expected = read_boundaries(source)
    for quantised in (False, True):
        topo = tmp_path / f"some-{quantised}.topojson"
        topo.write_text(json.dumps(_topology(some, quantised)), "utf-8")
        got = read_boundaries(topo)
        assert [f.name for f in got] == [f.name for f in expected]
        for a, b in zip(got, expected, strict=True):
            pa = [p for poly in a.polygons for ring in poly for p in ring]
            pb = [p for poly in b.polygons for ring in poly for p in ring]
            assert len(pa) == len(pb)
            deviation = max(abs(x - u) + abs(y - v) for (x, y), (u, v) in zip(pa, pb, strict=True))
            assert deviation < 2e-4


def test_the_map_command_writes_an_svg_from_results_and_boundaries(tmp_path: Path) -> None:
    doc = {
        "framework": {"code": "par-province-2019"},
        "units": [
            {"unit": "Hà Nội", "group": "A", "group_name": "Nhóm A"},
            {"unit": "Cà Mau", "group": "B", "group_name": "Nhóm B"},
        ],
    }
    results = tmp_path / "results.json"
    results.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    out = tmp_path / "ban-do.svg"
    result = runner.invoke(
        app,
        [
            "report",
            "map",
            str(results),
            "--boundaries",
            str(published_file("geo", "vn_provinces_63.geojson")),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    svg = out.read_text("utf-8")
    assert "Hà Nội: Nhóm A" in svg and svg.count('fill="#7b7b7b"') == 61


def _provinces_results(tmp_path: Path, names: list[str], year: int) -> Path:
    doc = {
        "framework": {"code": "papi-2021"},
        "cycle": {"year": year},
        "units": [
            {"unit": n, "group": "1", "group_name": "", "total": 40.0 + i, "index": None}
            for i, n in enumerate(names)
        ],
    }
    path = tmp_path / "results.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def test_without_boundaries_the_map_command_draws_the_tile_grid_coloured_by_value(
    tmp_path: Path,
) -> None:
    from chiso.reports.tilemap import SEQUENTIAL
    from chiso.units.provinces import MERGED_34

    out = tmp_path / "o-vuong.svg"
    results = _provinces_results(tmp_path, list(MERGED_34), 2025)
    args = ["report", "map", str(results), "--colour", "value", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    svg = out.read_text("utf-8")
    assert svg.count("<rect ") == 34  # the 34 provinces' own grid
    # PAPI ranks by total: coloured by the total, from the palest to the darkest class
    assert f'fill="{SEQUENTIAL[0]}"' in svg and f'fill="{SEQUENTIAL[-1]}"' in svg


def test_the_map_command_says_why_it_cannot_draw(tmp_path: Path) -> None:
    results = _provinces_results(tmp_path, ["Sở Tư pháp"], 2024)
    out = tmp_path / "x.svg"
    tiles = runner.invoke(app, ["report", "map", str(results), "--out", str(out)])
    assert tiles.exit_code != 0 and "report.not_provinces" in tiles.output and not out.exists()
    colour = ["report", "map", str(results), "--colour", "đỏ", "--out", str(out)]
    wrong = runner.invoke(app, colour)
    assert wrong.exit_code != 0 and "report.bad_colour" in wrong.output

"""One results document, read everywhere: what the portal publishes (``data.json``,
``data.csv``, ``data.xlsx``, a revision's JSON), what the API answers and what ``chiso score
--out`` writes all go into ``chiso ranks``, ``chiso plan``, ``chiso gaps`` and ``chiso compare``,
and give the same answers. (``chiso ranks`` used to refuse the portal's own ``data.json`` as
"not a results file written by chiso score" while accepting ``revisions/1.json``.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from chiso.analysis.loaded import load_results
from chiso.cli.app import app
from chiso.tables.writing import write_results
from web.conftest import World

runner = CliRunner(env={"COLUMNS": "250"})
UNIT = "Sở Tư pháp"


@pytest.fixture
def files(scored: World, tmp_path: Path) -> dict[str, Path]:
    """The published cycle (every leaf scored) in every form it is served and written in."""
    pk = scored.cycle.pk
    client = Client()
    served = {
        "data.json": reverse("portal:data-json", args=[pk]),
        "data.csv": reverse("portal:data-csv", args=[pk]),
        "data.xlsx": reverse("portal:data-xlsx", args=[pk]),
        "revision.json": reverse("portal:revision-data", args=[pk, 1]),
        "api.json": f"/api/cycles/{pk}/results",
    }
    out: dict[str, Path] = {}
    for name, url in served.items():
        response = client.get(url)
        assert response.status_code == 200, url
        out[name] = tmp_path / name
        out[name].write_bytes(response.content)
    # what chiso score --out writes for the same results, in each of its formats
    results = load_results(out["revision.json"]).results
    for suffix in ("json", "csv", "xlsx"):
        out[f"score.{suffix}"] = tmp_path / f"score.{suffix}"
        write_results(results, out[f"score.{suffix}"], "vi")
    return out


EXACT = ["data.json", "data.xlsx", "revision.json", "api.json", "score.json", "score.xlsx"]
"""The forms that keep every number whole (a CSV rounds them, so ties may fall otherwise)."""


def _run(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


def _ranks(source: Path, tmp_path: Path) -> object:
    out = tmp_path / f"ranks-{source.name}.json"
    _run(["ranks", str(source), "--out", str(out), "--draws", "200", "--seed", "7"])
    return json.loads(out.read_text(encoding="utf-8"))


def test_chiso_ranks_reads_the_portals_data_json_as_it_reads_a_revision(
    files: dict[str, Path], tmp_path: Path
) -> None:
    expected = _ranks(files["revision.json"], tmp_path)
    for name in EXACT:
        assert _ranks(files[name], tmp_path) == expected, name
    assert _ranks(files["data.csv"], tmp_path) == expected  # two units, far apart


def _plan(source: Path, tmp_path: Path) -> dict[str, object]:
    out = tmp_path / f"plan-{source.name}.json"
    _run(
        [
            "plan",
            str(source),
            "--unit",
            UNIT,
            "--out",
            str(out),
            "--index",
            "90",
            "--all-sources",
            "--seed",
            "7",
        ]
    )
    plan: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return plan


def test_chiso_plan_reads_every_form_of_the_published_results_alike(
    files: dict[str, Path], tmp_path: Path
) -> None:
    expected = _plan(files["revision.json"], tmp_path)
    assert expected["actions"]
    for name in EXACT:
        assert _plan(files[name], tmp_path) == expected, name


def test_chiso_compare_finds_no_change_between_forms_of_one_revision(
    files: dict[str, Path], tmp_path: Path
) -> None:
    for name in [*EXACT, "data.csv", "score.csv"]:
        out = tmp_path / f"compare-{name}.json"
        _run(["compare", str(files["revision.json"]), str(files[name]), "--out", str(out)])
        rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
        assert {r["unit"] for r in rows} == {"Sở Tư pháp", "Sở Y tế"}, name
        for row in rows:
            assert row["rank_before"] == row["rank_after"], (name, row)
            assert abs(row["total"] or 0.0) < 0.01 and abs(row["index"] or 0.0) < 0.01, name


def test_chiso_gaps_reads_the_portals_data_json(files: dict[str, Path], tmp_path: Path) -> None:
    outputs = []
    for name in ("revision.json", "data.json"):
        out = tmp_path / f"gaps-{name}.json"
        _run(["gaps", str(files[name]), "--unit", UNIT, "--out", str(out)])
        outputs.append(json.loads(out.read_text(encoding="utf-8")))
    assert outputs[0] == outputs[1]

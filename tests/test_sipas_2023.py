"""SIPAS as measured since 2023 (1001/QĐ-BNV): two measures (policies; public administrative
services) of nine components, every fact with its public source, a questionnaire that exports
as an XLSForm, and responses that become both measures' points.

Published figures quoted here: Hà Nội 2023, policy 83,46 %, services 83,72 %, SIPAS 83,57 %
(tayho.hanoi.gov.vn); Hải Phòng 2023, policy 88,97 %, third (seed article 003). The responses
below are simulated by this module's own code (seeded), not survey data."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from pyxform.xls2xform import convert
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.frameworks import get_framework
from chiso.surveys.instrument import get_instrument

runner = CliRunner(env={"COLUMNS": "250"})


def test_the_2023_framework_has_both_measures_and_nine_components() -> None:
    fw = get_framework("sipas-2023")
    assert [n.name_vi for n in fw.nodes] == [
        "Sự hài lòng đối với việc xây dựng, tổ chức thực hiện chính sách công",
        "Sự hài lòng đối với việc cung ứng dịch vụ hành chính công",
    ]
    assert [len(n.children) for n in fw.nodes] == [4, 5]  # "9/9 tiêu chí thành phần" (Hà Nội)
    assert "1001/QĐ-BNV ngày 11/12/2023" in fw.legal_basis
    assert (fw.year_from, fw.year_to) == (2023, 2026)
    assert get_framework("sipas-2017").year_to == 2022  # the 2017 method ends where this starts


def test_every_source_of_the_2023_framework_and_questionnaire_has_its_address() -> None:
    for sources in (get_framework("sipas-2023").sources, get_instrument("sipas-2023").sources):
        assert sources
        assert all(s.startswith("http") for s in sources), sources
    assert "ILLUSTRATIVE" in get_instrument("sipas-2023").notes


def test_the_questionnaire_feeds_each_component_once_and_asks_the_three_aspects() -> None:
    form = get_instrument("sipas-2023")
    fw = get_framework("sipas-2023")
    assert sorted(q.node for q in form.items) == sorted(n.code for n in fw.leaves())
    groups = [g.code for g in form.groups]
    assert groups == ["thong_tin", "nhan_dinh", "chinh_sach", "dich_vu", "mong_doi"]
    judgements = [q for q in form.questions if q.group == "nhan_dinh"]
    assert len(judgements) == 8  # the eight criteria of the first aspect
    assert len(form.question("md_uu_tien").scale.options) == 9  # the nine policy groups of 2023


def test_the_questionnaire_exports_as_an_xlsform_pyxform_converts(tmp_path: Path) -> None:
    out = tmp_path / "sipas-2023.xlsx"
    result = runner.invoke(app, ["survey", "xlsform", "sipas-2023", "--out", str(out)])
    assert result.exit_code == 0, result.output
    xform = convert(xlsform=str(out), validate=False).xform
    assert "Kết quả, tác động của chính sách" in xform
    assert "/data/nhan_dinh/nd_trai_nghiem" in xform  # services asked after an experience


def simulated_responses(path: Path, seed: int = 3) -> list[dict[str, str]]:
    rng = np.random.default_rng(seed)
    rows = []
    for province, lean in (("Hải Phòng", 0.9), ("Quảng Ninh", 0.8)):
        for k in range(120):
            row = {"tinh": province, "huyen": f"{province}-{k % 4}", "w": f"{50 + k % 7 * 10}"}
            row["nd_trai_nghiem"] = "1" if rng.random() < 0.6 else "0"
            for item in ("cs_1", "cs_2", "cs_3", "cs_4", "dv_1", "dv_2", "dv_3", "dv_4", "dv_5"):
                asked = item.startswith("cs") or row["nd_trai_nghiem"] == "1"
                satisfied = rng.random() < lean
                row[item] = (str(rng.integers(4, 6)) if satisfied else "2") if asked else ""
            rows.append(row)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def share(rows: list[dict[str, str]], item: str) -> float:
    answered = [r for r in rows if r[item]]
    w = np.array([float(r["w"]) for r in answered])
    y = np.array([r[item] in ("4", "5") for r in answered], dtype=float)
    return float(100 * (w * y).sum() / w.sum())


def test_responses_become_both_measures_and_the_index(tmp_path: Path) -> None:
    data = tmp_path / "responses.csv"
    rows = simulated_responses(data)
    points = tmp_path / "points.csv"
    result = runner.invoke(
        app,
        ["survey", "estimate", str(data), "--instrument", "sipas-2023", "--weight", "w",
         "--by", "tinh", "--points-out", str(points)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with open(points, encoding="utf-8-sig") as fh:
        got = {(r["unit"], r["node"]): float(r["value"]) for r in csv.DictReader(fh)}
    hp = [r for r in rows if r["tinh"] == "Hải Phòng"]
    policy = np.mean([share(hp, f"cs_{k}") for k in range(1, 5)])
    services = np.mean([share(hp, f"dv_{k}") for k in range(1, 6)])
    assert got[("Hải Phòng", "1")] == pytest.approx(policy, abs=1e-6)
    assert got[("Hải Phòng", "2")] == pytest.approx(services, abs=1e-6)
    assert got[("Hải Phòng", "total")] == pytest.approx((policy + services) / 2, abs=1e-6)
    scored = runner.invoke(app, ["score", "-f", "sipas-2023", str(points), "--lang", "en"])
    assert scored.exit_code == 0, scored.output


def test_points_resting_on_thin_estimates_are_named_when_written(tmp_path: Path) -> None:
    data = tmp_path / "responses.csv"
    simulated_responses(data)
    points = str(tmp_path / "points.csv")
    args = ["survey", "estimate", str(data), "--instrument", "sipas-2023", "--weight", "w",
            "--by", "tinh", "--points-out", points, "--lang", "en"]  # fmt: skip
    plain = runner.invoke(app, args)
    assert plain.exit_code == 0, plain.output
    assert "too thin" not in plain.output  # 120 households a province, ~70 with a procedure
    strict = runner.invoke(app, [*args, "--min-n", "100"])
    assert strict.exit_code == 0, strict.output
    assert "too thin to publish (n or CV) in: Hải Phòng, Quảng Ninh" in strict.output

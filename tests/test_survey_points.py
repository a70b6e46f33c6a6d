"""Survey points for ``chiso score``: the leaves' points, and the inner nodes' and the total's
as the linear combinations of the items' shares that the framework's aggregation defines, with
standard errors that count the covariance of items answered by the same people; and
``chiso score`` carrying them to the index's standard error."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.frameworks import get_framework
from chiso.frameworks.loader import read_framework
from chiso.frameworks.model import TOTAL_CODE, Framework
from chiso.problems import Refusal
from chiso.scoring import compile_plan, score
from chiso.surveys.estimate_table import EstimateRow
from chiso.surveys.instrument import Instrument, Question, Scale
from chiso.surveys.score_points import node_combinations, points_rows
from chiso.tables.reading import read_scores
from chiso.tables.writing import json_document
from frameworks_for_tests import branch, framework, leaf

runner = CliRunner(env={"COLUMNS": "250"})
KOBO = Path(__file__).parent / "fixtures" / "exports" / "sipas_2017_kobo.csv"
FACTORS = ["1", "2", "3", "4", "5"]


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


@pytest.fixture(scope="module")
def responses(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The KoboToolbox fixture imported with the SIPAS instrument, with unequal weights."""
    folder = tmp_path_factory.mktemp("sipas")
    imported = folder / "responses.csv"
    result = runner.invoke(
        app,
        [
            "survey",
            "import",
            str(KOBO),
            "--instrument",
            "sipas-2017",
            "--profile",
            "kobo",
            "--out",
            str(imported),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = _rows(imported)
    for i, r in enumerate(rows):
        r["w"] = str(50 + (i * 37) % 100)
    out = folder / "weighted.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


ESTIMATE = ["survey", "estimate", "--instrument", "sipas-2017", "--weight", "w", "--by", "tinh"]


def _points(responses: Path, out: Path) -> list[dict[str, str]]:
    result = runner.invoke(app, [*ESTIMATE, str(responses), "--points-out", str(out)])
    assert result.exit_code == 0, result.output
    return _rows(out) if out.suffix == ".csv" else []


def _plain_total_se(responses: Path, province: str) -> tuple[float, float, float]:
    """The SIPAS index of one province and its standard error, linearised by hand: the
    influence value of a respondent is Σ_k c_k·w·(y_k − ȳ_k)/Σw_k over the criteria answered,
    with c_k = 100 / (5 × criteria of the factor); PSU totals; n/(n−1)·Σ(t − t̄)² in the
    province's stratum, the only one with rows in the domain. Also the sum of the criteria's
    variances, which leaves their covariance out."""
    rows = [r for r in _rows(responses) if r["tinh"] == province]
    framework = get_framework("sipas-2017")
    items = [f"c{n.code.replace('.', '_')}" for n in framework.leaves()]
    sizes = {f: sum(1 for i in items if i[1] == f) for f in FACTORS}
    w = np.array([float(r["w"]) for r in rows])
    psus = sorted({r["huyen"] for r in rows})
    z = np.zeros(len(rows))
    index = 0.0
    independent = 0.0
    for item in items:
        answered = np.array([r[item] != "" for r in rows])
        y = np.array([1.0 if r[item] in ("4", "5") else 0.0 for r in rows])
        mean = float((w * y)[answered].sum() / w[answered].sum())
        c = 100.0 / (5 * sizes[item[1]])
        index += c * mean
        zk = np.where(answered, w * (y - mean) / w[answered].sum(), 0.0)
        z += c * zk
        tk = np.array([zk[[r["huyen"] == p for r in rows]].sum() for p in psus])
        independent += c * c * len(psus) / (len(psus) - 1) * float(((tk - tk.mean()) ** 2).sum())
    t = np.array([z[[r["huyen"] == p for r in rows]].sum() for p in psus])
    variance = len(psus) / (len(psus) - 1) * float(((t - t.mean()) ** 2).sum())
    return index, float(np.sqrt(variance)), float(np.sqrt(independent))


def test_points_out_gives_the_total_with_its_standard_error(
    responses: Path, tmp_path: Path
) -> None:
    rows = _points(responses, tmp_path / "points.csv")
    for province in ("Hà Nội", "Phú Thọ", "Quảng Ninh"):
        mine = {r["node"]: r for r in rows if r["unit"] == province}
        assert set(FACTORS) | {TOTAL_CODE} <= set(mine)  # every factor and the total
        index, se, independent = _plain_total_se(responses, province)
        total = mine[TOTAL_CODE]
        assert float(total["value"]) == pytest.approx(index, abs=1e-6)
        assert float(total["se"]) == pytest.approx(se, abs=1e-6)
        # the criteria covary: adding their variances would give another number
        assert abs(independent - se) > 0.05 * se
        # a factor is the mean of its criteria, the total the mean of the factors
        factors = [float(mine[f]["value"]) for f in FACTORS]
        assert float(total["value"]) == pytest.approx(np.mean(factors), abs=1e-5)
        criteria = [float(r["value"]) for code, r in mine.items() if code.startswith("3.")]
        assert float(mine["3"]["value"]) == pytest.approx(np.mean(criteria), abs=1e-5)


def test_a_factor_of_one_criterion_has_that_criterions_standard_error() -> None:
    fw = framework(branch("1", 100, leaf("1.1", 100), aggregation="mean"), total_max=100)
    combos = node_combinations(_instrument({"q1": "1.1"}), fw, ["q1"])
    assert combos.codes == ["1", TOTAL_CODE]
    np.testing.assert_allclose(combos.coefficients, [[100.0], [100.0]])


def test_score_json_carries_the_index_standard_error(responses: Path, tmp_path: Path) -> None:
    points = tmp_path / "points.csv"
    rows = _points(responses, points)
    out = tmp_path / "sipas.json"
    result = runner.invoke(app, ["score", "-f", "sipas-2017", str(points), "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    for unit in doc["units"]:
        mine = {r["node"]: r for r in rows if r["unit"] == unit["unit"]}
        assert unit["total_se"] == pytest.approx(float(mine[TOTAL_CODE]["se"]))
        # SIPAS's total is out of 100: the index's error is the total's
        assert unit["index_se"] == pytest.approx(unit["total_se"] / unit["max"] * 100)
        assert unit["se"]["2"] == pytest.approx(float(mine["2"]["se"]))
        assert unit["se"]["2.3"] == pytest.approx(float(mine["2.3"]["se"]))
        assert unit["index"] == pytest.approx(float(mine[TOTAL_CODE]["value"]), abs=1e-6)


def test_full_precision_points_agree_with_their_parts_in_chiso_score(
    responses: Path, tmp_path: Path
) -> None:
    """Points written unrounded (XLSX) and at six decimals (CSV) both pass the check that a
    node's value and its parts agree."""
    for name in ("points.xlsx", "points.csv"):
        points = tmp_path / name
        _points(responses, points)
        result = runner.invoke(app, ["score", "-f", "sipas-2017", str(points), "--lang", "en"])
        assert result.exit_code == 0, result.output


def test_without_a_standard_error_of_the_total_no_index_se_is_written(tmp_path: Path) -> None:
    points = tmp_path / "points.csv"
    points.write_text(
        "unit,node,value,se\nA,1.1,80,2\nA,1.2,70,3\nA,1,75,\nB,1.1,60,\nB,1.2,50,\n",
        encoding="utf-8",
    )
    fw = framework(
        branch("1", 100, leaf("1.1", 100), leaf("1.2", 100), aggregation="mean"),
        total_max=100,
        total_aggregation="mean",
    )
    plan = compile_plan(fw)
    data = read_scores(str(points), fw, plan)
    results = score(fw, data.units, data.given, data.na, data.ranked, plan, data.se)
    assert np.isnan(results.total_se).all() and np.isnan(results.index_se).all()
    units = {u["unit"]: u for u in json_document(results, "en")["units"]}
    assert units["A"]["se"] == {"1.1": 2.0, "1.2": 3.0}
    assert "total_se" not in units["A"] and "index_se" not in units["A"]
    assert "se" not in units["B"]


def test_the_total_row_is_read_and_must_agree_with_its_parts(tmp_path: Path) -> None:
    fw = framework(
        branch("1", 60, leaf("1.1", 30), leaf("1.2", 30)),
        branch("2", 40, leaf("2.1", 40)),
        total_max=100,
    )
    plan = compile_plan(fw)
    good = tmp_path / "good.csv"
    good.write_text(
        "unit,node,value,se\nA,1.1,20,1\nA,1.2,25,1\nA,2.1,30,2\nA,Total,75,1.5\n",
        encoding="utf-8",
    )
    data = read_scores(str(good), fw, plan)
    results = score(fw, data.units, data.given, data.na, data.ranked, plan, data.se)
    assert results.total[0] == 75 and results.total_se[0] == 1.5
    assert results.index_se[0] == pytest.approx(1.5)  # out of 100
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,node,value\nA,1.1,20\nA,1.2,25\nA,2.1,30\nA,total,80\n", "utf-8")
    with pytest.raises(Refusal) as caught:
        read_scores(str(bad), fw, plan)
    [problem] = list(caught.value.report)
    assert problem.rule == "node.inconsistent" and problem.params["node"] == TOTAL_CODE
    assert problem.row == 5
    above = tmp_path / "above.csv"
    above.write_text("unit,total\nA,120\n", "utf-8")  # wide form: a column for the total
    with pytest.raises(Refusal) as caught:
        read_scores(str(above), fw, plan)
    assert caught.value.report.rules == {"value.above_max"}


def test_a_framework_node_may_not_take_the_reserved_total_code(tmp_path: Path) -> None:
    path = tmp_path / "fw.yaml"
    path.write_text(
        """\
format: 1
code: x-department-2024
index: X
subject: department
name_vi: X
name_en: X
years: {from: 2024, to: 2025}
legal_basis: "-"
nodes:
  - {code: "Total", name_vi: Tổng, max: 10}
""",
        encoding="utf-8",
    )
    fw, report = read_framework(path)
    assert fw is None and report.rules == {"framework.reserved_code"}
    assert "tổng điểm" in next(iter(report)).message("vi")


# --- which nodes get a combined row, and with which coefficients ---------------------------


def _instrument(feeds: dict[str, str]) -> Instrument:
    scale = Scale("yes-no", "select_one", satisfied=("1",))
    questions = tuple(Question(q, q, q, scale, node=node) for q, node in feeds.items())
    return Instrument(
        "test", "1", "thử", "test", "test", (), questions, by_code={q.code: q for q in questions}
    )


def _engine_points(fw: Framework, shares: dict[str, float]) -> dict[str, float]:
    """What ``chiso score`` makes of the leaves' points share × max."""
    plan = compile_plan(fw)
    given = np.full((plan.size, 1), np.nan)
    for code, share in shares.items():
        given[plan.positions[code], 0] = share * fw.node(code).max  # type: ignore[operator]
    results = score(fw, ["u"], given, plan=plan)
    return {code: results.value("u", code) for code in [*fw.codes, TOTAL_CODE]}


def test_sum_mean_weighted_mean_and_share_combine_as_chiso_score_aggregates() -> None:
    fw = framework(
        branch("1", 30, leaf("1.1", 10), leaf("1.2", 20)),  # sum
        branch(
            "2",
            40,
            leaf("2.1", 10, weight=1.0),
            leaf("2.2", 10, weight=3.0),
            aggregation="weighted_mean",
        ),
        branch("3", 30, leaf("3.1", 5), leaf("3.2", 15), aggregation="share"),
        total_max=100,
    )
    feeds = {"a": "1.1", "b": "1.2", "c": "2.1", "d": "2.2", "e": "3.1", "f": "3.2"}
    combos = node_combinations(_instrument(feeds), fw, list(feeds))
    assert combos.codes == ["1", "2", "3", TOTAL_CODE] and combos.warnings == []
    rng = np.random.default_rng(3)
    shares = rng.uniform(0.2, 0.9, len(feeds))
    expected = _engine_points(fw, dict(zip(feeds.values(), shares, strict=True)))
    for code, row in zip(combos.codes, combos.coefficients, strict=True):
        assert row @ shares == pytest.approx(expected[code], rel=1e-12), code


def test_nodes_with_a_leaf_outside_the_survey_get_no_row_and_no_warning() -> None:
    """A PAR INDEX domain mixing survey and appraised points is not the survey's to give."""
    fw = framework(
        branch("1", 60, leaf("1.1", 30), leaf("1.2", 30)),
        branch("2", 40, leaf("2.1", 20), leaf("2.2", 20)),
    )
    combos = node_combinations(_instrument({"a": "1.1", "b": "1.2", "c": "2.1"}), fw, ["a", "b"])
    assert combos.codes == ["1"] and combos.warnings == []


def test_a_capped_node_and_what_is_above_it_are_warned_about_not_guessed() -> None:
    fw = framework(
        branch("1", 10, leaf("1.1", 8), leaf("1.2", 8), cap=True),
        branch("2", 90, leaf("2.1", 90)),
    )
    combos = node_combinations(
        _instrument({"a": "1.1", "b": "1.2", "c": "2.1"}), fw, ["a", "b", "c"]
    )
    assert combos.codes == ["2"]
    assert combos.warnings == [f"survey.combined_not_linear:1, {TOTAL_CODE}"]


def test_a_share_of_unpublished_maxima_is_warned_about_not_guessed() -> None:
    fw = framework(
        branch(
            "1",
            10,
            branch("1.1", None, leaf("1.1.1", 4), aggregation="mean"),
            leaf("1.2", 6),
            aggregation="share",
        ),
        branch("2", 90, leaf("2.1", 90)),
        total_max=None,
    )
    feeds = {"a": "1.1.1", "b": "1.2", "c": "2.1"}
    combos = node_combinations(_instrument(feeds), fw, list(feeds))
    # 1.1 is a mean (its own maximum is not needed); 1 is a share of maxima it lacks
    assert combos.codes == ["1.1", "2"]
    assert combos.warnings == [f"survey.combined_max_unknown:1, {TOTAL_CODE}"]


def test_an_unpublished_leaf_maximum_spoils_only_the_nodes_above_it() -> None:
    fw = framework(
        branch("1", 50, leaf("1.1", None), leaf("1.2", 25)),
        branch("2", 50, leaf("2.1", 50)),
    )
    feeds = {"a": "1.1", "b": "1.2", "c": "2.1"}
    combos = node_combinations(_instrument(feeds), fw, list(feeds))
    assert combos.codes == ["2"]
    np.testing.assert_allclose(combos.coefficients, [[0.0, 0.0, 50.0]])
    assert combos.warnings == [f"survey.combined_max_unknown:1, {TOTAL_CODE}"]


def _estimate(item: str, share: float, se: float) -> EstimateRow:
    return EstimateRow("Huế", item, share, se, 0, 1, None, None, 100, 1.0, 99, se / share)


def test_a_proportional_criterion_gets_its_percentage_and_chiso_score_turns_it_into_points(
    tmp_path: Path,
) -> None:
    # example-department-2024's 7.1: "% satisfied", proportional over 100 to 20 points
    fw = get_framework("example-department-2024")
    rows = points_rows([_estimate("q", 0.85, 0.02)], _instrument({"q": "7.1"}), fw)
    assert rows == [["Huế", "7.1", pytest.approx(85.0), pytest.approx(2.0)]]
    path = tmp_path / "points.csv"
    path.write_text("unit,node,value,se\nHuế,7.1,85,2\n", encoding="utf-8")
    plan = compile_plan(fw)
    data = read_scores(str(path), fw, plan)
    j = plan.positions["7.1"]
    assert data.given[j, 0] == pytest.approx(17.0)  # 85 % of 20 points
    assert data.se is not None and data.se[j, 0] == pytest.approx(0.4)  # 2 % of 20 points


def test_a_share_cannot_stand_for_a_banded_or_chosen_value() -> None:
    fw = get_framework("example-department-2024")
    banded = next(n for n in fw.walk() if n.rule.kind == "bands")
    with pytest.raises(Refusal) as caught:
        points_rows([_estimate("q", 0.85, 0.02)], _instrument({"q": banded.code}), fw)
    assert caught.value.report.rules == {"survey.rule_not_share"}


def test_a_standard_error_cannot_go_through_a_band(tmp_path: Path) -> None:
    fw = get_framework("example-department-2024")
    banded = next(n for n in fw.walk() if n.rule.kind == "bands")
    path = tmp_path / "points.csv"
    path.write_text(f"unit,node,value,se\nHuế,{banded.code},85,2\n", encoding="utf-8")
    with pytest.raises(Refusal) as caught:
        read_scores(str(path), fw, compile_plan(fw))
    assert caught.value.report.rules == {"value.se_not_linear"}

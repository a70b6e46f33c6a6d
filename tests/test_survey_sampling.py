"""``chiso survey sample``: R's inclusion probabilities to 1e-12, draws whose frequencies
agree with them, the same sample from the same seed, allocations that add up, and a frame's
problems named by row or stratum with nothing written.

The frames are simulated by this module's own code (seeded), not real households."""

from __future__ import annotations

import csv
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import require_tool
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.problems import Refusal
from chiso.surveys.allocation import allocate, largest_remainder
from chiso.surveys.errors import DesignError
from chiso.surveys.frame_sample import Frame, draw_sample, read_frame
from chiso.surveys.sampling import inclusion_probabilities, systematic_draw

runner = CliRunner(env={"COLUMNS": "250"})
REFERENCE = Path(__file__).parent / "reference" / "sampling_reference.R"


def simulated_frame(path: Path, strata: dict[str, int], seed: int = 7) -> list[dict[str, str]]:
    """A frame of communes per district with skewed sizes (lognormal, a few very large ones
    so that the capping at 1 runs several rounds)."""
    rng = np.random.default_rng(seed)
    rows = []
    for name, count in strata.items():
        sizes = np.round(rng.lognormal(6, 1.6, count)) + 1
        sizes[0] *= 40  # one unit far above the rest
        for k, s in enumerate(sizes.tolist()):
            rows.append({"id": f"{name}-{k}", "stratum": name, "size": f"{s:g}"})
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["id", "stratum", "size"])
        writer.writeheader()
        writer.writerows(rows)
    return rows


def write_sizes(path: Path, sizes: dict[str, int]) -> None:
    path.write_text("stratum,n\n" + "".join(f"{k},{v}\n" for k, v in sizes.items()), "utf-8")


def sample(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["survey", "sample", *args])


def read_sample(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


# --- inclusion probabilities: R's sampling::inclusionprobabilities ---------------------------


def test_inclusion_probabilities_cap_large_units_at_one_round_after_round() -> None:
    # 50 is certain; spreading 2 over (1, 2, 3, 4) puts 4 at 0.8: one round suffices here
    assert inclusion_probabilities([1, 2, 3, 50, 4], 3).tolist() == pytest.approx(
        [0.2, 0.4, 0.6, 1.0, 0.8], abs=1e-15
    )
    # 100 is certain in the first round; then 30 (3 × 30/45 = 2) in the second
    pik = inclusion_probabilities([100, 30, 10, 5], 3)
    assert pik.tolist() == pytest.approx([1.0, 1.0, 2 / 3, 1 / 3], abs=1e-15)
    assert pik.sum() == pytest.approx(3, abs=1e-12)


def test_inclusion_probabilities_equal_r_sampling_run_now(tmp_path: Path) -> None:
    """R's sampling package, run now on a simulated frame of 4 strata: every unit's
    probability agrees to 1e-12, including strata where several units are certain."""
    require_tool("Rscript", "R with its sampling package")
    frame = tmp_path / "frame.csv"
    rows = simulated_frame(frame, {"Đông Anh": 40, "Sóc Sơn": 25, "Ba Vì": 31, "Mê Linh": 8})
    sizes = {"Đông Anh": 12, "Sóc Sơn": 9, "Ba Vì": 20, "Mê Linh": 8}
    write_sizes(tmp_path / "sizes.csv", sizes)
    ref = tmp_path / "ref.csv"
    subprocess.run(
        ["Rscript", str(REFERENCE), str(frame), str(tmp_path / "sizes.csv"), str(ref)],
        check=True,
        capture_output=True,
    )
    expected = {r["id"]: float(r["pik"]) for r in read_sample(ref)}
    assert len(expected) == len(rows)
    assert sum(1 for p in expected.values() if p == 1.0) >= 5  # the capping did run
    for stratum, n in sizes.items():
        ours = inclusion_probabilities(
            [float(r["size"]) for r in rows if r["stratum"] == stratum], n
        )
        theirs = [expected[r["id"]] for r in rows if r["stratum"] == stratum]
        assert np.max(np.abs(ours - np.asarray(theirs))) <= 1e-12, stratum
    # and the command writes them for the rows it selected
    out = tmp_path / "sample.csv"
    result = sample(
        str(frame), "--strata", "stratum", "--size-file", str(tmp_path / "sizes.csv"),
        "--method", "pps", "--size-col", "size", "--seed", "2026", "--out", str(out),
        "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    drawn = read_sample(out)
    assert len(drawn) == sum(sizes.values())  # systematic PPS: exactly n_h per stratum
    for row in drawn:
        assert abs(float(row["inclusion_probability"]) - expected[row["id"]]) <= 1e-12
        assert float(row["design_weight"]) == pytest.approx(1 / expected[row["id"]], rel=1e-14)


# --- draws: frequencies, seeds ------------------------------------------------------------


def test_systematic_pps_frequencies_over_2000_draws_agree_with_the_probabilities() -> None:
    sizes = [120.0, 3.0, 45.0, 8.0, 60.0, 15.0, 30.0, 2.0, 9.0, 70.0, 5.0, 25.0]
    pik = inclusion_probabilities(sizes, 4)
    rng = np.random.default_rng(11)
    draws = 2000
    counts = np.zeros(len(sizes))
    for _ in range(draws):
        selected = systematic_draw(pik, rng.random())
        assert selected.sum() == 4
        counts += selected
    freq = counts / draws
    # within 4 Monte Carlo standard errors of each unit's probability (certain units: exactly)
    bound = 4 * np.sqrt(pik * (1 - pik) / draws) + 1e-12
    assert np.all(np.abs(freq - pik) <= bound), (freq, pik)


def test_systematic_draws_equal_r_upsystematic_from_the_same_start(tmp_path: Path) -> None:
    """R's UPsystematic, run now, 200 times: from the uniform start R drew, chiso selects the
    same units (sizes with four certain units and probabilities of every width)."""
    require_tool("Rscript", "R with its sampling package")
    sizes = [900.0, 3.0, 45.0, 8.0, 60.0, 15.0, 700.0, 2.0, 9.0, 70.0, 5.0, 25.0, 650.0, 33.0]
    (tmp_path / "sizes.csv").write_text("size\n" + "\n".join(map(str, sizes)) + "\n")
    out = tmp_path / "draws.csv"
    script = Path(__file__).parent / "reference" / "systematic_reference.R"
    subprocess.run(
        ["Rscript", str(script), str(tmp_path / "sizes.csv"), "7", "200", str(out)],
        check=True,
        capture_output=True,
    )
    pik = inclusion_probabilities(sizes, 7)
    assert int((pik == 1).sum()) == 4  # 900, 700, 650, and 70 in the second round
    draws = read_sample(out)
    assert len(draws) == 200
    for draw in draws:
        ours = np.flatnonzero(systematic_draw(pik, float(draw["start"]))) + 1
        assert ours.tolist() == [int(i) for i in draw["selected"].split()], draw


def test_stratified_srs_frequencies_over_2000_draws_are_n_over_N(tmp_path: Path) -> None:
    path = tmp_path / "frame.csv"
    simulated_frame(path, {"A": 10, "B": 6})
    frame = read_frame(str(path))
    counts = np.zeros(16)
    for seed in range(2000):
        drawn = draw_sample(frame, "stratum", {"A": 3, "B": 4}, "srs", seed)
        assert drawn.probabilities == [0.3] * 3 + [4 / 6] * 4
        for row in drawn.rows:
            counts[frame.rows.index(row)] += 1
    pik = np.array([0.3] * 10 + [4 / 6] * 6)
    assert np.all(np.abs(counts / 2000 - pik) <= 4 * np.sqrt(pik * (1 - pik) / 2000))


def test_the_same_seed_gives_the_same_sample_and_another_seed_another(tmp_path: Path) -> None:
    frame = tmp_path / "frame.csv"
    simulated_frame(frame, {"A": 50, "B": 40})
    outs = []
    for seed, name in (("5", "a.csv"), ("5", "b.csv"), ("6", "c.csv")):
        result = sample(
            str(frame), "--strata", "stratum", "--size", "20", "--method", "pps",
            "--size-col", "size", "--seed", seed, "--out", str(tmp_path / name),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]
    assert outs[0] != outs[2]


def test_without_a_seed_the_command_prints_the_one_it_used(tmp_path: Path) -> None:
    frame = tmp_path / "frame.csv"
    simulated_frame(frame, {"A": 30})
    first = sample(str(frame), "--size", "5", "--out", str(tmp_path / "a.csv"))
    assert first.exit_code == 0, first.output
    seed = first.output.split("--seed ")[1].split()[0]
    again = sample(str(frame), "--size", "5", "--seed", seed, "--out", str(tmp_path / "b.csv"))
    assert again.exit_code == 0, again.output
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


# --- allocation -----------------------------------------------------------------------------


def test_proportional_allocation_rounds_by_largest_remainder() -> None:
    # quotas 10 × (50, 30, 20)/100... with N = (47, 33, 20): 4.7, 3.3, 2.0 → 5, 3, 2
    assert allocate(["a", "b", "c"], [47, 33, 20], 10, "proportional") == [5, 3, 2]
    # ties go to the stratum met first
    assert largest_remainder([1.5, 1.5, 1.0], 4) == [2, 1, 1]


def test_equal_allocation_shares_the_rest_and_refuses_a_too_small_stratum() -> None:
    assert allocate(["a", "b", "c"], [10, 10, 10], 10, "equal") == [4, 3, 3]
    with pytest.raises(DesignError) as caught:
        allocate(["a", "Xã nhỏ", "c"], [10, 2, 10], 12, "equal")
    assert caught.value.rule == "survey.size_above_stratum"
    assert caught.value.params["stratum"] == "Xã nhỏ"


def test_neyman_allocation_follows_n_h_s_h_and_takes_a_small_variable_stratum_whole() -> None:
    # N_h S_h = 400, 300, 300: 10 × 0.4, 0.3, 0.3
    assert allocate(["a", "b", "c"], [100, 100, 100], 10, "neyman", [4.0, 3.0, 3.0]) == [4, 3, 3]
    # stratum a's quota 20 × 5·100/(500+100+100) ≈ 14.3 exceeds its 5 units: all 5 are
    # taken and 15 are spread over b and c (equal N_h S_h): 7.5 each → 8, 7
    assert allocate(["a", "b", "c"], [5, 100, 100], 20, "neyman", [100.0, 1.0, 1.0]) == [5, 8, 7]


def test_neyman_is_chosen_by_a_variance_column(tmp_path: Path) -> None:
    path = tmp_path / "frame.csv"
    lines = ["stratum,var"] + ["A,16"] * 10 + ["B,1"] * 10
    path.write_text("\n".join(lines) + "\n", "utf-8")
    drawn = draw_sample(read_frame(str(path)), "stratum", 5, "srs", 1, variance_column="var")
    # N_h S_h = 40, 10: 4 and 1
    assert [(s.name, s.size) for s in drawn.strata] == [("A", 4), ("B", 1)]


# --- bad input ------------------------------------------------------------------------------


def test_a_size_column_with_zeros_or_text_is_refused_naming_the_rows(tmp_path: Path) -> None:
    frame = tmp_path / "frame.csv"
    frame.write_text("id,stratum,size\n1,A,10\n2,A,0\n3,A,nhiều\n4,A,-2\n", "utf-8")
    out = tmp_path / "sample.csv"
    result = sample(
        str(frame), "--strata", "stratum", "--size", "2", "--method", "pps",
        "--size-col", "size", "--out", str(out), "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 1
    assert not out.exists()
    with pytest.raises(Refusal) as caught:
        draw_sample(read_frame(str(frame)), "stratum", 2, "pps", 1, "size")
    found = [(p.rule, p.row, p.column) for p in caught.value.report]
    assert found == [
        ("survey.size_zero", 3, "size"),
        ("value.not_number", 4, "size"),
        ("survey.size_zero", 5, "size"),
    ]


def test_a_size_read_in_bulk_is_still_a_number_as_a_person_writes_it(tmp_path: Path) -> None:
    # float() reads "1_000" and " 12 ", the bulk reader too: the first is no person's number
    frame = tmp_path / "frame.csv"
    frame.write_text("id,stratum,size\n1,A,1_000\n2,A,12\n3,A,5\n", "utf-8")
    with pytest.raises(Refusal) as caught:
        draw_sample(read_frame(str(frame)), "stratum", 2, "pps", 1, "size")
    assert [(p.rule, p.row) for p in caught.value.report] == [("value.not_number", 2)]
    frame.write_text("id,stratum,size\n1,A,1e3\n2,A,12.5\n3,A,5\n", "utf-8")
    drawn = draw_sample(read_frame(str(frame)), "stratum", 2, "pps", 1, "size")
    assert sum(drawn.probabilities) <= 2 and len(drawn.rows) == 2


def test_a_sample_larger_than_its_stratum_is_refused_naming_the_stratum(tmp_path: Path) -> None:
    frame = tmp_path / "frame.csv"
    simulated_frame(frame, {"Đông Anh": 10, "Mê Linh": 3})
    sizes = tmp_path / "sizes.csv"
    write_sizes(sizes, {"Đông Anh": 4, "Mê Linh": 5})
    out = tmp_path / "sample.csv"
    result = sample(str(frame), "--strata", "stratum", "--size-file", str(sizes), "--out", str(out))
    assert result.exit_code == 1
    assert "Mê Linh" in result.output and "chỉ có 3 đơn vị nhưng cần chọn 5" in result.output
    assert not out.exists()


def test_a_size_file_must_name_every_stratum_and_no_other(tmp_path: Path) -> None:
    frame = tmp_path / "frame.csv"
    simulated_frame(frame, {"A": 10, "B": 3})
    with pytest.raises(Refusal) as caught:
        draw_sample(read_frame(str(frame)), "stratum", {"A": 2, "C": 1}, "srs", 1)
    rules = [(p.rule, p.params["stratum"]) for p in caught.value.report]
    assert rules == [("survey.size_missing", "B"), ("survey.size_unknown_stratum", "C")]


def test_a_total_above_the_frame_and_a_blank_stratum_are_refused(tmp_path: Path) -> None:
    frame = tmp_path / "frame.csv"
    frame.write_text("id,stratum\n1,A\n2,\n3,B\n", "utf-8")
    with pytest.raises(Refusal) as caught:
        draw_sample(read_frame(str(frame)), "stratum", 2, "srs", 1)
    assert [(p.rule, p.row) for p in caught.value.report] == [("survey.design_blank", 3)]
    frame.write_text("id,stratum\n1,A\n2,A\n3,B\n", "utf-8")
    with pytest.raises(Refusal) as caught:
        draw_sample(read_frame(str(frame)), "stratum", 4, "srs", 1)
    assert caught.value.rule == "survey.size_total"


def test_an_xlsx_frame_gives_the_same_probabilities(tmp_path: Path) -> None:
    from openpyxl import Workbook

    rows = simulated_frame(tmp_path / "frame.csv", {"A": 12, "B": 9})
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "stratum", "size"])
    for r in rows:
        sheet.append([r["id"], r["stratum"], float(r["size"])])
    book.save(tmp_path / "frame.xlsx")
    a = draw_sample(read_frame(str(tmp_path / "frame.csv")), "stratum", 6, "pps", 3, "size")
    b = draw_sample(read_frame(str(tmp_path / "frame.xlsx")), "stratum", 6, "pps", 3, "size")
    assert a.probabilities == b.probabilities
    assert [r[0] for r in a.rows] == [r[0] for r in b.rows]
    assert math.isclose(sum(b.weights), sum(1 / p for p in b.probabilities))


def test_frame_dataclass_holds_the_rows_the_user_sees() -> None:
    frame = Frame("f.csv", ["id"], [2, 3], [["1"], ["2"]])
    drawn = draw_sample(frame, None, 2, "srs", 0)
    assert drawn.probabilities == [1.0, 1.0]


def test_the_command_refuses_options_that_cannot_go_together(tmp_path: Path) -> None:
    frame = tmp_path / "frame.csv"
    simulated_frame(frame, {"A": 10})
    out = str(tmp_path / "s.csv")
    both = sample(str(frame), "--size", "2", "--size-file", str(frame), "--out", out)
    assert both.exit_code == 2 and "--size N | --size-file F" in both.output
    method = sample(str(frame), "--size", "2", "--method", "cluster", "--out", out)
    assert method.exit_code == 2 and "srs | pps" in method.output
    no_size = sample(str(frame), "--size", "2", "--method", "pps", "--out", out, "--lang", "en")
    assert no_size.exit_code == 1 and "--size-col" in no_size.output
    assert not Path(out).exists()


def test_the_sample_file_feeds_survey_estimate_with_its_design_weights(tmp_path: Path) -> None:
    frame = tmp_path / "frame.csv"
    simulated_frame(frame, {"A": 40, "B": 60})
    out = tmp_path / "sample.csv"
    result = sample(
        str(frame), "--strata", "stratum", "--size", "20", "--seed", "1", "--out", str(out),
        "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    drawn = read_sample(out)
    # proportional: 8 of 40 and 12 of 60, each weighing N_h / n_h = 5
    assert sorted({r["design_weight"] for r in drawn}) == ["5.0"]
    estimate = runner.invoke(
        app,
        ["survey", "estimate", str(out), "--weight", "design_weight", "--strata", "stratum",
         "--items", "size", "--lang", "en"],
    )  # fmt: skip
    assert estimate.exit_code == 0, estimate.output
    assert "size" in estimate.stdout

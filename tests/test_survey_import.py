"""Instruments, XLSForm export and importing exports from ODK Central, KoboToolbox and plain
tables: all or nothing, every problem reported with row and column."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from pyxform.xls2xform import convert
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.frameworks import get_framework
from chiso.problems import Refusal
from chiso.surveys.export_reading import import_export
from chiso.surveys.instrument import get_instrument, read_instrument
from chiso.tables.records import write_records

runner = CliRunner(env={"COLUMNS": "250"})
EXPORTS = Path(__file__).parent / "fixtures" / "exports"
ODK = EXPORTS / "sipas_2017_odk_central.csv"
KOBO = EXPORTS / "sipas_2017_kobo.csv"


def test_sipas_instrument_asks_one_question_per_criterion_of_the_framework() -> None:
    instrument = get_instrument("sipas-2017")
    framework = get_framework("sipas-2017")
    assert sorted(q.node for q in instrument.items) == sorted(n.code for n in framework.leaves())
    assert instrument.question("c1_1").scale.satisfied == ("4", "5")
    assert instrument.role("stratum").code == "tinh"


def test_xlsform_export_converts_with_pyxform_and_keeps_labels_and_skips(tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    result = runner.invoke(app, ["survey", "xlsform", "sipas-2017", "--out", str(out)])
    assert result.exit_code == 0, result.output
    xform = convert(xlsform=str(out), validate=False).xform
    assert "Công chức có thái độ giao tiếp lịch sự" in xform
    assert "/data/thong_tin/gop_y" in xform  # the relevance condition survived
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["survey", "choices", "settings"]


def test_odk_central_and_kobo_exports_import_to_the_same_answers() -> None:
    instrument = get_instrument("sipas-2017")
    odk = import_export(str(ODK), instrument, "odk")
    kobo = import_export(str(KOBO), instrument, "kobo")
    assert len(odk.rows) == len(kobo.rows) == 60
    assert odk.rows[0][0].startswith("uuid:")
    assert [r[3:] for r in odk.rows] == [r[3:] for r in kobo.rows]
    assert odk.rows[0][2] == "2017.1"


def _odk_copy(tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    rows = list(csv.reader(ODK.open(encoding="utf-8")))
    edit(rows)
    path = tmp_path / "odk.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_unknown_choices_and_duplicate_ids_are_all_reported(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        header = rows[0]
        rows[3][header.index("yeu_to_3-c3_1")] = "7"
        rows[5][header.index("thong_tin-gop_y")] = "có"
        rows[8][header.index("meta-instanceID")] = rows[2][header.index("meta-instanceID")]

    path = _odk_copy(tmp_path, edit)
    out = tmp_path / "responses.csv"
    args = [
        "survey",
        "import",
        str(path),
        "--instrument",
        "sipas-2017",
        "--profile",
        "odk",
        "--out",
        str(out),
        "--lang",
        "en",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    text = result.output
    assert text.count("value.bad_choice") == 2 and "survey.id_duplicate" in text
    assert "yeu_to_3-c3_1" in text and "│ 4 " in text
    assert not out.exists()


def test_a_missing_question_column_is_named(tmp_path: Path) -> None:
    def edit(rows: list[list[str]]) -> None:
        i = rows[0].index("yeu_to_4-c4_2")
        for r in rows:
            del r[i]

    with pytest.raises(Refusal) as caught:
        import_export(str(_odk_copy(tmp_path, edit)), get_instrument("sipas-2017"), "odk")
    assert {(p.rule, p.params.get("question")) for p in caught.value.report} == {
        ("survey.question_missing", "c4_2")
    }


def test_windows_1258_and_nfd_text_arrive_as_nfc(tmp_path: Path) -> None:
    text = ODK.read_text(encoding="utf-8")
    nfd = tmp_path / "nfd.csv"
    nfd.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    imported = import_export(str(nfd), get_instrument("sipas-2017"), "odk")
    assert imported.warnings == ["survey.nfd_normalised"]
    provinces = {r[3] for r in imported.rows}
    assert provinces == {"Hà Nội", "Phú Thọ", "Quảng Ninh"}
    assert all(unicodedata.is_normalized("NFC", p) for p in provinces)


INSTRUMENT = """\
format: 1
code: kiem-tra
version: "3"
name_vi: Phiếu thử
framework: null
scales:
  kenh:
    type: select_multiple
    options:
      - {value: web, vi: Cổng dịch vụ công}
      - {value: zalo, vi: Zalo}
      - {value: truc_tiep, vi: Trực tiếp}
  tuoi:
    type: integer
    min: 18
    max: 99
questions:
  - {code: kenh, vi: Kênh đã dùng, scale: kenh}
  - {code: tuoi, vi: Tuổi, scale: tuoi}
"""


def test_plain_table_with_mapping_select_multiple_and_ranges(tmp_path: Path) -> None:
    instrument_path = tmp_path / "kiem-tra.yaml"
    instrument_path.write_text(INSTRUMENT, encoding="utf-8")
    instrument, report = read_instrument(instrument_path)
    assert instrument is not None, [p.render("en") for p in report]
    good = tmp_path / "good.csv"
    good.write_text(
        "Mã,Kênh,Tuổi,Trọng số\n1,web zalo,34,1.5\n2,truc_tiep,61,2\n", encoding="utf-8"
    )
    imported = import_export(
        str(good), instrument, "csv", {"Kênh": "kenh", "Tuổi": "tuoi"}, "Mã", {"weight": "Trọng số"}
    )
    columns = imported.columns
    first = dict(zip(columns, imported.rows[0], strict=True))
    assert first["kenh"] == "web zalo" and first["kenh/web"] == 1 and first["kenh/truc_tiep"] == 0
    assert first["Trọng số"] == "1.5"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Mã,Kênh,Tuổi,Trọng số\n1,web fax,34,1.5\n2,zalo,12,0\n3,web,40.5,\n", encoding="utf-8"
    )
    with pytest.raises(Refusal) as caught:
        import_export(
            str(bad),
            instrument,
            "csv",
            {"Kênh": "kenh", "Tuổi": "tuoi"},
            "Mã",
            {"weight": "Trọng số"},
        )
    found = {(p.rule, p.row) for p in caught.value.report}
    assert found == {
        ("value.bad_choice", 2),
        ("value.out_of_range", 3),
        ("survey.weight_not_positive", 3),
        ("value.not_integer", 4),
        ("survey.design_blank", 4),
    }


def _weighted_copy(tmp_path: Path) -> Path:
    imported = tmp_path / "responses.csv"
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
    rows = list(csv.DictReader(io.StringIO(imported.read_text(encoding="utf-8-sig"))))
    for i, r in enumerate(rows):
        r["w"] = str(50 + (i * 37) % 100)
    out = tmp_path / "weighted.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def test_imported_answers_become_satisfied_shares_and_sipas_points(tmp_path: Path) -> None:
    weighted = _weighted_copy(tmp_path)
    points = tmp_path / "points.csv"
    result = runner.invoke(
        app,
        [
            "survey",
            "estimate",
            str(weighted),
            "--instrument",
            "sipas-2017",
            "--weight",
            "w",
            "--by",
            "tinh",
            "--lonely-psu",
            "adjust",
            "--points-out",
            str(points),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(points.read_text(encoding="utf-8-sig"))))
    assert {r["unit"] for r in rows} == {"Hà Nội", "Phú Thọ", "Quảng Ninh"}
    # the share satisfied, computed plainly from the file: weighted share of answers 4 or 5
    data = list(csv.DictReader(weighted.open(encoding="utf-8")))
    hn = [r for r in data if r["tinh"] == "Hà Nội" and r["c1_1"]]
    share = sum(float(r["w"]) for r in hn if r["c1_1"] in ("4", "5")) / sum(
        float(r["w"]) for r in hn
    )
    ours = next(r for r in rows if r["unit"] == "Hà Nội" and r["node"] == "1.1")
    assert float(ours["value"]) == pytest.approx(100 * share, abs=1e-5)
    scored = runner.invoke(app, ["score", "-f", "sipas-2017", str(points), "--lang", "en"])
    assert scored.exit_code == 0, scored.output


def test_responses_of_another_form_version_are_refused(tmp_path: Path) -> None:
    weighted = _weighted_copy(tmp_path)
    text = weighted.read_text(encoding="utf-8").replace(",2017.1,", ",2016.9,")
    weighted.write_text(text, encoding="utf-8")
    out = tmp_path / "est.csv"
    result = runner.invoke(
        app,
        [
            "survey",
            "estimate",
            str(weighted),
            "--instrument",
            "sipas-2017",
            "--weight",
            "w",
            "--lonely-psu",
            "adjust",
            "--out",
            str(out),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 1 and "survey.version_mismatch" in result.output
    assert not out.exists()


def test_standard_errors_of_survey_points_are_carried_into_the_results(tmp_path: Path) -> None:
    weighted = _weighted_copy(tmp_path)
    points = tmp_path / "points.csv"
    runner.invoke(
        app,
        [
            "survey",
            "estimate",
            str(weighted),
            "--instrument",
            "sipas-2017",
            "--weight",
            "w",
            "--by",
            "tinh",
            "--lonely-psu",
            "adjust",
            "--points-out",
            str(points),
        ],
    )
    out = tmp_path / "sipas.json"
    result = runner.invoke(app, ["score", "-f", "sipas-2017", str(points), "--out", str(out)])
    assert result.exit_code == 0, result.output
    import json

    doc = json.loads(out.read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO(points.read_text(encoding="utf-8-sig"))))
    expected = next(r for r in rows if r["unit"] == "Phú Thọ" and r["node"] == "3.2")
    unit = next(u for u in doc["units"] if u["unit"] == "Phú Thọ")
    assert unit["se"]["3.2"] == pytest.approx(float(expected["se"]))


def test_an_import_written_as_parquet_is_read_back_by_estimate(tmp_path: Path) -> None:
    parquet = tmp_path / "responses.parquet"
    result = runner.invoke(
        app,
        [
            "survey",
            "import",
            str(ODK),
            "--instrument",
            "sipas-2017",
            "--profile",
            "odk",
            "--out",
            str(parquet),
        ],
    )
    assert result.exit_code == 0, result.output
    import pyarrow.parquet as pq

    table = pq.read_table(parquet)
    assert table.num_rows == 60 and "c3_2" in table.column_names
    assert table.schema.metadata[b"instrument"] == b'"sipas-2017"'
    # the same responses with weights, as Parquet, give the same estimates as the CSV
    weighted = _weighted_copy(tmp_path)
    rows = list(csv.reader(weighted.open(encoding="utf-8")))
    weighted_parquet = tmp_path / "weighted.parquet"
    write_records(rows[0], rows[1:], weighted_parquet)
    args = [
        "survey",
        "estimate",
        "--instrument",
        "sipas-2017",
        "--weight",
        "w",
        "--by",
        "tinh",
        "--lonely-psu",
        "adjust",
        "--lang",
        "en",
    ]
    from_csv = runner.invoke(app, [*args[:2], str(weighted), *args[2:]])
    from_parquet = runner.invoke(app, [*args[:2], str(weighted_parquet), *args[2:]])
    assert from_parquet.exit_code == 0, from_parquet.output
    assert from_parquet.stdout == from_csv.stdout


HOUSEHOLD = """\
format: 1
code: ho-gia-dinh
version: "1"
name_vi: Phiếu hộ gia đình
scales:
  ten: {type: text}
  gioi: {type: select_one, options: [{value: "1", vi: Nam}, {value: "2", vi: Nữ}]}
  tuoi: {type: integer, min: 0, max: 120}
groups:
  - {code: ho, vi: Hộ}
  - {code: thanh_vien, vi: Thành viên, repeat: true}
questions:
  - {code: xa, vi: Xã, scale: ten, group: ho, role: psu}
  - {code: gioi_tinh, vi: Giới tính, scale: gioi, group: thanh_vien}
  - {code: tuoi, vi: Tuổi, scale: tuoi, group: thanh_vien}
"""


def _household(tmp_path: Path, member_rows: list[str]) -> tuple[Path, Path, Path]:
    form = tmp_path / "ho-gia-dinh.yaml"
    form.write_text(HOUSEHOLD, encoding="utf-8")
    main = tmp_path / "ho_gia_dinh.csv"
    main.write_text(
        "SubmissionDate,ho-xa,meta-instanceID,FormVersion,KEY\n"
        "2024-10-01T08:00:00.000Z,X1,uuid:a,1,uuid:a\n"
        "2024-10-01T09:00:00.000Z,X2,uuid:b,1,uuid:b\n",
        encoding="utf-8",
    )
    members = tmp_path / "ho_gia_dinh-thanh_vien.csv"
    members.write_text(
        "thanh_vien-gioi_tinh,thanh_vien-tuoi,PARENT_KEY,KEY\n"
        + "".join(r + "\n" for r in member_rows),
        encoding="utf-8",
    )
    return form, main, members


def test_repeat_groups_are_an_xlsform_repeat_and_import_from_their_own_csv(
    tmp_path: Path,
) -> None:
    form, main, members = _household(
        tmp_path,
        [
            "1,45,uuid:a,uuid:a/thanh_vien[1]",
            "2,43,uuid:a,uuid:a/thanh_vien[2]",
            "2,8,uuid:b,uuid:b/thanh_vien[1]",
        ],
    )
    xlsform = tmp_path / "form.xlsx"
    assert (
        runner.invoke(app, ["survey", "xlsform", str(form), "--out", str(xlsform)]).exit_code == 0
    )
    assert "<repeat" in convert(xlsform=str(xlsform), validate=False).xform
    out = tmp_path / "responses.csv"
    result = runner.invoke(
        app,
        [
            "survey",
            "import",
            str(main),
            "--instrument",
            str(form),
            "--repeat",
            str(members),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(
        csv.DictReader(
            io.StringIO((tmp_path / "responses-thanh_vien.csv").read_text(encoding="utf-8-sig"))
        )
    )
    assert [(r["submission_id"], r["tuoi"]) for r in rows] == [
        ("uuid:a", "45"),
        ("uuid:a", "43"),
        ("uuid:b", "8"),
    ]


def test_repeat_rows_must_belong_to_a_submission_and_answer_within_range(tmp_path: Path) -> None:
    form, main, members = _household(
        tmp_path,
        [
            "1,45,uuid:a,uuid:a/thanh_vien[1]",
            "3,130,uuid:z,uuid:z/thanh_vien[1]",
        ],
    )
    out = tmp_path / "responses.csv"
    result = runner.invoke(
        app,
        [
            "survey",
            "import",
            str(main),
            "--instrument",
            str(form),
            "--repeat",
            str(members),
            "--out",
            str(out),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 1
    for rule in ("survey.repeat_orphan", "value.bad_choice", "value.out_of_range"):
        assert rule in result.output
    assert not out.exists() and not (tmp_path / "responses-thanh_vien.csv").exists()

"""Records in the national portal's standard (JSON and CSV with its field names): read into
chiso's schema, every problem named by file, record and field, a file with a problem refused
whole."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from chiso.problems import Refusal
from chiso.records.standard import Profile, check_standard, import_standard, load_profile

PROFILE_YAML = """\
# codes of a one-stop system (examples for the tests, not the Government Office's list)
statuses: {"2": open, "4": open, "10": done, "11": refused, "12": withdrawn, "13": returned}
channel: {field: KenhNop, codes: {"1": in_person, "2": online_partial, "3": online_full}}
procedures: {"1.001": province, "1.002": commune}
"""


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    path = tmp_path / "profile.yaml"
    path.write_text(PROFILE_YAML, encoding="utf-8")
    return load_profile(path)


def record(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "MaHoSo": "H1",
        "MaTTHC": "1.001",
        "TenTTHC": "Cấp giấy phép",
        "MaLinhVuc": "LV1",
        "DonViXuLy": "Hà Nội",
        "ChuHoSo": "Nguyễn Văn A",
        "SoDienThoai": "0900000000",
        "NgayTiepNhan": "20240305083000",
        "NgayHenTra": "20240308170000",
        "TrangThaiHoSo": "10",
        "NgayKetThucXuLy": "2024-03-07T02:00:00Z",
        "KenhNop": "3",
        "TaiLieuNop": [{"TenTepDinhKem": "don.pdf"}],
        "DanhSachGiayToKetQua": [],
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def write_json(tmp_path: Path, records: list[dict[str, object]]) -> Path:
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_json_export_becomes_chisos_records(tmp_path: Path, profile: Profile) -> None:
    path = write_json(
        tmp_path,
        [record(), record(MaHoSo="H2", TrangThaiHoSo="4", NgayKetThucXuLy=None, KenhNop="1")],
    )
    out = tmp_path / "dataset"
    assert import_standard(path, out, profile, ("Hà Nội",)) == 2
    rows = {r["dossier_id"]: r for r in pq.read_table(out).to_pylist()}
    done = rows["H1"]
    assert done["level"] == "province" and done["channel"] == "online_full"
    assert done["received"] == dt.datetime(2024, 3, 5, 8, 30)
    # 02:00 UTC is 09:00 in Vietnam
    assert done["finished"] == dt.datetime(2024, 3, 7, 9, 0)
    assert done["outcome"] == "done"
    assert done["inputs_digitised"] is True and done["results_digitised"] is False
    assert rows["H2"]["outcome"] is None and rows["H2"]["finished"] is None


def test_a_csv_export_with_the_standards_header_is_read_the_same(
    tmp_path: Path, profile: Profile
) -> None:
    path = tmp_path / "records.csv"
    path.write_text(
        "MaHoSo,MaTTHC,MaLinhVuc,DonViXuLy,NgayTiepNhan,NgayHenTra,TrangThaiHoSo,"
        "NgayKetThucXuLy,KenhNop,TaiLieuNop\n"
        "H1,1.001,LV1,Hà Nội,20240305083000,20240308170000,10,20240307090000,3,1\n",
        encoding="utf-8",
    )
    out = tmp_path / "dataset"
    assert import_standard(path, out, profile) == 1
    (row,) = pq.read_table(out).to_pylist()
    assert row["finished"] == dt.datetime(2024, 3, 7, 9, 0) and row["inputs_digitised"]


def test_every_bad_record_is_named_by_file_record_and_field(
    tmp_path: Path, profile: Profile
) -> None:
    path = write_json(
        tmp_path,
        [
            record(),
            record(MaHoSo="H2", MaTTHC=None),
            record(MaHoSo="H3", MaTTHC="9.999"),
            record(MaHoSo="H4", NgayTiepNhan="2024-03-05 08:30:00"),
            record(TrangThaiHoSo="4", NgayKetThucXuLy=None),
            record(MaHoSo="H6", TrangThaiHoSo="99"),
            record(MaHoSo="H7", NgayTiepNhan="hôm qua"),
            record(MaHoSo="H8", TrangThaiHoSo="10", NgayKetThucXuLy=None),
        ],
    )
    con, report = check_standard(path, profile)
    con.close()
    assert all(p.file == str(path) for p in report)
    assert {(p.row, p.column, p.rule) for p in report} == {
        (2, "MaTTHC", "standard.missing"),
        (3, "MaTTHC", "standard.unknown_procedure"),
        (4, "NgayTiepNhan", "standard.time_without_zone"),
        (5, "MaHoSo", "standard.conflicting_duplicate"),
        (6, "TrangThaiHoSo", "standard.unknown_code"),
        (7, "NgayTiepNhan", "standard.bad_time"),
        (8, "NgayKetThucXuLy", "standard.finished_without_time"),
    }


def test_a_refused_file_writes_nothing(tmp_path: Path, profile: Profile) -> None:
    path = write_json(tmp_path, [record(), record(MaHoSo="H2", MaTTHC="9.999")])
    out = tmp_path / "dataset"
    with pytest.raises(Refusal) as caught:
        import_standard(path, out, profile)
    assert not out.exists()
    text = "\n".join(caught.value.report.lines("en"))
    assert "9.999" in text and "catalogue" in text


def test_an_identical_copy_of_a_record_is_taken_once(tmp_path: Path, profile: Profile) -> None:
    path = write_json(tmp_path, [record(), record()])
    assert import_standard(path, tmp_path / "dataset", profile) == 1


def test_a_profile_with_a_word_outside_the_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(PROFILE_YAML.replace("returned}", "lost}"), encoding="utf-8")
    with pytest.raises(Refusal):
        load_profile(path)

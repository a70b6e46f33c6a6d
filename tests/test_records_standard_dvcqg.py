"""The built-in ``dvcqg`` codes: records as the one-stop systems send them to the National
Public Service Portal (TrangThaiHoSo 1–10, KenhThucHien 1–3, DuocThanhToanTrucTuyen,
HoSoCoThanhPhanSoHoa, times yyyyMMddHHmmss in Vietnam time), taken by a profile file that
``extends: dvcqg`` and adds its catalogue of procedures. Each status means what
docs/dossier-records.md says; a dossier never received is left out; every bad input is
still named by file, record and field, and nothing of a refused file is counted."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.frameworks import get_framework
from chiso.problems import Refusal
from chiso.records.running import RunningIndex
from chiso.records.standard import (
    BUILTIN_PROFILES,
    Profile,
    check_standard,
    import_standard,
    load_profile,
)

CATALOGUE = """\
extends: dvcqg
procedures: {"1.001": province, "2.002": commune}
"""

# status code → (chiso's outcome, or "open", or None when the record is left out)
MEANING = {
    "1": None,
    "2": "open",
    "3": None,
    "4": "open",
    "5": "returned",
    "6": "open",
    "7": "withdrawn",
    "8": "refused",
    "9": "done",
    "10": "done",
}
FINISHING = {code for code, word in MEANING.items() if word not in (None, "open")}


def profile_file(tmp_path: Path, text: str = CATALOGUE) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return load_profile(profile_file(tmp_path))


def record(**changes: object) -> dict[str, object]:
    """One record of the synchronisation body, with the fields a one-stop system sends,
    the applicant's among them (they must be ignored)."""
    base: dict[str, object] = {
        "MaHoSo": "H1",
        "MaTTHC": "1.001",
        "TenTTHC": "Cấp giấy phép",
        "MaLinhVuc": "LV1",
        "TenLinhVuc": "Công thương",
        "KenhThucHien": "2",
        "SoGiayToChuHoSo": "001099000001",
        "ChuHoSo": "Nguyễn Văn A",
        "LoaiDoiTuong": "1",
        "Email": "a@example.vn",
        "SoDienThoai": "0900000000",
        "TrichYeuHoSo": "Xin cấp phép",
        "NgayNopHoSo": "20240304160000",
        "NgayTiepNhan": "20240305083000",
        "NgayHenTra": "20240308170000",
        "TrangThaiHoSo": "10",
        "NgayKetThucXuLy": "20240307090000",
        "NgayTra": "20240307100000",
        "HinhThuc": "0",
        "DonViXuLy": "Hà Nội",
        "TaiLieuNop": [{"TepDinhKemId": "1"}],
        "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "MucPhi": 50000}],
        "DanhSachGiayToKetQua": [{"TenGiayTo": "Giấy phép"}],
        "HoSoCoThanhPhanSoHoa": "1",
        "TaiKhoanDuocXacThucVoiVNeID": "1",
        "DuocThanhToanTrucTuyen": "1",
        "NgayTuChoi": None,
        "DinhDanhCHS": [{"SoDinhDanh": "001099000001"}],
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def one_per_status() -> list[dict[str, object]]:
    """A record in each status, finishing ones with their finishing time; the two never
    received have no receipt, no due time and no channel (nothing of theirs is read)."""
    out = []
    for code, word in MEANING.items():
        changes: dict[str, object | None] = {"MaHoSo": f"S{code}", "TrangThaiHoSo": code}
        if word in (None, "open"):
            changes["NgayKetThucXuLy"] = None
        if word is None:
            changes.update(NgayTiepNhan=None, NgayHenTra=None, KenhThucHien=None)
        out.append(record(**changes))
    return out


def write_json(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def write_csv(path: Path, records: list[dict[str, object]]) -> Path:
    """The same records as a CSV with the standard's field names (lists as JSON text)."""
    names = list(dict.fromkeys(k for r in records for k in r))
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, names)
        writer.writeheader()
        for r in records:
            writer.writerow(
                {
                    k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                    for k, v in r.items()
                }
            )
    return path


def imported(source: Path, profile: Profile, out: Path) -> dict[str, dict[str, object]]:
    import_standard(source, out, profile, ("Hà Nội",))
    return {str(r["dossier_id"]): r for r in pq.read_table(out).to_pylist()}


def test_each_status_code_means_what_the_documentation_says(
    tmp_path: Path, profile: Profile
) -> None:
    rows = imported(write_json(tmp_path / "h.json", one_per_status()), profile, tmp_path / "d")
    received = {code for code, word in MEANING.items() if word is not None}
    assert set(rows) == {f"S{code}" for code in received}
    for code in received:
        row = rows[f"S{code}"]
        expected = None if MEANING[code] == "open" else MEANING[code]
        assert row["outcome"] == expected, code
        assert (row["finished"] is not None) == (code in FINISHING), code


def test_the_built_in_codes_are_the_ones_the_systems_implement() -> None:
    codes = BUILTIN_PROFILES["dvcqg"]
    assert {c: (None if w == "not_received" else w) for c, w in codes["statuses"].items()} == (
        MEANING
    )
    assert codes["channel"] == {
        "field": "KenhThucHien",
        "codes": {"1": "in_person", "2": "online_partial", "3": "in_person"},
    }


def test_a_json_and_a_csv_export_give_the_same_records(tmp_path: Path, profile: Profile) -> None:
    records = [
        *one_per_status(),
        record(MaHoSo="K1", KenhThucHien="1", DuocThanhToanTrucTuyen="3"),
        record(MaHoSo="K3", KenhThucHien="3", DuocThanhToanTrucTuyen="3", DanhSachLePhi=[]),
        record(MaHoSo="Z1", HoSoCoThanhPhanSoHoa="0", MaTTHC="2.002"),
        record(MaHoSo="Z2", HoSoCoThanhPhanSoHoa=None, TaiLieuNop=[]),
        record(MaHoSo="Z3", DuocThanhToanTrucTuyen=None),
    ]
    from_json = imported(write_json(tmp_path / "h.json", records), profile, tmp_path / "j")
    from_csv = imported(write_csv(tmp_path / "h.csv", records), profile, tmp_path / "c")
    assert from_json == from_csv
    # channel: 2 online; 1 at the counter; 3 by post, not online
    assert from_json["S10"]["channel"] == "online_partial"
    assert from_json["K1"]["channel"] == "in_person"
    assert from_json["K3"]["channel"] == "in_person"
    # paid online: 1 yes; 3 with a fee listed no; 3 without a fee, or no field, says nothing
    assert from_json["S10"]["paid_online"] is True
    assert from_json["K1"]["paid_online"] is False
    assert from_json["K3"]["paid_online"] is None
    assert from_json["Z3"]["paid_online"] is None
    # digitised inputs: the system's flag wins over the list of files; no flag: the list
    assert from_json["S10"]["inputs_digitised"] is True
    assert from_json["Z1"]["inputs_digitised"] is False and from_json["Z1"]["level"] == "commune"
    assert from_json["Z2"]["inputs_digitised"] is False
    assert from_json["S10"]["results_digitised"] is True and from_json["S10"]["synced"] is True
    # yyyyMMddHHmmss is Vietnam time, read as it is
    assert from_json["S10"]["received"] == dt.datetime(2024, 3, 5, 8, 30)
    assert from_json["S10"]["finished"] == dt.datetime(2024, 3, 7, 9, 0)


def test_every_bad_record_is_still_named_by_file_record_and_field(
    tmp_path: Path, profile: Profile
) -> None:
    path = write_json(
        tmp_path / "h.json",
        [
            record(),
            record(MaHoSo="B2", TrangThaiHoSo="0"),  # the portal's "interoperating": no code
            record(MaHoSo="B3", KenhThucHien=None),
            record(MaHoSo="B4", NgayTiepNhan="2024-03-05 08:30:00"),
            record(MaHoSo="B5", HoSoCoThanhPhanSoHoa="có lẽ"),
            record(MaHoSo="B6", TrangThaiHoSo="9", NgayKetThucXuLy=None),
            record(MaHoSo="B7", TrangThaiHoSo="4"),  # open with a finishing time
            record(MaHoSo="B8", MaTTHC="9.999"),
            record(MaHoSo="B9", KenhThucHien="4"),
            record(MaHoSo=None, TrangThaiHoSo="1"),  # even a record left out needs its id
        ],
    )
    con, report = check_standard(path, profile, ("Hà Nội",))
    con.close()
    assert all(p.file == str(path) for p in report)
    assert {(p.row, p.column, p.rule) for p in report} == {
        (2, "TrangThaiHoSo", "standard.unknown_code"),
        (3, "KenhThucHien", "standard.missing"),
        (4, "NgayTiepNhan", "standard.time_without_zone"),
        (5, "HoSoCoThanhPhanSoHoa", "record.bad_flag"),
        (6, "NgayKetThucXuLy", "standard.finished_without_time"),
        (7, "NgayKetThucXuLy", "standard.time_while_open"),
        (8, "MaTTHC", "standard.unknown_procedure"),
        (9, "KenhThucHien", "standard.unknown_code"),
        (10, "MaHoSo", "standard.missing"),
    }


def test_a_refused_file_is_counted_nowhere(tmp_path: Path, profile: Profile) -> None:
    bad = write_json(tmp_path / "b.json", [record(), record(MaHoSo="B2", TrangThaiHoSo="0")])
    with pytest.raises(Refusal):
        import_standard(bad, tmp_path / "d", profile)
    assert not (tmp_path / "d").exists()
    fw = get_framework("service-index-2022")
    with RunningIndex(tmp_path / "state.duckdb", fw) as running:
        with pytest.raises(Refusal):
            running.fold_file(bad, profile)
        assert running.records().num_rows == 0
        assert not any(v.denominator for v in running.values())


def test_a_dossier_left_out_while_not_received_is_counted_once_received(
    tmp_path: Path, profile: Profile
) -> None:
    fw = get_framework("service-index-2022")
    first = record(TrangThaiHoSo="1", NgayTiepNhan=None, NgayHenTra=None, NgayKetThucXuLy=None)
    with RunningIndex(tmp_path / "state.duckdb", fw) as running:
        running.fold_file(write_json(tmp_path / "a.json", [first]), profile)
        assert running.records().num_rows == 0
        running.fold_file(write_json(tmp_path / "b.json", [record()]), profile)
        stored = running.records()
    assert stored.num_rows == 1 and stored["outcome"].to_pylist() == ["done"]


def test_the_profile_alone_names_what_it_lacks(tmp_path: Path) -> None:
    with pytest.raises(Refusal) as caught:
        load_profile("dvcqg")
    (problem,) = list(caught.value.report)
    assert problem.rule == "standard.needs_catalogue"
    text = "\n".join(caught.value.report.lines("en"))
    assert "extends: dvcqg" in text and "procedures" in text


def test_a_profile_file_may_replace_the_meaning_of_a_built_in_code(tmp_path: Path) -> None:
    """A system that does not fill NgayKetThucXuLy when it asks for more documents keeps
    status 5 open."""
    own = load_profile(profile_file(tmp_path, CATALOGUE + 'statuses: {"5": open}\n'))
    assert own.statuses["5"] == "open" and own.statuses["9"] == "done"
    assert "5" not in own.finishing and own.channel_field == "KenhThucHien"
    path = write_json(tmp_path / "h.json", [record(TrangThaiHoSo="5", NgayKetThucXuLy=None)])
    rows = imported(path, own, tmp_path / "d")
    assert rows["H1"]["outcome"] is None


@pytest.mark.parametrize(
    "text",
    [
        'extends: dvcqh\nprocedures: {"1.001": province}\n',
        CATALOGUE + "time_zone: Europe/Paris\n",
        CATALOGUE + 'statuses: {"5": lost}\n',
        CATALOGUE + "statuses_typo: {}\n",
    ],
)
def test_a_bad_profile_file_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(Refusal):
        load_profile(profile_file(tmp_path, text))


def test_compact_times_are_read_in_the_zone_the_profile_states(tmp_path: Path) -> None:
    """A system writing UTC says so: 01:30 UTC is 08:30 in Vietnam. Zone-less ISO times are
    refused whatever the profile says."""
    utc = load_profile(profile_file(tmp_path, CATALOGUE + 'time_zone: "+00:00"\n'))
    path = write_json(tmp_path / "h.json", [record(NgayTiepNhan="20240305013000")])
    rows = imported(path, utc, tmp_path / "d")
    assert rows["H1"]["received"] == dt.datetime(2024, 3, 5, 8, 30)
    bad = write_json(tmp_path / "b.json", [record(NgayTiepNhan="2024-03-05T01:30:00")])
    con, report = check_standard(bad, utc)
    con.close()
    assert [p.rule for p in report] == ["standard.time_without_zone"]


def test_the_command_imports_and_indexes_an_export_end_to_end(tmp_path: Path) -> None:
    """Three online dossiers of four received in March: 3.2 is 75 %; the one never received
    is in no count."""
    records = [
        record(MaHoSo="A1"),
        record(MaHoSo="A2", KenhThucHien="1"),
        record(MaHoSo="A3", TrangThaiHoSo="4", NgayKetThucXuLy=None),
        record(MaHoSo="A4", TrangThaiHoSo="7"),
        record(MaHoSo="A5", TrangThaiHoSo="3", NgayTiepNhan=None, NgayHenTra=None),
    ]
    source = write_json(tmp_path / "ho-so.json", records)
    runner = CliRunner()
    out = tmp_path / "dataset"
    result = runner.invoke(
        app,
        ["dossiers", "import", str(source), "--profile", str(profile_file(tmp_path)),
         "--out", str(out), "--lang", "en"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    values = tmp_path / "values.csv"
    result = runner.invoke(
        app,
        ["dossiers", "index", str(out), "-f", "service-index-2022", "--period", "2024-03",
         "--out", str(values)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with open(values, encoding="utf-8") as f:
        got = {r["node"]: r["value"] for r in csv.DictReader(f)}
    assert float(got["3.2"]) == pytest.approx(75.0)
    assert float(got["1.4"]) == pytest.approx(100.0)


def test_a_dossier_sent_later_as_not_received_keeps_its_counted_state(
    tmp_path: Path, profile: Profile
) -> None:
    fw = get_framework("service-index-2022")
    later = record(TrangThaiHoSo="3", NgayTiepNhan=None, NgayHenTra=None, NgayKetThucXuLy=None)
    with RunningIndex(tmp_path / "state.duckdb", fw) as running:
        running.fold_file(write_json(tmp_path / "a.json", [record()]), profile)
        before = running.values()
        running.fold_file(write_json(tmp_path / "b.json", [later]), profile)
        assert running.values() == before
        assert running.records()["outcome"].to_pylist() == ["done"]

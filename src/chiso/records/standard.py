"""Dossier records as the one-stop systems send them to the National Public Service Portal
(Cổng Dịch vụ công quốc gia, DVCQG): a JSON array of records, or a CSV whose header has the
same field names, read, checked and turned into chiso's record schema.

The field names and which are mandatory are those of the portal's dossier synchronisation
(``MaHoSo``, ``MaTTHC``, ``NgayTiepNhan``, ``NgayHenTra``, ``TrangThaiHoSo``,
``NgayKetThucXuLy``, ``DonViXuLy``…), as a one-stop system that connects to the portal writes
them (VietOpenCPS/opencps-v2, ``DVCQGIntegrationActionImpl.createSyncDossierBodyRequest``: the
fields it marks "ko bb" are the optional ones; times are ``yyyyMMddHHmmss`` in the
Asia/Ho_Chi_Minh zone). The Government Office's own technical guidance and its code tables
were not found in public sources. The codes of a status and of a channel come from a profile
(:class:`Profile`): the administrator's own YAML file, or the built-in ``dvcqg`` codes
(:data:`BUILTIN_PROFILES`) as two open-source one-stop systems implement them — which a
profile file takes with ``extends: dvcqg``, adding its catalogue of procedures. Never guessed.
docs/dossier-records.md maps every field and says why each status means what it does here.

Every check runs as SQL in DuckDB; every problem names the file, the record (its position in
the JSON array, or the CSV line) and the standard's field; a file with any problem is refused
whole (:class:`chiso.problems.Refusal`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiso.frameworks.dossier_schema import CHANNELS, LEVELS, OUTCOMES
from chiso.problems import MAX_PROBLEMS, ProblemReport, Refusal

if TYPE_CHECKING:
    import duckdb

READ: dict[str, str] = {
    "MaHoSo": "dossier_id",
    "MaTTHC": "procedure",
    "MaLinhVuc": "field",
    "DonViXuLy": "unit",
    "NgayTiepNhan": "received",
    "NgayHenTra": "due",
    "NgayKetThucXuLy": "finished",
    "TrangThaiHoSo": "outcome",
}
"""The standard's fields chiso reads, and the column of chiso's schema each one gives."""

MANDATORY: tuple[str, ...] = (
    "MaHoSo",
    "MaTTHC",
    "MaLinhVuc",
    "DonViXuLy",
    "NgayTiepNhan",
    "NgayHenTra",
    "TrangThaiHoSo",
)
"""Mandatory in the standard and read by chiso (a record without one is refused)."""

DERIVED: dict[str, str] = {
    "TaiLieuNop": "inputs_digitised",
    "DanhSachGiayToKetQua": "results_digitised",
    "HoSoCoThanhPhanSoHoa": "inputs_digitised",
    "DuocThanhToanTrucTuyen": "paid_online",
    "DanhSachLePhi": "paid_online",
}
"""Fields that give a flag: documents submitted as files (inputs digitised), result documents
as files (an electronic result), the system's own flag of digitised components (which, when
given, wins over the list of files), paid online ("1"; any other code is not paid online when
the record lists a fee, and says nothing when it lists none). An empty or absent list is
"no"."""

IGNORED: tuple[str, ...] = (
    "TenTTHC",
    "TenLinhVuc",
    "SoBienNhan",
    "ChuHoSo",
    "LoaiDoiTuong",
    "MaDoiTuong",
    "ThongTinKhac",
    "Email",
    "Fax",
    "SoDienThoai",
    "TrichYeuHoSo",
    "SoGiayToChuHoSo",
    "DinhDanhCHS",
    "TaiKhoanDuocXacThucVoiVNeID",
    "NgayTra",
    "ThongTinTra",
    "HinhThuc",
    "NgayTuChoi",
    "NgayNopHoSo",
    "NoiNopHoSo",
    "GhiChu",
    "DanhSachTepDinhKemKhac",
    "DanhSachHoSoBoSung",
    "DSKetNoiCSDL",
)
"""Fields of the standard chiso does not read: names (the catalogue has them), the applicant's
identity, contact and account (never needed for an index), the return of the result and how
(``HinhThuc``: at the counter or by post), the refusal's date of a dossier not received, the
submission's date (``NgayTiepNhan`` is the receipt), notes, other files, supplements, the
databases consulted."""

NOT_RECEIVED = "not_received"
"""A profile's word for a status whose records are left out: the dossier was never received
(registered online and not yet received, or refused at the counter), so it is in none of the
unit's counts. Only its ``MaHoSo`` and ``TrangThaiHoSo`` are checked."""

STATUS_WORDS: tuple[str, ...] = ("open", NOT_RECEIVED, *OUTCOMES)
"""What a status code may mean in a profile."""

BUILTIN_PROFILES: dict[str, dict[str, Any]] = {
    "dvcqg": {
        "statuses": {
            "1": NOT_RECEIVED,  # Mới đăng ký: registered online, not yet received
            "2": "open",  # Được tiếp nhận
            "3": NOT_RECEIVED,  # Không được tiếp nhận: refused at the counter
            "4": "open",  # Đang xử lý
            "5": "returned",  # Yêu cầu bổ sung giấy tờ
            "6": "open",  # Yêu cầu thực hiện nghĩa vụ tài chính
            "7": "withdrawn",  # Công dân yêu cầu rút hồ sơ
            "8": "refused",  # Dừng xử lý
            "9": "done",  # Đã xử lý xong
            "10": "done",  # Đã trả kết quả
        },
        "channel": {
            "field": "KenhThucHien",
            # 1 trực tiếp; 2 trực tuyến (the record does not say whether in part or in
            # full); 3 bưu chính công ích (by post: not online, counted with the counter)
            "codes": {"1": "in_person", "2": "online_partial", "3": "in_person"},
        },
        "time_zone": "Asia/Ho_Chi_Minh",
    }
}
"""The status and channel codes as the one-stop systems implement them — NOT the Government
Office's official tables, which were not found. Sources (docs/dossier-records.md): the
one-stop system of HuanVu201/DichVuCong_KhoaLuan_PASETO (commit 7d1730ca5ca7, 2025-02-25:
``ApplicationDbSeeder.cs`` and ``HoSoEventUtils.GetTenTrangThaiHoSo`` for TrangThaiHoSo 1–10,
``TiepNhanHoSoTrucTuyenConstants.cs`` for KenhThucHien 1–3, ``ISyncLocalDataToDVCQGService.cs``
for the record's fields) and VietOpenCPS/opencps-v2 (``DVCQGIntegrationActionImpl.java``:
the same fields, times ``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh). A built-in profile has no
catalogue of procedures (MaTTHC → level): that is each administration's, so it is used by a
profile file that ``extends`` it."""

PROFILE_KEYS = ("extends", "statuses", "channel", "procedures", "time_zone")

_YES_WORDS = "'1', 'true', 't', 'có'"
_FLAG_WORDS = _YES_WORDS + ", '0', 'false', 'f', 'không'"
"""The yes/no words of a flag field, lower case (as chiso's own records: 1/0, true/false)."""
_COMPACT = r"^\d{14}$"
_ZONED = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$"
_ISO_LOCAL = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$"
_VIETNAM_US = 7 * 3600 * 1_000_000
"""Vietnam is UTC+7 all year (no daylight saving since 1975)."""
_OFFSET = r"^([+-])(\d{2}):(\d{2})$"


def zone_offset_us(zone: str) -> int | None:
    """The UTC offset of a profile's ``time_zone``: ``Asia/Ho_Chi_Minh`` (UTC+7, the standard's
    own), ``UTC``, or a fixed offset ``+07:00``; None for anything else (a named zone with
    daylight saving would make a zone-less time ambiguous once a year)."""
    import re

    if zone == "Asia/Ho_Chi_Minh":
        return _VIETNAM_US
    if zone in ("UTC", "Z"):
        return 0
    m = re.match(_OFFSET, zone)
    if m is None or int(m.group(2)) > 14 or int(m.group(3)) >= 60:
        return None
    us = (int(m.group(2)) * 3600 + int(m.group(3)) * 60) * 1_000_000
    return us if m.group(1) == "+" else -us


@dataclass(frozen=True)
class Profile:
    """What the standard leaves to each system: the meaning of its status codes (open, not
    received, or one of chiso's outcomes), the field and codes of the channel, the known
    procedures with their level, and the zone its ``yyyyMMddHHmmss`` times are written in.
    Read from a YAML file by :func:`load_profile`."""

    statuses: dict[str, str]
    channel_field: str
    channels: dict[str, str]
    procedures: dict[str, str]
    finishing: tuple[str, ...] = field(default=())
    time_zone: str = "Asia/Ho_Chi_Minh"
    """The zone of the standard's compact times (``yyyyMMddHHmmss`` carries none): the
    standard's senders write Vietnam time; a profile states another only for a system that
    writes another. Any other time without a zone is refused."""
    extends: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "finishing",
            tuple(c for c, o in self.statuses.items() if o not in ("open", NOT_RECEIVED)),
        )

    @property
    def offset_us(self) -> int:
        offset = zone_offset_us(self.time_zone)
        return _VIETNAM_US if offset is None else offset


def load_profile(path: str | Path) -> Profile:
    """A profile file: ``statuses`` (code → open | not_received | done | refused | withdrawn
    | returned), ``channel`` (``field`` and ``codes``: code → in_person | online_partial |
    online_full), ``procedures`` (MaTTHC → ministry | province | district | commune) and
    optionally ``time_zone`` (of the compact times; Asia/Ho_Chi_Minh when not given).

    ``extends: dvcqg`` takes the statuses, channel and time zone of a built-in profile
    (:data:`BUILTIN_PROFILES`); the file then needs only its ``procedures``, and a status or
    channel code it gives replaces the built-in meaning of that code. The name of a built-in
    profile alone (``--profile dvcqg``) is refused with how to add the catalogue: without it no
    record's level is known."""
    from chiso.yamlfiles import load_yaml

    label = str(path)
    report = ProblemReport()
    if str(path) in BUILTIN_PROFILES and not Path(path).exists():
        report.add("standard.needs_catalogue", label, key="procedures", name=str(path))
        raise Refusal(report)
    try:
        raw = Path(path).read_bytes()
    except OSError:
        report.add("file.not_found", label)
        raise Refusal(report) from None
    data = load_yaml(raw, label, report)
    if report:
        raise Refusal(report)
    if not isinstance(data, dict):
        report.add("standard.bad_profile", label, key="statuses")
        raise Refusal(report)
    for key in data:
        if str(key) not in PROFILE_KEYS:
            report.add("standard.bad_profile", label, key=str(key))
    extends = str(data.get("extends") or "")
    base: dict[str, Any] = {}
    if extends:
        if extends not in BUILTIN_PROFILES:
            report.add(
                "record.bad_choice",
                label,
                None,
                "extends",
                value=extends,
                name="extends",
                allowed=", ".join(BUILTIN_PROFILES),
            )
        else:
            base = BUILTIN_PROFILES[extends]

    def words(key: str, raw: Any, allowed: tuple[str, ...]) -> dict[str, str]:
        if not isinstance(raw, dict) or not raw:
            report.add("standard.bad_profile", label, key=key)
            return {}
        out: dict[str, str] = {}
        for code, word in raw.items():
            if str(word) not in allowed:
                report.add(
                    "record.bad_choice",
                    label,
                    None,
                    key,
                    value=str(word),
                    name=key,
                    allowed=", ".join(allowed),
                )
            out[str(code)] = str(word)
        return out

    def merged(own: Any, inherited: Any) -> Any:
        """The file's mapping over the built-in one, code by code."""
        if own is None:
            return inherited
        if isinstance(own, dict) and isinstance(inherited, dict):
            return {**inherited, **own}
        return own

    statuses = words("statuses", merged(data.get("statuses"), base.get("statuses")), STATUS_WORDS)
    channel = data.get("channel")
    inherited = base.get("channel")
    if isinstance(inherited, dict):
        if channel is None:
            channel = inherited
        elif isinstance(channel, dict):
            channel = {
                "field": channel.get("field", inherited["field"]),
                "codes": merged(channel.get("codes"), inherited["codes"]),
            }
    channel_field = str(channel.get("field", "")) if isinstance(channel, dict) else ""
    if not channel_field:
        report.add("standard.bad_profile", label, key="channel.field")
    codes = channel.get("codes") if isinstance(channel, dict) else None
    channels = words("channel.codes", codes, CHANNELS)
    procedures = words("procedures", data.get("procedures"), LEVELS)
    zone = str(data.get("time_zone") or base.get("time_zone") or "Asia/Ho_Chi_Minh")
    if zone_offset_us(zone) is None:
        report.add("standard.bad_profile", label, key="time_zone")
    if report:
        raise Refusal(report)
    return Profile(statuses, channel_field, channels, procedures, time_zone=zone, extends=extends)


def _open_standard(con: duckdb.DuckDBPyConnection, path: Path, profile: Profile) -> None:
    """The file as table ``raw``: one row per record, ``_row`` its number, every field read
    as text (lists as JSON text)."""
    names = list(dict.fromkeys([*READ, profile.channel_field, *DERIVED]))
    quoted = "'" + str(path).replace("'", "''") + "'"
    if path.suffix.lower() == ".json":
        columns = ", ".join(f"'{n}': 'JSON'" for n in names)
        con.execute(
            "CREATE TEMP TABLE raw0 AS SELECT * FROM read_json("
            f"{quoted}, format = 'array', columns = {{{columns}}})"
        )
        first = 1
    else:
        con.execute(
            "CREATE TEMP TABLE raw0 AS SELECT * FROM "
            f"read_csv({quoted}, all_varchar = true, header = true)"
        )
        present = {r[0] for r in con.execute("DESCRIBE raw0").fetchall()}
        for name in names:
            if name not in present:
                con.execute(f'ALTER TABLE raw0 ADD COLUMN "{name}" VARCHAR')
        first = 2  # the header is line 1
    texts = []
    for name in names:
        value = f'CAST("{name}" AS VARCHAR)'
        if path.suffix.lower() == ".json":
            # a JSON string's text without its quotes; a number or a list as written
            value = (
                f"CASE WHEN json_type(\"{name}\") = 'VARCHAR' THEN \"{name}\" ->> '$'"
                f' ELSE CAST("{name}" AS VARCHAR) END'
            )
        texts.append(f"nullif(trim({value}), '') AS \"{name}\"")
    con.execute(
        f"CREATE TEMP TABLE raw AS SELECT row_number() OVER () + {first - 1} AS _row,"
        f" {', '.join(texts)} FROM raw0"
    )


def _local_time(col: str, offset_us: int = _VIETNAM_US) -> str:
    """Vietnam local time from the standard's compact form (written in the profile's zone,
    ``offset_us`` from UTC: Vietnam's unless the profile says otherwise) or from an ISO time
    with its offset; NULL for anything else."""
    compact = f"try_strptime({col}, '%Y%m%d%H%M%S')"
    if offset_us != _VIETNAM_US:
        compact = f"make_timestamp(epoch_us({compact}) + {_VIETNAM_US - offset_us})"
    return (
        f"CASE WHEN regexp_full_match({col}, '{_COMPACT}')"
        f" THEN {compact}"
        f" WHEN regexp_full_match({col}, '{_ZONED}')"
        f" THEN make_timestamp(epoch_us(try_cast({col} AS TIMESTAMPTZ)) + {_VIETNAM_US})"
        " END"
    )


class _StandardChecker:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        label: str,
        profile: Profile,
        units: tuple[str, ...] | None,
    ) -> None:
        self.con = con
        self.label = label
        self.profile = profile
        self.units = units
        self.report = ProblemReport()

    def check(self) -> bool:
        p = self.profile
        times = ", ".join(
            _local_time('"' + f + '"', p.offset_us) + f' AS "{f}_t"'
            for f in ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy")
        )
        for table, mapping in (
            ("_procs", p.procedures),
            ("_statuses", p.statuses),
            ("_channels", p.channels),
        ):
            self.con.execute(f"CREATE TEMP TABLE {table}(code VARCHAR, word VARCHAR)")
            self.con.executemany(f"INSERT INTO {table} VALUES (?, ?)", list(mapping.items()))
        ch = f'"{p.channel_field}"'
        self.con.execute(
            f"""CREATE TEMP TABLE src AS SELECT r.*, {times}, pr.word AS _level,
            st.word AS _status, cn.word AS _channel,
            coalesce(st.word = '{NOT_RECEIVED}', FALSE) AS _left_out
            FROM raw r LEFT JOIN _procs pr ON r."MaTTHC" = pr.code
            LEFT JOIN _statuses st ON r."TrangThaiHoSo" = st.code
            LEFT JOIN _channels cn ON r.{ch} = cn.code"""
        )
        queries: list[str] = []

        def add(
            col: str,
            rule: str,
            where: str,
            value: str = "NULL",
            extra: str = "NULL",
            every: bool = False,
        ) -> None:
            """A check on every record (``every``) or on those counted: a record whose status
            means not received is left out, and only its id and status are checked."""
            if not every:
                where = f"({where}) AND NOT _left_out"
            queries.append(
                f"SELECT _row, '{col}' AS col, '{rule}' AS rule, CAST({value} AS VARCHAR),"
                f" CAST({extra} AS VARCHAR) FROM src WHERE {where}"
            )

        for name in (*MANDATORY, p.channel_field):
            add(
                name,
                "standard.missing",
                f'"{name}" IS NULL',
                every=name in ("MaHoSo", "TrangThaiHoSo"),
            )
        flag = '"HoSoCoThanhPhanSoHoa"'
        add(
            "HoSoCoThanhPhanSoHoa",
            "record.bad_flag",
            f"{flag} IS NOT NULL AND lower({flag}) NOT IN ({_FLAG_WORDS})",
            flag,
        )
        for name in ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy"):
            q = f'"{name}"'
            add(
                name,
                "standard.time_without_zone",
                f"{q} IS NOT NULL AND regexp_full_match({q}, '{_ISO_LOCAL}')",
                q,
            )
            add(
                name,
                "standard.bad_time",
                f"{q} IS NOT NULL AND NOT regexp_full_match({q}, '{_ISO_LOCAL}')"
                f' AND "{name}_t" IS NULL',
                q,
            )
        add(
            "MaTTHC",
            "standard.unknown_procedure",
            '"MaTTHC" IS NOT NULL AND _level IS NULL',
            '"MaTTHC"',
        )
        statuses = json.dumps({"allowed": ", ".join(p.statuses)}, ensure_ascii=False).replace(
            "'", "''"
        )
        add(
            "TrangThaiHoSo",
            "standard.unknown_code",
            '"TrangThaiHoSo" IS NOT NULL AND _status IS NULL',
            '"TrangThaiHoSo"',
            f"'{statuses}'",
            every=True,
        )
        channels = json.dumps({"allowed": ", ".join(p.channels)}, ensure_ascii=False).replace(
            "'", "''"
        )
        add(
            p.channel_field,
            "standard.unknown_code",
            f"{ch} IS NOT NULL AND _channel IS NULL",
            ch,
            f"'{channels}'",
        )
        if self.units is not None:
            self.con.execute("CREATE TEMP TABLE known_units(name VARCHAR)")
            self.con.executemany("INSERT INTO known_units VALUES (?)", [[u] for u in self.units])
            add(
                "DonViXuLy",
                "record.unknown_unit",
                '"DonViXuLy" IS NOT NULL AND nfc_normalize("DonViXuLy")'
                " NOT IN (SELECT name FROM known_units)",
                '"DonViXuLy"',
            )
        finishing = "[" + ", ".join("'" + c.replace("'", "''") + "'" for c in p.finishing) + "]"
        add(
            "NgayKetThucXuLy",
            "standard.finished_without_time",
            f'"NgayKetThucXuLy" IS NULL AND list_contains({finishing}, "TrangThaiHoSo")',
            '"TrangThaiHoSo"',
        )
        add(
            "NgayKetThucXuLy",
            "standard.time_while_open",
            f'"NgayKetThucXuLy" IS NOT NULL AND "TrangThaiHoSo" IS NOT NULL'
            f' AND NOT list_contains({finishing}, "TrangThaiHoSo") AND _status IS NOT NULL',
            '"TrangThaiHoSo"',
        )
        add(
            "NgayKetThucXuLy",
            "record.finished_before_received",
            '"NgayKetThucXuLy_t" < "NgayTiepNhan_t"',
            extra="json_object('finished', \"NgayKetThucXuLy\", 'received', \"NgayTiepNhan\")",
        )
        add(
            "NgayHenTra",
            "record.due_before_received",
            '"NgayHenTra_t" < "NgayTiepNhan_t"',
            extra="json_object('due', \"NgayHenTra\", 'received', \"NgayTiepNhan\")",
        )
        # the same dossier twice in one file: its states must agree (a copy is taken once)
        state = (
            'concat_ws(\'|\', "TrangThaiHoSo", "NgayKetThucXuLy", "NgayHenTra",'
            f' "NgayTiepNhan", "MaTTHC", "DonViXuLy", {ch}, "DuocThanhToanTrucTuyen",'
            ' "HoSoCoThanhPhanSoHoa")'
        )
        queries.append(
            "SELECT s._row, 'MaHoSo', 'standard.conflicting_duplicate', s.\"MaHoSo\","
            " json_object('first_row', f.first_row)::VARCHAR FROM src s JOIN"
            f' (SELECT "MaHoSo" AS id, min(_row) AS first_row FROM src'
            ' WHERE "MaHoSo" IS NOT NULL GROUP BY 1'
            f" HAVING count(DISTINCT {state}) > 1) f"
            ' ON s."MaHoSo" = f.id WHERE s._row > f.first_row'
        )
        union = " UNION ALL ".join(queries)
        total = self.con.execute(f"SELECT count(*) FROM ({union})").fetchone()
        count = int(total[0]) if total else 0
        if count:
            rows = self.con.execute(
                f"SELECT * FROM ({union}) ORDER BY 1, 2 LIMIT {MAX_PROBLEMS}"
            ).fetchall()
            for row, col, rule, value, extra in rows:
                params: dict[str, Any] = {"value": value, "name": col}
                params.update(json.loads(extra) if extra else {})
                self.report.add(rule, self.label, int(row), col, **params)
            self.report.add_unlisted(count - len(rows))
        return not self.report

    def typed(self) -> None:
        """The records in chiso's schema (table ``typed``), one per dossier (an identical
        copy in the same file is taken once)."""

        def listed(name: str) -> str:
            return (
                f'coalesce(try_cast("{name}" AS INTEGER) > 0,'
                f' json_array_length(try_cast("{name}" AS JSON)) > 0, FALSE)'
            )

        fee = listed("DanhSachLePhi")
        paid = (
            "CASE WHEN \"DuocThanhToanTrucTuyen\" = '1' THEN TRUE"
            f' WHEN "DuocThanhToanTrucTuyen" IS NOT NULL AND {fee} THEN FALSE END'
        )
        flag = '"HoSoCoThanhPhanSoHoa"'
        inputs = (
            f"CASE WHEN {flag} IS NOT NULL THEN lower({flag}) IN ({_YES_WORDS})"
            f" ELSE {listed('TaiLieuNop')} END"
        )
        self.con.execute(
            f"""CREATE TEMP TABLE typed AS SELECT min(_row) AS _row, "MaHoSo" AS dossier_id,
            any_value(nfc_normalize("DonViXuLy")) AS unit,
            any_value(_level) AS level,
            any_value(nfc_normalize("MaTTHC")) AS procedure,
            any_value(nfc_normalize("MaLinhVuc")) AS field,
            any_value(_channel) AS channel,
            any_value("NgayTiepNhan_t") AS received, any_value("NgayHenTra_t") AS due,
            any_value("NgayKetThucXuLy_t") AS finished,
            any_value(nullif(_status, 'open')) AS outcome,
            any_value({paid}) AS paid_online,
            bool_or({inputs}) AS inputs_digitised,
            bool_or({listed("DanhSachGiayToKetQua")}) AS results_digitised,
            TRUE AS synced, CAST(NULL AS BOOLEAN) AS reused,
            CAST(NULL AS TINYINT) AS rating, CAST(NULL AS VARCHAR) AS events
            FROM src WHERE NOT _left_out GROUP BY "MaHoSo" ORDER BY 1"""
        )


def check_standard(
    source: str | Path,
    profile: Profile,
    units: tuple[str, ...] | None = None,
    label: str | None = None,
) -> tuple[duckdb.DuckDBPyConnection, ProblemReport]:
    """Read and check an export in the standard: a connection holding the records in chiso's
    schema (table ``typed``) and the report of every problem (empty when none)."""
    import duckdb

    path = Path(source)
    name = label or str(source)
    con = duckdb.connect()
    report = ProblemReport()
    if not path.is_file():
        report.add("file.not_found", name)
        return con, report
    try:
        _open_standard(con, path, profile)
    except duckdb.Error as exc:
        report.add("record.unreadable", name, reason=str(exc).splitlines()[0])
        return con, report
    checker = _StandardChecker(con, name, profile, units)
    if checker.check():
        checker.typed()
    return con, checker.report


def import_standard(
    source: str | Path,
    out_dir: str | Path,
    profile: Profile,
    units: tuple[str, ...] | None = None,
) -> int:
    """Check an export in the standard and write chiso's dataset; refuse it whole (nothing
    written) with every problem when there is any."""
    from chiso.records.dossier_import import write_dataset

    con, report = check_standard(source, profile, units)
    try:
        if report:
            raise Refusal(report)
        return write_dataset(
            con, out_dir, {"simulated": False, "source": str(source), "standard": "dvcqg"}
        )
    finally:
        con.close()

"""Backups an installation can trust: made while the server runs, restored only into an empty
place, and a check that every published snapshot, every evidence file and every plan's task
file is what was recorded.

A backup is one tar file:

- ``manifest.json``: what it holds, from which chiso and database, and the SHA-256 of every
  other member;
- ``database.sqlite3`` (SQLite, copied through SQLite's online backup API: a consistent copy
  while others write) or ``database.pgdump`` (PostgreSQL, ``pg_dump --format=custom``, one
  consistent snapshot);
- ``evidence/<stored name>``: the evidence files the copied database refers to, and
  ``evidence/plans/<stored name>`` the plans' task files (each with its SHA-256 recorded in
  the database too, checked by ``chiso verify``).

The database is copied first and the evidence files are those its copy refers to: files are
written before their row is committed and never changed afterwards, so every file the copy
names exists and is complete. Uploaded boundary files and framework files live in the database
(a map's decoded outlines, a cycle's framework text), so they come with it. The file is readable
by its owner only: it holds every account.

A restore trusts nothing in the file it is given: it reads only members by the names above,
each a regular file listed in the manifest with its SHA-256, and the database it restores is
its own member, never a path the manifest names."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from chiso.problems import ProblemReport, Refusal
from chiso.tables.atomic import PRIVATE, atomic_target

FORMAT = "chiso-backup/1"
CHUNK = 1 << 20


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _fail(rule: str, file: str, **params: Any) -> Refusal:
    report = ProblemReport()
    report.add(rule, file, **params)
    return Refusal(report)


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore from Django's settings (password in the
    environment, never on the command line)."""
    db = settings.DATABASES["default"]
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(tool: str, args: list[str], env: dict[str, str], file: str) -> None:
    if shutil.which(tool) is None:
        raise _fail("backup.tool_missing", file, tool=tool)
    done = subprocess.run([tool, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise _fail("backup.tool_failed", file, tool=tool, reason=done.stderr.strip()[-500:])


def _where() -> str:
    """The installation's database as a person would look for it: the SQLite file's path, or
    PostgreSQL's database name and host (never the password)."""
    db = settings.DATABASES["default"]
    if _engine() == "postgresql":
        return f"{db['NAME']} @ {db.get('HOST') or 'localhost'}"
    return str(db["NAME"])


def _check_something_to_back_up(name: str) -> None:
    """Refuse, with where it looked, an installation that has no chiso database yet: no SQLite
    file (never created by looking, as connecting would), or a database without chiso's
    tables."""
    if _engine() == "sqlite":
        path = Path(str(settings.DATABASES["default"]["NAME"]))
        if not path.is_file() or path.stat().st_size == 0:
            raise _fail("backup.nothing", name, where=_where())
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if "cycles_publication" not in tables or "cycles_evidence" not in tables:
        raise _fail("backup.nothing", name, where=_where())


def _copy_database(folder: Path, name: str) -> Path:
    if _engine() == "postgresql":
        target = folder / "database.pgdump"
        args, env = _pg_env()
        _run("pg_dump", ["--format=custom", "--no-owner", "--file", str(target), *args], env, name)
        return target
    target = folder / "database.sqlite3"
    # read-only: a database that vanished since the check is an error, never a new empty file
    uri = Path(str(settings.DATABASES["default"]["NAME"])).resolve().as_uri() + "?mode=ro"
    source = sqlite3.connect(uri, uri=True)
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)  # SQLite's online backup: consistent while others write
    finally:
        copy.close()
        source.close()
    return target


TASK_FILES = "plans"  # the plans' task files, in this folder under the evidence root
MANIFEST = "manifest.json"
MANIFEST_MAX_BYTES = 64 * 2**20  # a manifest names each file once: far below this
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# what make_backup writes besides the database: evidence/<stored name> and
# evidence/plans/<stored name>, a stored name being a generated one (a model field of 64)
_EVIDENCE_MEMBER = re.compile(rf"evidence/(?:{TASK_FILES}/)?[A-Za-z0-9][A-Za-z0-9._-]{{0,63}}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _stored_names(database: Path) -> list[tuple[int, str, str]]:
    """The evidence files (row id, path under the evidence root, name the person gave) the
    copied database refers to: the sheets' evidence and the plans' task files."""
    if database.suffix == ".sqlite3":
        db = sqlite3.connect(str(database))
        try:
            rows = db.execute("SELECT id, stored_name, original_name FROM cycles_evidence")
            found = [(int(a), str(b), str(c)) for a, b, c in rows.fetchall()]
            rows = db.execute("SELECT id, stored_name, original_name FROM plans_taskevidence")
            tasks = [(int(a), str(b), str(c)) for a, b, c in rows.fetchall()]
        finally:
            db.close()
        return found + [(a, f"{TASK_FILES}/{b}", c) for a, b, c in tasks]
    # pg_dump's snapshot was taken first: every row it holds is in the live table too (rows
    # are never deleted), so the live table names every file the copy needs; files of rows
    # committed since come along unreferenced, which a restore keeps harmlessly.
    from chiso.web.cycles.models import Evidence
    from chiso.web.plans.models import TaskEvidence

    fields = ("pk", "stored_name", "original_name")
    return [(e.pk, e.stored_name, e.original_name) for e in Evidence.objects.only(*fields[1:])] + [
        (e.pk, f"{TASK_FILES}/{e.stored_name}", e.original_name)
        for e in TaskEvidence.objects.only(*fields[1:])
    ]


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    engine: str
    evidence_files: int
    publications: int
    size: int
    missing: tuple[str, ...] = ()
    """Evidence files the database names but the disk lacks (only with ``allow_missing``)."""


def make_backup(out: str | Path, allow_missing: bool = False) -> BackupSummary:
    """Write a consistent backup of the installation to ``out`` (atomically: a partial file
    is never left under that name; readable by its owner only, since it holds every account).

    An evidence file the database names but the disk lacks fails the backup, naming each one,
    unless ``allow_missing``: then the manifest lists them under ``missing`` (a restore of that
    backup lacks them too, and ``chiso verify`` there names them)."""
    from chiso.web.cycles.models import Publication

    out = Path(out)
    name = str(out)
    started = datetime.now(UTC)
    _check_something_to_back_up(name)
    with tempfile.TemporaryDirectory(prefix="chiso-backup-") as tmp:
        folder = Path(tmp)
        database = _copy_database(folder, name)
        evidence_root = Path(settings.EVIDENCE_ROOT)
        members: dict[str, str] = {database.name: _sha256_file(database)}
        files: list[tuple[Path, str]] = []
        lost = ProblemReport()
        missing: list[str] = []
        for pk, stored, original in _stored_names(database):
            path = evidence_root / stored
            if path.is_file():
                files.append((path, f"evidence/{stored}"))
            else:
                missing.append(f"evidence/{stored}")
                lost.add(
                    "backup.evidence_missing",
                    str(evidence_root),
                    id=pk,
                    name=original,
                    stored_name=stored,
                )
        if lost and not allow_missing:
            raise Refusal(lost)
        manifest = {
            "format": FORMAT,
            "created_at": started.isoformat(),
            "engine": _engine(),
            "chiso": _version(),
            "database": database.name,
            "publications": Publication.objects.count(),
            "evidence_files": len(files),
            "missing": missing,
            "members": members,
        }
        with atomic_target(out, mode=PRIVATE) as part, tarfile.open(part, "w:gz") as tar:
            tar.add(database, arcname=database.name)
            for path, arcname in files:
                members[arcname] = _sha256_file(path)
                tar.add(path, arcname=arcname)
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(started.timestamp())
            tar.addfile(info, io.BytesIO(data))
    return BackupSummary(
        out,
        str(manifest["engine"]),
        len(files),
        int(str(manifest["publications"])),
        out.stat().st_size,
        tuple(missing),
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chiso")
    except PackageNotFoundError:
        return "unknown"


def _shown(member: str) -> str:
    """A member's name as a message shows it: printable and short."""
    return member.encode("unicode_escape").decode("ascii")[:120]


def _read_manifest(tar: tarfile.TarFile, members: dict[str, tarfile.TarInfo], name: str) -> Any:
    info = members.get(MANIFEST)
    if info is None or not info.isreg() or info.size > MANIFEST_MAX_BYTES:
        raise _fail("backup.bad_file", name, name=name, reason=MANIFEST)
    stream = tar.extractfile(info)
    assert stream is not None  # a regular file
    try:
        manifest = json.loads(stream.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _fail("backup.bad_file", name, name=name, reason=MANIFEST) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise _fail("backup.bad_file", name, name=name, reason=_shown(str(found)))
    listed = manifest.get("members")
    if not isinstance(listed, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and _SHA256.fullmatch(v)
        for k, v in listed.items()
    ):
        raise _fail("backup.bad_file", name, name=name, reason=f"{MANIFEST}: members")
    engine = manifest.get("engine")
    if engine not in DATABASE_MEMBERS or manifest.get("database") != DATABASE_MEMBERS[engine]:
        raise _fail(
            "backup.bad_database",
            name,
            database=_shown(str(manifest.get("database"))),
            expected=" | ".join(DATABASE_MEMBERS.values()),
        )
    return manifest


def _checked_members(tar: tarfile.TarFile, name: str) -> tuple[dict[str, Any], list[str]]:
    """The manifest and the members to restore, once every member of the archive is one a
    backup writes (a regular file under a name make_backup gives, listed in the manifest, once)
    and every member the manifest lists is in the archive. Nothing is unpacked yet."""
    report = ProblemReport()
    members: dict[str, tarfile.TarInfo] = {}
    for info in tar.getmembers():
        if info.name in members:
            report.add("backup.bad_member", name, member=_shown(info.name))
        members[info.name] = info
    manifest = _read_manifest(tar, members, name)
    listed: dict[str, str] = manifest["members"]
    database = manifest["database"]
    for member, info in members.items():
        if member == MANIFEST:
            continue
        evidence = _EVIDENCE_MEMBER.fullmatch(member) and member != f"evidence/{TASK_FILES}"
        allowed = member == database or evidence
        if not (allowed and info.isreg() and member in listed):
            report.add("backup.bad_member", name, member=_shown(member))
    for member in listed:
        if member not in members:
            report.add("backup.member_missing", name, member=_shown(member))
    if database not in members and database not in listed:
        report.add("backup.member_missing", name, member=database)
    if report:
        raise Refusal(report)
    # in the archive's order: a compressed archive is then read forward once, never rewound
    # for each member
    return manifest, [m for m in members if m != MANIFEST]


def _unpack(tar: tarfile.TarFile, member: str, recorded: str, folder: Path, name: str) -> Path:
    """Write ``member`` (a name already checked) into ``folder`` by its own name, hashing it as
    it is written; a SHA-256 other than the manifest's is refused."""
    target = folder.joinpath(*member.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    stream = tar.extractfile(member)
    assert stream is not None  # checked: a regular file
    digest = hashlib.sha256()
    with open(target, "wb") as fh:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
            fh.write(chunk)
    if digest.hexdigest() != recorded:
        raise _fail(
            "backup.member_changed",
            name,
            member=member,
            recorded=recorded,
            computed=digest.hexdigest(),
        )
    return target


def _database_is_empty() -> bool:
    """No table, or chiso's tables as ``migrate`` leaves them: no unit, cycle or account."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if not tables:
        return True
    if "cycles_unit" not in tables or "auth_user" not in tables:
        return False  # a database of something else: never overwritten
    from django.contrib.auth.models import User

    from chiso.web.cycles.models import Cycle, Unit

    return not (Unit.objects.exists() or Cycle.objects.exists() or User.objects.exists())


def restore_backup(path: str | Path) -> dict[str, Any]:
    """Restore ``path`` into this installation's database and data folder, which must be
    empty. The archive is read only by the names a backup writes: every member is checked
    against the manifest and every member the manifest lists must be there, each is unpacked
    by its own name and its SHA-256 compared, before anything of the installation is touched;
    the database restored is the archive's own member, never a path the manifest names. So a
    damaged or forged file restores nothing, and says which member is wrong."""
    path = Path(path)
    name = str(path)
    evidence_root = Path(settings.EVIDENCE_ROOT)
    try:
        tar = tarfile.open(path, "r:*")  # noqa: SIM115  (closed by the `with tar` below)
        with tar:
            manifest, members = _checked_members(tar, name)
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise _fail("backup.bad_file", name, name=name, reason=type(exc).__name__) from None
    if (manifest["engine"] == "postgresql") != (_engine() == "postgresql"):
        raise _fail("backup.bad_file", name, name=name, reason=f"engine {manifest['engine']}")
    if evidence_root.exists() and any(evidence_root.iterdir()):
        raise _fail("backup.not_empty", name, target=str(evidence_root))
    target = Path(str(settings.DATABASES["default"]["NAME"]))
    if _engine() == "postgresql":
        if not _database_is_empty():
            raise _fail("backup.not_empty", name, target=str(target))
    elif target.exists() and target.stat().st_size > 0 and not _database_is_empty():
        raise _fail("backup.not_empty", name, target=str(target))
    with tempfile.TemporaryDirectory(prefix="chiso-restore-") as tmp:
        folder = Path(tmp)
        try:
            with tarfile.open(path, "r:*") as tar:
                unpacked = {
                    m: _unpack(tar, m, manifest["members"][m], folder, name) for m in members
                }
        except (tarfile.TarError, EOFError, zlib.error) as exc:
            raise _fail("backup.bad_file", name, name=name, reason=type(exc).__name__) from None
        database = unpacked[manifest["database"]]
        connection.close()
        if _engine() == "postgresql":
            args, env = _pg_env()
            _run(
                "pg_restore",
                ["--no-owner", "--clean", "--if-exists", "--exit-on-error", *args, str(database)],
                env,
                name,
            )
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_target(target, mode=PRIVATE) as part:
                shutil.copyfile(database, part)
        for member, file in unpacked.items():
            if member.startswith("evidence/"):
                kept = evidence_root.joinpath(*member.split("/")[1:])
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, kept)
        evidence_root.mkdir(parents=True, exist_ok=True)
    return manifest


def _named_predecessor(content: str) -> str | None:
    """The SHA-256 a snapshot's own content says it replaces ("" for a first revision), or None
    when the content does not say (not JSON, or no publication block)."""
    try:
        doc = json.loads(content)
        named = doc["publication"]["replaces_sha256"]
    except (ValueError, KeyError, TypeError):
        return None
    return named or ""


def _verify_publications(report: ProblemReport, where: str) -> int:
    """Each revision's SHA-256 recomputed from its content, and the chain: revisions 1, 2, …
    without a gap, each naming (in its row and in its hashed content) the stored SHA-256 of the
    one before. An earlier revision rewritten together with its stored hash then no longer
    matches what the next one names; only the newest revision has nothing after it, and its
    SHA-256 is the one in its decision and in the audit trail."""
    from chiso.web.cycles.models import Publication

    snapshots = 0
    last: dict[int, Any] = {}  # cycle id -> the revision before
    for p in Publication.objects.select_related("cycle").order_by("cycle_id", "revision"):
        snapshots += 1
        cycle = f"{p.cycle_id} {p.cycle.name}"
        computed = hashlib.sha256(p.content.encode("utf-8")).hexdigest()
        if computed != p.sha256:
            report.add(
                "verify.snapshot_mismatch",
                where,
                revision=p.revision,
                cycle=cycle,
                stored=p.sha256,
                computed=computed,
            )
        before = last.get(p.cycle_id)
        expected_revision = before.revision + 1 if before is not None else 1
        if p.revision != expected_revision:
            report.add(
                "verify.revision_missing",
                where,
                cycle=cycle,
                missing=expected_revision,
                revision=p.revision,
            )
        expected = before.sha256 if before is not None else ""
        named = _named_predecessor(p.content)
        if p.replaces_sha256 != expected or named != expected:
            report.add(
                "verify.chain_broken",
                where,
                revision=p.revision,
                cycle=cycle,
                names=p.replaces_sha256 if p.replaces_sha256 != expected else (named or "—"),
                previous=before.revision if before is not None else "—",
                previous_sha=expected or "—",
            )
        last[p.cycle_id] = p
    return snapshots


def verify_installation() -> tuple[ProblemReport, int, int]:
    """Recompute the SHA-256 of every published snapshot and every evidence file, and check
    the chain of each cycle's revisions; the report names each mismatch, broken link or
    missing file. Returns (report, snapshots, files) checked."""
    from chiso.web.cycles.models import Evidence
    from chiso.web.plans.models import TaskEvidence

    report = ProblemReport()
    where = str(settings.DATA_DIR)
    snapshots = _verify_publications(report, where)
    files = 0
    root = Path(settings.EVIDENCE_ROOT)
    kept: list[tuple[Any, str]] = [(e, e.stored_name) for e in Evidence.objects.order_by("pk")]
    kept += [(e, f"{TASK_FILES}/{e.stored_name}") for e in TaskEvidence.objects.order_by("pk")]
    for e, stored_name in kept:
        files += 1
        path = root / stored_name
        if not path.is_file():
            report.add(
                "verify.evidence_missing",
                where,
                id=e.pk,
                name=e.original_name,
                stored_name=stored_name,
            )
            continue
        computed = _sha256_file(path)
        if computed != e.sha256:
            report.add(
                "verify.evidence_mismatch",
                where,
                id=e.pk,
                name=e.original_name,
                stored=e.sha256 or "—",
                computed=computed,
            )
    return report, snapshots, files

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
(a map's decoded outlines, a cycle's framework text), so they come with it."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from chiso.problems import ProblemReport, Refusal
from chiso.tables.atomic import atomic_target

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


def _copy_database(folder: Path, name: str) -> Path:
    if _engine() == "postgresql":
        target = folder / "database.pgdump"
        args, env = _pg_env()
        _run("pg_dump", ["--format=custom", "--no-owner", "--file", str(target), *args], env, name)
        return target
    target = folder / "database.sqlite3"
    source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)  # SQLite's online backup: consistent while others write
    finally:
        copy.close()
        source.close()
    return target


TASK_FILES = "plans"  # the plans' task files, in this folder under the evidence root


def _stored_names(database: Path) -> list[tuple[str, str]]:
    """The evidence files (path under the evidence root, recorded SHA-256) the copied
    database refers to: the sheets' evidence and the plans' task files."""
    if database.suffix == ".sqlite3":
        db = sqlite3.connect(str(database))
        try:
            rows = db.execute("SELECT stored_name, sha256 FROM cycles_evidence").fetchall()
            tasks = db.execute("SELECT stored_name, sha256 FROM plans_taskevidence").fetchall()
        finally:
            db.close()
        return [(str(a), str(b)) for a, b in rows] + [
            (f"{TASK_FILES}/{a}", str(b)) for a, b in tasks
        ]
    # pg_dump's snapshot was taken first: every row it holds is in the live table too (rows
    # are never deleted), so the live table names every file the copy needs; files of rows
    # committed since come along unreferenced, which a restore keeps harmlessly.
    from chiso.web.cycles.models import Evidence
    from chiso.web.plans.models import TaskEvidence

    return [(e.stored_name, e.sha256) for e in Evidence.objects.only("stored_name", "sha256")] + [
        (f"{TASK_FILES}/{e.stored_name}", e.sha256)
        for e in TaskEvidence.objects.only("stored_name", "sha256")
    ]


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    engine: str
    evidence_files: int
    publications: int
    size: int


def make_backup(out: str | Path) -> BackupSummary:
    """Write a consistent backup of the installation to ``out`` (atomically: a partial file
    is never left under that name)."""
    from chiso.web.cycles.models import Publication

    out = Path(out)
    name = str(out)
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="chiso-backup-") as tmp:
        folder = Path(tmp)
        database = _copy_database(folder, name)
        evidence_root = Path(settings.EVIDENCE_ROOT)
        members: dict[str, str] = {database.name: _sha256_file(database)}
        files: list[tuple[Path, str]] = []
        for stored, _recorded in _stored_names(database):
            path = evidence_root / stored
            if path.is_file():
                files.append((path, f"evidence/{stored}"))
        manifest = {
            "format": FORMAT,
            "created_at": started.isoformat(),
            "engine": _engine(),
            "chiso": _version(),
            "database": database.name,
            "publications": Publication.objects.count(),
            "evidence_files": len(files),
            "members": members,
        }
        with atomic_target(out) as part, tarfile.open(part, "w:gz") as tar:
            tar.add(database, arcname=database.name)
            for path, arcname in files:
                members[arcname] = _sha256_file(path)
                tar.add(path, arcname=arcname)
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(started.timestamp())
            tar.addfile(info, io.BytesIO(data))
    return BackupSummary(
        out,
        str(manifest["engine"]),
        len(files),
        int(str(manifest["publications"])),
        out.stat().st_size,
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chiso")
    except PackageNotFoundError:
        return "unknown"


def _read_manifest(tar: tarfile.TarFile, name: str) -> dict[str, Any]:
    try:
        member = tar.extractfile("manifest.json")
    except KeyError:
        raise _fail("backup.bad_file", name, name=name, reason="manifest.json") from None
    if member is None:
        raise _fail("backup.bad_file", name, name=name, reason="manifest.json")
    manifest: dict[str, Any] = json.loads(member.read().decode("utf-8"))
    if manifest.get("format") != FORMAT:
        raise _fail("backup.bad_file", name, name=name, reason=str(manifest.get("format")))
    return manifest


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
    empty; the backup's members are checked against its manifest first, so a damaged file
    restores nothing."""
    path = Path(path)
    name = str(path)
    evidence_root = Path(settings.EVIDENCE_ROOT)
    try:
        tar = tarfile.open(path, "r:*")  # noqa: SIM115  (closed by the `with tar` below)
    except (tarfile.TarError, OSError) as exc:
        raise _fail("backup.bad_file", name, name=name, reason=type(exc).__name__) from None
    with tar, tempfile.TemporaryDirectory(prefix="chiso-restore-") as tmp:
        manifest = _read_manifest(tar, name)
        folder = Path(tmp)
        for member in tar.getmembers():
            if member.name == "manifest.json":
                continue
            if member.name not in manifest["members"] or not member.isfile():
                raise _fail("backup.bad_file", name, name=name, reason=member.name[:100])
            tar.extract(member, folder, filter="data")
            if _sha256_file(folder / member.name) != manifest["members"][member.name]:
                raise _fail("backup.bad_file", name, name=name, reason=f"SHA-256 {member.name}")
        database = folder / manifest["database"]
        if (manifest["engine"] == "postgresql") != (_engine() == "postgresql"):
            raise _fail("backup.bad_file", name, name=name, reason=f"engine {manifest['engine']}")
        if evidence_root.exists() and any(evidence_root.iterdir()):
            raise _fail("backup.not_empty", name, target=str(evidence_root))
        if _engine() == "postgresql":
            if not _database_is_empty():
                raise _fail(
                    "backup.not_empty", name, target=str(settings.DATABASES["default"]["NAME"])
                )
            connection.close()
            args, env = _pg_env()
            _run(
                "pg_restore",
                ["--no-owner", "--clean", "--if-exists", "--exit-on-error", *args, str(database)],
                env,
                name,
            )
        else:
            target = Path(str(settings.DATABASES["default"]["NAME"]))
            if target.exists() and target.stat().st_size > 0 and not _database_is_empty():
                raise _fail("backup.not_empty", name, target=str(target))
            connection.close()
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_target(target) as part:
                shutil.copyfile(database, part)
        evidence_root.mkdir(parents=True, exist_ok=True)
        source = folder / "evidence"
        if source.is_dir():
            for file in sorted(source.rglob("*")):
                if file.is_file():
                    target = evidence_root / file.relative_to(source)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(file, target)
    return manifest


def verify_installation() -> tuple[ProblemReport, int, int]:
    """Recompute the SHA-256 of every published snapshot and every evidence file; the report
    names each mismatch or missing file. Returns (report, snapshots, files) checked."""
    from chiso.web.cycles.models import Evidence, Publication
    from chiso.web.plans.models import TaskEvidence

    report = ProblemReport()
    where = str(settings.DATA_DIR)
    snapshots = files = 0
    for p in Publication.objects.select_related("cycle").order_by("cycle_id", "revision"):
        snapshots += 1
        computed = hashlib.sha256(p.content.encode("utf-8")).hexdigest()
        if computed != p.sha256:
            report.add(
                "verify.snapshot_mismatch",
                where,
                revision=p.revision,
                cycle=f"{p.cycle_id} {p.cycle.name}",
                stored=p.sha256,
                computed=computed,
            )
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

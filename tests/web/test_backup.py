"""chiso backup, restore and verify on the demo: a backup taken from a running installation,
restored elsewhere, verifies, and the restored installation answers every public page and API
call exactly as the original; a non-empty place is refused; verify names each changed
snapshot and each changed or lost evidence file or plan's task file, and exits 0 only when all
agree.

Each installation is its own process (its own CHISO_DATA_DIR and database), driven through the
real command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.contrib.auth.models import User
from chiso.web.demo import load_demo
from chiso.web.cycles.models import LeafScore
load_demo()
# an evidence file as an upload leaves it (the demo's windows may be closed today)
import hashlib, uuid
from django.conf import settings
from chiso.web.cycles.models import Evidence
content = b"%PDF-1.4 chiso %%EOF"
stored = uuid.uuid4().hex
settings.EVIDENCE_ROOT.mkdir(parents=True, exist_ok=True)
(settings.EVIDENCE_ROOT / stored).write_bytes(content)
officer = User.objects.get(username="so-tu-phap")
Evidence.objects.create(
    leaf=LeafScore.objects.order_by("pk").first(), stored_name=stored,
    original_name="bien-ban.pdf", content_type="application/pdf", size=len(content),
    sha256=hashlib.sha256(content).hexdigest(), uploaded_by=officer,
)
# and a plan's task file, kept in the evidence root's plans folder
from chiso.web.cycles.models import Cycle
from chiso.web.plans import services as plans
from chiso.web.plans.models import TaskEvidence
cycle = Cycle.objects.filter(state="published").order_by("pk").first()
plan = plans.create_plan(
    User.objects.get(username="admin"), cycle, cycle.units.order_by("pk").first(), 2025,
    [plans.TargetWanted("index", "90")],
)
task_file = b"%PDF-1.4 quyet dinh %%EOF"
stored = uuid.uuid4().hex
(settings.EVIDENCE_ROOT / "plans").mkdir(parents=True, exist_ok=True)
(settings.EVIDENCE_ROOT / "plans" / stored).write_bytes(task_file)
TaskEvidence.objects.create(
    task=plan.tasks.order_by("pk").first(), stored_name=stored, original_name="quyet-dinh.pdf",
    content_type="application/pdf", size=len(task_file),
    sha256=hashlib.sha256(task_file).hexdigest(), uploaded_by=officer,
)
"""

ANSWERS = """
import django, hashlib, json
django.setup()
from django.test import Client
from django.contrib.auth.models import User
from chiso.web.cycles.models import Cycle, Evidence
public, admin = Client(), Client()
admin.force_login(User.objects.get(username="admin"))
urls = ["/", "/api/cycles?limit=500", "/api/frameworks"]
for c in Cycle.objects.order_by("pk"):
    urls += [f"admin:/api/cycles/{c.pk}", f"admin:/api/cycles/{c.pk}/audit?limit=500",
             f"admin:/api/cycles/{c.pk}/sheets?limit=500"]
    if c.state == "published":
        urls += [f"/results/{c.pk}/", f"/results/{c.pk}/data.csv", f"/results/{c.pk}/data.json",
                 f"/api/cycles/{c.pk}/results", f"/api/cycles/{c.pk}/publications"]
for e in Evidence.objects.order_by("pk"):
    urls.append(f"admin:/api/evidence/{e.pk}")
from chiso.web.plans.models import TaskEvidence
for e in TaskEvidence.objects.order_by("pk"):
    urls.append(f"admin:/plans/files/{e.pk}/")
out = {}
for url in urls:
    client = admin if url.startswith("admin:") else public
    r = client.get(url.removeprefix("admin:"))
    body = b"".join(r.streaming_content) if r.streaming else r.content
    out[url] = [r.status_code, hashlib.sha256(body).hexdigest()]
print(json.dumps(out))
"""


def _env(folder: Path, database: str | None) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="chiso.web.settings",
        CHISO_DATA_DIR=str(folder),
        CHISO_SECRET_KEY="backup-test-Vb3nM8qRt2LxZ7wK9cFh4JpS6dGy1AeUo5Ni0Xr",
        CHISO_INSECURE_COOKIES="1",  # the test client speaks plain http
    )
    if database:
        env["DATABASE_URL"] = database
    else:
        env.pop("DATABASE_URL", None)
    return env


def _python(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _chiso(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chiso.cli.app", *args, "--lang", "en"],
        env={**env, "COLUMNS": "250"},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _databases(tmp_path: Path) -> tuple[str | None, str | None]:
    """Two empty databases of the kind the suite runs on: SQLite files in each data folder,
    or two PostgreSQL databases beside the test database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None, None
    import psycopg

    base, _, name = url.rpartition("/")
    names = [f"{name}_backup_a", f"{name}_backup_b"]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for n in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{n}"')
            conn.execute(f'CREATE DATABASE "{n}"')
    return f"{base}/{names[0]}", f"{base}/{names[1]}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str], Path]:
    """The demo installed in one place (A), backed up, and an empty place (B)."""
    tmp = tmp_path_factory.mktemp("backup")
    first, second = _databases(tmp)
    a, b = _env(tmp / "a", first), _env(tmp / "b", second)
    _python(SETUP, a)
    backup = tmp / "chiso.backup.tar.gz"
    made = _chiso(a, "backup", "--out", str(backup))
    assert made.returncode == 0, made.stdout + made.stderr
    return a, b, backup


def test_a_backup_restored_elsewhere_verifies_and_answers_as_the_original(
    demo: tuple[dict[str, str], dict[str, str], Path],
) -> None:
    a, b, backup = demo
    restored = _chiso(b, "restore", str(backup))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    verified = _chiso(b, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "2 evidence files" in verified.stdout  # the sheet's evidence and the task file
    original, copy = json.loads(_python(ANSWERS, a)), json.loads(_python(ANSWERS, b))
    assert len(original) > 20
    failed = {url: status for url, (status, _) in original.items() if status != 200}
    assert not failed
    assert copy == original


def test_a_restore_into_a_place_that_is_not_empty_is_refused(
    demo: tuple[dict[str, str], dict[str, str], Path],
) -> None:
    a, _, backup = demo
    refused = _chiso(a, "restore", str(backup))
    assert refused.returncode == 1
    assert "backup.not_empty" in refused.stderr


def test_a_file_that_is_not_a_backup_restores_nothing(
    demo: tuple[dict[str, str], dict[str, str], Path], tmp_path: Path
) -> None:
    _, b, _ = demo
    fake = tmp_path / "fake.tar.gz"
    fake.write_bytes(b"not a tar file")
    refused = _chiso({**b, "CHISO_DATA_DIR": str(tmp_path / "c")}, "restore", str(fake))
    assert refused.returncode == 1 and "backup.bad_file" in refused.stderr


def test_verify_names_a_changed_snapshot_and_a_changed_or_lost_file(
    demo: tuple[dict[str, str], dict[str, str], Path],
) -> None:
    a, _, _ = demo
    assert _chiso(a, "verify").returncode == 0
    _python(
        """
import django
django.setup()
from django.conf import settings
from chiso.web.cycles.models import Evidence, Publication
p = Publication.objects.order_by("pk").first()
Publication.objects.filter(pk=p.pk).update(content=p.content.replace('"rank":1', '"rank":2', 1))
e = Evidence.objects.order_by("pk").first()
(settings.EVIDENCE_ROOT / e.stored_name).write_bytes(b"%PDF-1.4 changed")
""",
        a,
    )
    changed = _chiso(a, "verify")
    assert changed.returncode == 1
    assert "verify.snapshot_mismatch" in changed.stderr
    assert "verify.evidence_mismatch" in changed.stderr
    _python(
        """
import django
django.setup()
from django.conf import settings
from chiso.web.cycles.models import Evidence
e = Evidence.objects.order_by("pk").first()
(settings.EVIDENCE_ROOT / e.stored_name).unlink()
""",
        a,
    )
    lost = _chiso(a, "verify")
    assert lost.returncode == 1 and "verify.evidence_missing" in lost.stderr
    _python(
        """
import django
django.setup()
from django.conf import settings
from chiso.web.plans.models import TaskEvidence
e = TaskEvidence.objects.get()
(settings.EVIDENCE_ROOT / "plans" / e.stored_name).write_bytes(b"%PDF-1.4 changed")
""",
        a,
    )
    task_changed = _chiso(a, "verify")
    assert task_changed.returncode == 1
    assert task_changed.stderr.count("verify.evidence_") == 2, task_changed.stderr


# --- archives made to attack a restore: each restores nothing and says why ------------------

FORMAT = "chiso-backup/1"


def _sqlite_file(path: Path) -> bytes:
    """A small SQLite database (a file the restore would accept as an installation's)."""
    import sqlite3

    db = sqlite3.connect(str(path))
    db.execute("CREATE TABLE secrets (value TEXT)")
    db.execute("INSERT INTO secrets VALUES ('not for the installation')")
    db.commit()
    db.close()
    return path.read_bytes()


def _archive(
    path: Path,
    members: dict[str, bytes],
    *,
    manifest: dict[str, object] | None = None,
    listed: dict[str, str] | None = None,
    links: dict[str, str] | None = None,
) -> Path:
    """A backup file as ``chiso backup`` writes it, holding ``members``; ``listed`` replaces
    the manifest's SHA-256 of each member (by default the true ones), ``manifest`` changes
    its other keys, ``links`` adds symbolic links (name -> target)."""
    import hashlib
    import io
    import tarfile

    digests = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    body: dict[str, object] = {
        "format": FORMAT,
        "created_at": "2025-07-01T00:00:00+00:00",
        "engine": "sqlite",
        "chiso": "test",
        "database": "database.sqlite3",
        "publications": 0,
        "evidence_files": 0,
        "members": digests if listed is None else listed,
        **(manifest or {}),
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
        data = json.dumps(body).encode("utf-8")
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def empty_place(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An installation with nothing in it yet (SQLite, its own data folder and temporary
    folder) and a database file elsewhere on the server that a backup must never reach."""
    env = _env(tmp_path / "place", None)
    (tmp_path / "tmp").mkdir()
    env["TMPDIR"] = str(tmp_path / "tmp")
    victim = tmp_path / "victim.sqlite3"
    _sqlite_file(victim)
    return env, victim


def _restored_nothing(
    env: dict[str, str], done: subprocess.CompletedProcess[str], rule: str
) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert rule in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "Unexpected" not in done.stderr
    data = Path(env["CHISO_DATA_DIR"])
    assert not (data / "chiso.sqlite3").exists()
    assert not (data / "evidence").exists()


@pytest.mark.parametrize("how", ["absolute", "parent"])
def test_a_manifest_naming_a_database_outside_the_archive_restores_nothing(
    empty_place: tuple[dict[str, str], Path], tmp_path: Path, how: str
) -> None:
    env, victim = empty_place
    # the restore unpacks into TMPDIR/chiso-restore-XXXX: two levels up is tmp_path
    named = str(victim) if how == "absolute" else f"../../{victim.name}"
    backup = _archive(tmp_path / "b.tar.gz", {}, manifest={"database": named})
    done = _chiso(env, "restore", str(backup))
    _restored_nothing(env, done, "backup.bad_database")


@pytest.mark.parametrize(
    "member", ["../escape", "evidence/../../escape", "/tmp/escape", "evidence/sub/x", "notes.txt"]
)
def test_a_member_that_is_not_one_a_backup_writes_is_refused_cleanly(
    empty_place: tuple[dict[str, str], Path], tmp_path: Path, member: str
) -> None:
    env, _ = empty_place
    database = _sqlite_file(tmp_path / "database.sqlite3")
    members = {"database.sqlite3": database, member: b"%PDF-1.4 x %%EOF"}
    backup = _archive(tmp_path / "b.tar.gz", members)
    done = _chiso(env, "restore", str(backup))
    _restored_nothing(env, done, "backup.bad_member")


def test_a_link_in_a_backup_is_refused(
    empty_place: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, victim = empty_place
    database = _sqlite_file(tmp_path / "database.sqlite3")
    backup = _archive(
        tmp_path / "b.tar.gz",
        {"database.sqlite3": database},
        links={"evidence/0123abcd": str(victim)},
        listed=None,
    )
    done = _chiso(env, "restore", str(backup))
    _restored_nothing(env, done, "backup.bad_member")


def test_a_member_the_manifest_does_not_list_restores_nothing(
    empty_place: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    import hashlib

    env, _ = empty_place
    database = _sqlite_file(tmp_path / "database.sqlite3")
    members = {"database.sqlite3": database, "evidence/0123abcd": b"%PDF-1.4 x %%EOF"}
    listed = {"database.sqlite3": hashlib.sha256(database).hexdigest()}
    backup = _archive(tmp_path / "b.tar.gz", members, listed=listed)
    done = _chiso(env, "restore", str(backup))
    _restored_nothing(env, done, "backup.bad_member")


def test_a_member_the_manifest_lists_but_the_archive_lacks_restores_nothing(
    empty_place: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    import hashlib

    env, _ = empty_place
    database = _sqlite_file(tmp_path / "database.sqlite3")
    listed = {
        "database.sqlite3": hashlib.sha256(database).hexdigest(),
        "evidence/0123abcd": hashlib.sha256(b"lost").hexdigest(),
    }
    backup = _archive(tmp_path / "b.tar.gz", {"database.sqlite3": database}, listed=listed)
    done = _chiso(env, "restore", str(backup))
    _restored_nothing(env, done, "backup.member_missing")
    assert "evidence/0123abcd" in done.stderr


def test_a_member_whose_content_changed_restores_nothing(
    empty_place: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    import hashlib

    env, _ = empty_place
    database = _sqlite_file(tmp_path / "database.sqlite3")
    evidence = b"%PDF-1.4 x %%EOF"
    listed = {
        "database.sqlite3": hashlib.sha256(database).hexdigest(),
        "evidence/0123abcd": hashlib.sha256(b"%PDF-1.4 the original %%EOF").hexdigest(),
    }
    members = {"database.sqlite3": database, "evidence/0123abcd": evidence}
    backup = _archive(tmp_path / "b.tar.gz", members, listed=listed)
    done = _chiso(env, "restore", str(backup))
    _restored_nothing(env, done, "backup.member_changed")
    assert "evidence/0123abcd" in done.stderr


def test_a_manifest_that_is_not_json_is_refused_cleanly(
    empty_place: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    import io
    import tarfile

    env, _ = empty_place
    backup = tmp_path / "b.tar.gz"
    with tarfile.open(backup, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"{nope"))
    done = _chiso(env, "restore", str(backup))
    _restored_nothing(env, done, "backup.bad_file")


def test_a_backup_where_there_is_no_database_yet_says_so(tmp_path: Path) -> None:
    env = _env(tmp_path / "nothing" / "here", None)
    done = _chiso(env, "backup", "--out", str(tmp_path / "b.tar.gz"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "backup.nothing" in done.stderr and "Unexpected" not in done.stderr
    assert str(tmp_path / "nothing" / "here") in done.stderr.replace("\n", "")
    assert not (tmp_path / "b.tar.gz").exists()
    assert not (tmp_path / "nothing" / "here" / "chiso.sqlite3").exists()  # nor made one


def test_a_backup_with_an_evidence_file_missing_fails_unless_told(
    demo: tuple[dict[str, str], dict[str, str], Path], tmp_path: Path
) -> None:
    a, _, _ = demo
    stored = _python(
        """
import django
django.setup()
from django.conf import settings
from chiso.web.cycles.models import Evidence
from chiso.web.plans.models import TaskEvidence
names = [e.stored_name for e in Evidence.objects.order_by("pk")]
names += ["plans/" + e.stored_name for e in TaskEvidence.objects.order_by("pk")]
print([n for n in names if (settings.EVIDENCE_ROOT / n).is_file()][0])
""",
        a,
    ).strip()
    kept = Path(a["CHISO_DATA_DIR"]) / "evidence" / stored
    away = tmp_path / "away"
    kept.rename(away)
    try:
        refused = _chiso(a, "backup", "--out", str(tmp_path / "b.tar.gz"))
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert "backup.evidence_missing" in refused.stderr and stored in refused.stderr
        assert not (tmp_path / "b.tar.gz").exists()
        allowed = _chiso(a, "backup", "--out", str(tmp_path / "b.tar.gz"), "--allow-missing")
        assert allowed.returncode == 0, allowed.stdout + allowed.stderr
        assert stored in allowed.stdout + allowed.stderr
        import tarfile

        with tarfile.open(tmp_path / "b.tar.gz") as tar:
            manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        assert f"evidence/{stored}" in manifest["missing"]
    finally:
        away.rename(kept)

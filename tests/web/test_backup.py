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
        CHISO_SECRET_KEY="backup-test-" + "k" * 40 + "0123456789",
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

"""Faults, on a real PostgreSQL and a real server process: a server killed in the middle of
saving a sheet loses nothing that was committed and leaves nothing half-saved; PostgreSQL
restarted under a running server gives clean 503 answers with a message, and the same server
recovers by itself; a full disk during an evidence upload is a clear message and leaves
neither a row nor a file.

PostgreSQL here is a throwaway cluster this module starts (initdb and pg_ctl on a port of its
own, as the postgres user when run as root), never the machine's shared server."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from conftest import require_tool

PASSWORD = "mat-khau-loi-may"
SECRET = "faults-test-Pz4kW9xTq2MvB7nJr3LcH8fYs6DgA1eUo5Ri0Xb"


def _bin(tool: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{tool}"))
    if found:
        return str(found[-1])
    return require_tool(tool, "postgresql")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/chiso"

    def _as_postgres(self, *command: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, check=False
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        done = self._as_postgres(
            _bin("pg_ctl"), "-D", str(self.folder / "data"), "-o", options,
            "-l", str(self.folder / "log"), "-w", "start",
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr

    def stop(self) -> None:
        done = self._as_postgres(
            _bin("pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop"
        )
        assert done.returncode == 0, done.stdout + done.stderr

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="chiso", autocommit=True
        )


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    require_tool("runuser", "util-linux") if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="chiso-pg-"))
    folder.chmod(0o777)
    cluster = Cluster(folder, _free_port())
    done = cluster._as_postgres(
        _bin("initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    cluster.start()
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute("CREATE DATABASE chiso")
    try:
        yield cluster
    finally:
        cluster._as_postgres(_bin("pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _env(cluster: Cluster, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="chiso.web.settings",
        DATABASE_URL=cluster.url,
        CHISO_DATA_DIR=str(data),
        CHISO_SECRET_KEY=SECRET,
        CHISO_INSECURE_COOKIES="1",  # plain http on this machine
        CHISO_MICROCACHE="0",  # every answer from Django, none from the public page cache
    )
    return env


SETUP = """
import io, json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
import openpyxl
from django.contrib.auth.models import User
from chiso.web.accounts.models import Role
from chiso.web.cycles import sheets_excel, workflow
from chiso.web.cycles.models import Cycle, LeafScore, Unit
admin = User.objects.create_user("admin", password=PASSWORD)
Role.objects.create(user=admin, kind=Role.ADMIN)
officer = User.objects.create_user("can-bo", password=PASSWORD)
unit = Unit.objects.create(code="S01", name="Sở Tư pháp", kind="department")
Role.objects.create(user=officer, kind=Role.OFFICER, unit=unit)
cycle = workflow.create_cycle(admin, "Lỗi máy", 2024, "example-department-2024", [unit])
workflow.advance(admin, cycle, Cycle.SELF)
sheet = cycle.sheets.get()
book = openpyxl.load_workbook(io.BytesIO(sheets_excel.template(sheet)))
values = {"1.2": 95, "1.4": 2, "1.5": 1.5, "2.1": 97.5, "3.1": 5, "3.2": 4, "4.1": 4}
for row in book.active.iter_rows(min_row=4):
    if row[0].value in values:
        row[4].value = values[row[0].value]
book.save(FILE)
leaves = {x.code: x.pk for x in LeafScore.objects.filter(sheet=sheet)}
print(json.dumps({"sheet": sheet.pk, "leaves": leaves, "order": list(values)}))
"""


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # the server and its workers
        self.process.wait(timeout=30)


def _serve(env: dict[str, str], port: int) -> Server:
    process = subprocess.Popen(
        [sys.executable, "-m", "chiso.cli.app", "serve", "--port", str(port), "--threads", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{base}/accounts/login/", timeout=2).status_code == 200:
                return Server(process, base)
        time.sleep(0.1)
    Server(process, base).stop()
    raise AssertionError("the server did not start")


def _signed_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    token = session.cookies["csrftoken"]
    answer = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        timeout=10,
    )
    assert answer.status_code == 200 and "sessionid" in session.cookies
    return session


@pytest.fixture(scope="module")
def installation(cluster: Cluster) -> Iterator[tuple[dict[str, str], dict[str, Any], Path]]:
    data = Path(tempfile.mkdtemp(prefix="chiso-faults-"))
    env = _env(cluster, data)
    sheet_file = data / "phieu.xlsx"
    code = SETUP.replace("PASSWORD", repr(PASSWORD)).replace("FILE", repr(str(sheet_file)))
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    try:
        yield env, json.loads(done.stdout), sheet_file
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _leaf_rows(cluster: Cluster, sheet: int) -> dict[str, tuple[str, int]]:
    with cluster.connect() as conn:
        rows = conn.execute(
            "SELECT code, self_raw, version FROM cycles_leafscore WHERE sheet_id = %s", [sheet]
        ).fetchall()
    return {code: (raw, version) for code, raw, version in rows}


def test_a_server_killed_while_saving_a_sheet_loses_nothing_committed_and_half_saves_nothing(
    cluster: Cluster, installation: tuple[dict[str, str], dict[str, Any], Path]
) -> None:
    env, ids, sheet_file = installation
    server = _serve(env, _free_port())
    try:
        session = _signed_in(server.base, "can-bo")
        # one value saved and committed before the fault
        first = ids["leaves"]["1.1"]
        saved = session.post(
            f"{server.base}/leaves/{first}/save/",
            data={
                "action": "self",
                "value": "đúng hạn",
                "version": "0",
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            timeout=10,
        )
        assert saved.status_code == 200
        committed = _leaf_rows(cluster, ids["sheet"])
        assert committed["1.1"][0] == "đúng hạn"
        with cluster.connect() as conn, conn.transaction():
            audit_before = conn.execute("SELECT count(*) FROM cycles_auditentry").fetchone()
        # the upload saves leaf after leaf in one transaction; holding the third one's row
        # stops it there, after two leaves are written but before anything commits
        blocker = cluster.connect()
        blocker.autocommit = False
        third = ids["leaves"][ids["order"][2]]
        blocker.execute("SELECT id FROM cycles_leafscore WHERE id = %s FOR UPDATE", [third])
        upload = threading.Thread(
            target=_upload_ignoring_the_cut,
            args=(session, server.base, ids["sheet"], sheet_file),
            daemon=True,
        )
        upload.start()
        assert _wait_for_lock(cluster), "the upload never reached the held row"
        server.stop()  # kill -9 in the middle of the save
        blocker.rollback()
        blocker.close()
        assert _wait_for_no_backends(cluster)
        after = _leaf_rows(cluster, ids["sheet"])
        assert after == committed  # the committed value kept, none of the upload's
        with cluster.connect() as conn:
            audit_after = conn.execute("SELECT count(*) FROM cycles_auditentry").fetchone()
        assert audit_after == audit_before
    finally:
        server.stop()
    # a new server on the same database works normally
    again = _serve(env, _free_port())
    try:
        session = _signed_in(again.base, "can-bo")
        answer = _upload(session, again.base, ids["sheet"], sheet_file)
        assert answer.status_code == 200
        assert _leaf_rows(cluster, ids["sheet"])[ids["order"][2]][0] != ""
    finally:
        again.stop()


def _upload(session: requests.Session, base: str, sheet: int, file: Path) -> requests.Response:
    with open(file, "rb") as fh:
        return session.post(
            f"{base}/sheets/{sheet}/upload/",
            data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
            files={"file": ("phieu.xlsx", fh)},
            timeout=60,
        )


def _upload_ignoring_the_cut(*args: Any) -> None:
    with contextlib.suppress(requests.RequestException):  # the server dies under it
        _upload(*args)


def _wait_for_lock(cluster: Cluster) -> bool:
    with cluster.connect() as conn:
        for _ in range(300):
            waiting = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'chiso' "
                "AND wait_event_type = 'Lock'"
            ).fetchone()
            if waiting and waiting[0]:
                return True
            time.sleep(0.1)
    return False


def _wait_for_no_backends(cluster: Cluster) -> bool:
    with cluster.connect() as conn:
        for _ in range(300):
            others = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'chiso' "
                "AND pid <> pg_backend_pid()"
            ).fetchone()
            if others and others[0] == 0:
                return True
            time.sleep(0.1)
    return False


def test_postgresql_restarted_under_a_running_server_gives_503_and_recovers(
    cluster: Cluster, installation: tuple[dict[str, str], dict[str, Any], Path]
) -> None:
    env, ids, _ = installation
    server = _serve(env, _free_port())
    try:
        session = _signed_in(server.base, "admin")
        sheet_page = f"{server.base}/sheets/{ids['sheet']}/"
        assert session.get(sheet_page, timeout=10).status_code == 200
        assert requests.get(f"{server.base}/api/frameworks", timeout=10).status_code == 200
        assert requests.get(f"{server.base}/api/cycles", timeout=10).status_code == 200
        cluster.stop()
        try:
            api = requests.get(f"{server.base}/api/cycles", timeout=30)
            assert api.status_code == 503
            assert api.json()["rule"] == "server.database_unavailable"
            assert api.headers["Retry-After"]
            page = session.get(sheet_page, timeout=30)
            assert page.status_code == 503
            assert "cơ sở dữ liệu tạm thời không truy cập được" in page.text
            english = requests.get(f"{server.base}/", headers={"Accept-Language": "en"}, timeout=30)
            assert english.status_code == 503 and "the database cannot be reached" in english.text
        finally:
            cluster.start()
        for _ in range(100):
            if requests.get(f"{server.base}/api/cycles", timeout=10).status_code == 200:
                break
            time.sleep(0.1)
        assert requests.get(f"{server.base}/api/cycles", timeout=10).status_code == 200
        assert session.get(sheet_page, timeout=10).status_code == 200  # the session survived
        assert server.process.poll() is None  # the same server, never restarted
    finally:
        server.stop()


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 64 KB file system (tmpfs) for the evidence files: root can mount one (CI runs as
    root); elsewhere the test is skipped, as a missing tool is."""
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("the full-disk test mounts a tmpfs: CI runs as root")
        pytest.skip("mounting a small file system needs root")
    folder = Path(tempfile.mkdtemp(prefix="chiso-full-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a tmpfs: {done.stderr}")
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_full_disk_during_an_evidence_upload_is_a_message_and_leaves_no_row_or_file(
    world: Any, small_disk: Path
) -> None:
    from django.test import Client, override_settings
    from django.urls import reverse

    from chiso.web.core.models import AuditEntry
    from chiso.web.cycles.models import Evidence

    leaf = world.leaf(world.sheet_a)
    big = b"%PDF-1.4\n" + os.urandom(256 * 1024) + b"\n%%EOF\n"  # four times the disk
    client = Client()
    client.force_login(world.officer_a)
    audit = AuditEntry.objects.count()
    with override_settings(EVIDENCE_ROOT=small_disk):
        page = client.post(
            reverse("cycles:evidence-upload", args=[leaf.pk]),
            {"file": _upload_file("bien-ban.pdf", big)},
            follow=True,
        )
        assert page.status_code == 200
        assert "máy chủ hết chỗ lưu tệp" in page.content.decode()
        api = client.post(
            f"/api/leaves/{leaf.pk}/evidence", {"file": _upload_file("bien-ban.pdf", big)}
        )
        assert api.status_code == 507 and api.json()["rule"] == "cycle.disk_full"
    assert not Evidence.objects.exists() and AuditEntry.objects.count() == audit
    assert list(small_disk.iterdir()) == []


def _upload_file(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)

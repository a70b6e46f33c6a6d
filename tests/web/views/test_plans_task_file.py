"""plans:task-file-upload and plans:task-file — a file showing a task done: uploaded by the
responsible unit, its type read from its content, counted as evidence for "done", audited, and
served only to those who see the plan."""

from __future__ import annotations

import hashlib
import os
import resource
import signal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from chiso.web.accounts.models import Role
from chiso.web.core.models import AuditEntry
from chiso.web.cycles.models import Unit
from chiso.web.plans import services, task_files
from chiso.web.plans.models import Task, TaskEvidence
from chiso.web.plans.services import TargetWanted
from web.conftest import World
from web.views.helpers import MISSING, PDF, as_


def setup(world: World, unit: Unit) -> tuple[Task, Client]:
    plan = services.create_plan(
        world.admin, world.cycle, world.sheet_a.unit, 2025, [TargetWanted("index", "90")]
    )
    officer = User.objects.create_user("noi-vu")
    Role.objects.create(user=officer, kind=Role.OFFICER, unit=unit)
    client = Client()
    client.force_login(officer)
    return plan.tasks.get(node_code="1.2"), client


def _upload(client: Client, task: Task, name: str, content: bytes) -> object:
    url = reverse("plans:task-file-upload", args=[task.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_a_file_is_kept_counted_as_evidence_and_served_back(
    scored: World, home_affairs: Unit
) -> None:
    task, client = setup(scored, home_affairs)
    assert _upload(client, task, "quyet-dinh.pdf", PDF).status_code == 302
    evidence = TaskEvidence.objects.get()
    assert (evidence.original_name, evidence.content_type) == ("quyet-dinh.pdf", "application/pdf")
    assert AuditEntry.objects.filter(object_type="Task", field="file").exists()
    # a file is evidence enough to mark the task done
    client.post(reverse("plans:task", args=[task.pk]), {"version": 0, "status": "done"})
    task.refresh_from_db()
    assert task.status == Task.DONE
    for actor in ("admin", "officer_a"):
        response = as_(scored, actor).get(reverse("plans:task-file", args=[evidence.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert "attachment" in response["Content-Disposition"]


def test_a_file_that_is_no_document_is_refused(scored: World, home_affairs: Unit) -> None:
    task, client = setup(scored, home_affairs)
    _upload(client, task, "x.pdf", b"<script>alert(1)</script>")
    assert not TaskEvidence.objects.exists()


def test_only_the_responsible_unit_uploads(scored: World, home_affairs: Unit) -> None:
    task, _ = setup(scored, home_affairs)
    assert _upload(as_(scored, "officer_a"), task, "a.pdf", PDF).status_code == 403
    assert _upload(as_(scored, "officer_b"), task, "a.pdf", PDF).status_code == 404
    assert not TaskEvidence.objects.exists()


def test_404_to_those_who_do_not_see_the_plan(scored: World, home_affairs: Unit) -> None:
    task, client = setup(scored, home_affairs)
    _upload(client, task, "quyet-dinh.pdf", PDF)
    evidence = TaskEvidence.objects.get()
    assert (
        as_(scored, "officer_b").get(reverse("plans:task-file", args=[evidence.pk])).status_code
        == 404
    )
    assert as_(scored, "admin").get(reverse("plans:task-file", args=[MISSING])).status_code == 404


def test_methods(scored: World, home_affairs: Unit) -> None:
    task, client = setup(scored, home_affairs)
    assert client.get(reverse("plans:task-file-upload", args=[task.pk])).status_code == 405


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_a_file_is_kept_with_its_sha256_and_served_with_the_extension_of_its_content(
    scored: World, home_affairs: Unit
) -> None:
    task, client = setup(scored, home_affairs)
    assert _upload(client, task, "anh.pdf", PNG).status_code == 302
    evidence = TaskEvidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(PNG).hexdigest()
    assert (evidence.original_name, evidence.content_type) == ("anh.png", "image/png")
    assert (task_files.root() / evidence.stored_name).read_bytes() == PNG
    response = as_(scored, "admin").get(reverse("plans:task-file", args=[evidence.pk]))
    assert 'filename="anh.png"' in response["Content-Disposition"]


def test_a_file_above_the_cap_is_refused_before_anything_is_written(
    scored: World, home_affairs: Unit
) -> None:
    task, client = setup(scored, home_affairs)
    task_files.root().mkdir(parents=True, exist_ok=True)
    before = set(task_files.root().iterdir())
    with override_settings(EVIDENCE_MAX_BYTES=len(PDF) - 1):
        page = _upload(client, task, "quyet-dinh.pdf", PDF)
    assert page.status_code == 302  # type: ignore[attr-defined]
    assert not TaskEvidence.objects.exists()
    assert set(task_files.root().iterdir()) == before


def test_a_write_that_fails_for_lack_of_room_is_a_message_and_leaves_no_row_or_file(
    scored: World, home_affairs: Unit
) -> None:
    """A real write refused by the kernel (EFBIG from a file-size limit on this process, as a
    full disk or a quota gives ENOSPC/EDQUOT): the message says the server is out of room."""
    task, client = setup(scored, home_affairs)
    big = b"%PDF-1.4\n" + os.urandom(256 * 1024) + b"\n%%EOF\n"
    audit = AuditEntry.objects.count()
    task_files.root().mkdir(parents=True, exist_ok=True)
    before = set(task_files.root().iterdir())
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, limits[1]))
    try:
        url = reverse("plans:task-file-upload", args=[task.pk])
        page = client.post(url, {"file": SimpleUploadedFile("bien-ban.pdf", big)})
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)
    assert page.status_code == 302
    follow = client.get(page["Location"])
    assert "máy chủ hết chỗ lưu tệp" in follow.content.decode()
    assert not TaskEvidence.objects.exists() and AuditEntry.objects.count() == audit
    assert set(task_files.root().iterdir()) == before

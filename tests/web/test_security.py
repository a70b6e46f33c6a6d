"""Security by default, tested: CSRF, Argon2, login throttling, cookie flags, uploads checked
by size and content with safe names, secrets only from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

import chiso.web.settings as production
from chiso.problems import Refusal
from chiso.web.cycles import evidence as evidence_files
from chiso.web.cycles.models import Evidence
from web.conftest import PASSWORD, World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_posts_without_a_csrf_token_are_refused_on_pages_and_api(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_a)
    leaf = world.leaf(world.sheet_a)
    page = client.post(
        reverse("cycles:leaf-save", args=[leaf.pk]),
        {"action": "self", "value": "2", "version": leaf.version},
    )
    api = client.post(
        reverse("api:self_score", kwargs={"leaf_id": leaf.pk}),
        json.dumps({"value": "2", "version": leaf.version}),
        content_type="application/json",
    )
    assert page.status_code == 403 and api.status_code == 403
    assert world.leaf(world.sheet_a).self_raw == ""


def test_passwords_are_hashed_with_argon2(db: None) -> None:
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = User.objects.create_user("argon", password="mat-khau-dai-hon-muoi")
        assert user.password.startswith("argon2")


def test_repeated_failed_logins_lock_the_account_from_that_address(world: World) -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "can-bo-a", "password": "sai"})
    locked = client.post(reverse("accounts:login"), {"username": "can-bo-a", "password": PASSWORD})
    assert locked.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_session_cookies_are_secure_and_http_only(world: World) -> None:
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "admin", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"


def _evidence_files() -> set[str]:
    root = Path(settings.EVIDENCE_ROOT)
    return {p.name for p in root.iterdir()} if root.exists() else set()


def test_uploads_are_checked_by_content_and_stored_under_generated_names(world: World) -> None:
    leaf = world.leaf(world.sheet_a)
    before = _evidence_files()
    exe = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(Refusal) as caught:
        evidence_files.add_evidence(world.officer_a, leaf, exe)
    assert caught.value.rule == "cycle.file_type"
    assert _evidence_files() == before and not Evidence.objects.exists()
    tricky = SimpleUploadedFile("../../etc/..\\passwd\x00.pdf", PDF)
    evidence = evidence_files.add_evidence(world.officer_a, leaf, tricky)
    assert evidence.original_name == "passwd.pdf"
    assert evidence.stored_name in _evidence_files() and "/" not in evidence.stored_name
    assert not str(settings.EVIDENCE_ROOT).startswith(str(Path(production.__file__).parent))


def test_a_file_above_the_size_limit_is_refused_and_nothing_is_kept(world: World) -> None:
    leaf = world.leaf(world.sheet_a)
    before = _evidence_files()
    with (
        override_settings(EVIDENCE_MAX_BYTES=10),
        pytest.raises(Refusal) as caught,
    ):
        evidence_files.add_evidence(world.officer_a, leaf, SimpleUploadedFile("a.pdf", PDF))
    assert caught.value.rule == "cycle.file_too_large"
    assert _evidence_files() == before


def test_evidence_is_served_only_to_those_who_may_see_the_sheet(world: World) -> None:
    evidence = evidence_files.add_evidence(
        world.officer_a, world.leaf(world.sheet_a), SimpleUploadedFile("bien-ban.pdf", PDF)
    )
    own, other = Client(), Client()
    own.force_login(world.officer_a)
    other.force_login(world.officer_b)
    response = own.get(reverse("cycles:evidence", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert other.get(reverse("cycles:evidence", args=[evidence.pk])).status_code == 404


def test_without_a_secret_in_the_environment_the_application_refuses_to_start() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CHISO_SECRET_KEY", "CHISO_DEMO")}
    done = subprocess.run(
        [sys.executable, "-c", "import chiso.web.settings"], env=env, capture_output=True, text=True
    )
    assert done.returncode != 0 and "CHISO_SECRET_KEY" in done.stderr


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.mark.parametrize(
    ("name", "content", "stored", "content_type"),
    [
        ("bao-cao.pdf", PNG, "bao-cao.png", "image/png"),
        ("anh.exe", PNG, "anh.png", "image/png"),
        ("bien-ban", PDF, "bien-ban.pdf", "application/pdf"),
        ("bien-ban.PDF", PDF, "bien-ban.PDF", "application/pdf"),
        ("anh.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 16, "anh.jpeg", "image/jpeg"),
    ],
)
def test_evidence_is_stored_and_served_with_the_extension_of_its_detected_type(
    world: World, name: str, content: bytes, stored: str, content_type: str
) -> None:
    evidence = evidence_files.add_evidence(
        world.officer_a, world.leaf(world.sheet_a), SimpleUploadedFile(name, content)
    )
    assert evidence.original_name == stored and evidence.content_type == content_type
    client = Client()
    client.force_login(world.officer_a)
    response = client.get(reverse("cycles:evidence", args=[evidence.pk]))
    assert response["Content-Type"] == content_type
    assert f'filename="{stored}"' in response["Content-Disposition"]


def test_office_evidence_is_told_by_its_parts_and_a_directory_bomb_is_refused_unread(
    world: World,
) -> None:
    """A Word or Excel file is told by the parts it holds, read through the office layer:
    a zip whose directory lists 400,000 parts (18 MB, under the evidence cap) took 2.4 s and
    230 MB to list, and is now refused from its end record."""
    import time

    from office_bombs import many_parts, word_table, workbook

    leaf = world.leaf(world.sheet_a)
    for name, data, kind in (
        ("bien-ban.docx", word_table([["a"]]), ".docx"),
        ("so-lieu.xlsx", workbook([["a"]]), ".xlsx"),
    ):
        kept = evidence_files.add_evidence(world.officer_a, leaf, SimpleUploadedFile(name, data))
        assert kept.original_name.endswith(kind)
    bomb = SimpleUploadedFile("bom.xlsx", many_parts(400_000))
    start = time.process_time()
    with pytest.raises(Refusal) as caught:
        evidence_files.add_evidence(world.officer_a, leaf, bomb)
    assert caught.value.rule == "cycle.file_type"
    assert time.process_time() - start < 1.0

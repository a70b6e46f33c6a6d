"""Headers and settings found lacking by probing a running demo: a Content-Security-Policy
without inline scripts, no-store on signed-in pages and evidence, Swagger UI from the package,
HSTS over https, a weak secret key refused, ``manage.py check --deploy`` clean."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

import chiso.web.settings as production
from chiso.web.cycles import evidence as evidence_files
from chiso.web.cycles.models import Cycle
from web.conftest import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEMPLATES = Path(production.__file__).parent


def _signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_every_page_has_a_content_security_policy_without_inline_scripts(world: World) -> None:
    policy = _signed_in(world.officer_a).get(reverse("cycles:sheet", args=[world.sheet_a.pk]))[
        "Content-Security-Policy"
    ]
    scripts = re.search(r"script-src ([^;]*)", policy)
    assert scripts and scripts.group(1) == "'self'"
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_no_template_holds_an_inline_script_or_event_handler() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (template, tag)
        assert not re.search(r"\son[a-z]+=", text), template


def test_the_sheet_page_title_is_the_unit_name_alone(world: World) -> None:
    html = _signed_in(world.officer_a).get(reverse("cycles:sheet", args=[world.sheet_a.pk]))
    title = re.search(r"<title>(.*?)</title>", html.content.decode(), re.S)
    assert title and title.group(1).strip() == "Sở Tư pháp · chiso"


def test_signed_in_pages_and_evidence_are_not_stored_by_browsers_or_proxies(
    world: World,
) -> None:
    client = _signed_in(world.officer_a)
    evidence = evidence_files.add_evidence(
        world.officer_a, world.leaf(world.sheet_a), SimpleUploadedFile("a.pdf", PDF)
    )
    for url in (
        reverse("cycles:home"),
        reverse("cycles:sheet", args=[world.sheet_a.pk]),
        reverse("cycles:evidence", args=[evidence.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    audit = _signed_in(world.admin).get(reverse("cycles:cycle-audit", args=[world.cycle.pk]))
    assert audit.status_code == 200 and "no-store" in audit["Cache-Control"]


def test_public_pages_for_visitors_may_be_cached(world: World) -> None:
    world.move_to(Cycle.PUBLISHED)
    response = Client().get(reverse("portal:published", args=[world.cycle.pk]))
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_api_documentation_loads_swagger_ui_from_this_site(db: None) -> None:
    client = Client()
    html = client.get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert b"".join(asset.streaming_content)


@pytest.mark.parametrize("path", ["chiso/sheet.js", "chiso/ranking.js"])
def test_the_pages_scripts_are_served_as_javascript(db: None, path: str) -> None:
    response = Client().get("/static/" + path)
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]


@pytest.mark.parametrize("path", ["../settings.py", "../../web/settings.py", "chiso/nothing.js"])
def test_static_files_outside_the_packages_static_folders_are_not_served(
    db: None, path: str
) -> None:
    assert Client().get("/static/" + path).status_code == 404


@override_settings(SECURE_SSL_REDIRECT=False)
def test_hsts_is_sent_over_https_and_not_over_plain_http(db: None) -> None:
    secure = Client().get("/accounts/login/", secure=True)
    plain = Client().get("/accounts/login/")
    assert "max-age=31536000" in secure["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in plain


def test_plain_http_is_redirected_to_https_in_production() -> None:
    assert production.SECURE_SSL_REDIRECT and production.SECURE_HSTS_SECONDS >= 31536000


def _start(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()", *args],
        env={**environ, "DJANGO_SETTINGS_MODULE": "chiso.web.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "key",
    [
        "x",
        "a" * 60,
        "django-insecure-" + "k3y!" * 20,
        "abcde" * 10,  # five different characters: Django's own test lets it through
        "abcdefghijkl" * 5,  # twelve different ones, but one piece repeated
        "weak-key-" + "x" * 45,  # mostly one character
    ],
)
def test_a_weak_secret_key_is_refused_at_start(key: str, tmp_path: Path) -> None:
    result = _start({"CHISO_SECRET_KEY": key, "CHISO_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "CHISO_SECRET_KEY" in result.stderr and "setting.weak_secret_key" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "Zq8" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ-_",
        "3f9a0c1be47d25688d1e0f3a7b9c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e",  # hexadecimal
    ],
)
def test_a_strong_secret_key_is_accepted(key: str, tmp_path: Path) -> None:
    result = _start({"CHISO_SECRET_KEY": key, "CHISO_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr


def test_manage_check_deploy_is_clean_under_the_production_settings(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "DJANGO_"))}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env={
            **environ,
            "DJANGO_SETTINGS_MODULE": "chiso.web.settings",
            "CHISO_SECRET_KEY": "Zq8" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ-_",
            "CHISO_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

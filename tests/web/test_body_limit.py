"""A request body larger than the largest upload is refused before anything reads it: from its
declared length (413), or, sent without one (chunked), refused outright (411), so a 100 MB
"evidence file" costs the server neither the memory nor the temporary file it used to. An upload
within the limit passes as before.

The first tests drive Django with a body that counts what is read of it; the last starts
``chiso serve`` (granian) and sends the headers of a 100 MB upload: the refusal must arrive
before a single byte of the body is sent."""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from web.conftest import World

MB = 2**20


class CountingBody(io.RawIOBase):
    """A body of ``size`` bytes that is never held anywhere: it records how much was read and
    gives out at most 2 MiB (enough to see that someone started reading it)."""

    def __init__(self, size: int) -> None:
        self.size, self.read_bytes = size, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = 64 * 1024 if n is None or n < 0 else min(n, 64 * 1024)
        n = min(n, 2 * MB - self.read_bytes)
        self.read_bytes += n
        return b"\0" * n

    def readline(self, size: int | None = -1) -> bytes:
        return self.read(size if size and size > 0 else 1024)


def _post(client: Client, url: str, body: CountingBody, **headers: str) -> object:
    meta = {
        "wsgi.input": body,
        "CONTENT_TYPE": "multipart/form-data; boundary=chiso",
        **headers,
    }
    return client.generic("POST", url, b"", **meta)


@pytest.mark.parametrize("where", ["page", "api"])
def test_a_100_mb_upload_is_refused_before_any_of_it_is_read(world: World, where: str) -> None:
    leaf = world.leaf(world.sheet_a)
    url = (
        reverse("cycles:evidence-upload", args=[leaf.pk])
        if where == "page"
        else reverse("api:evidence_upload", kwargs={"leaf_id": leaf.pk})
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_a)
    client.get(reverse("accounts:login"))  # a CSRF cookie: the check then reads the form
    body = CountingBody(100 * MB)
    response = _post(client, url, body, CONTENT_LENGTH=str(100 * MB))
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert body.read_bytes == 0
    if where == "api":
        answer = response.json()  # type: ignore[attr-defined]
        assert answer["rule"] == "request.too_large" and "21" in answer["message"]


def test_a_body_without_a_length_is_refused_unread(world: World) -> None:
    leaf = world.leaf(world.sheet_a)
    client = Client()
    client.force_login(world.officer_a)
    body = CountingBody(100 * MB)
    url = reverse("api:evidence_upload", kwargs={"leaf_id": leaf.pk})
    response = _post(client, url, body, HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411  # type: ignore[attr-defined]
    assert response.json()["rule"] == "request.length_required"  # type: ignore[attr-defined]
    assert body.read_bytes == 0


@override_settings(EVIDENCE_MAX_BYTES=2000)
def test_the_limit_is_the_largest_upload_and_the_form_around_it(world: World) -> None:
    from django.conf import settings

    from chiso.web.body_limit import largest_body

    assert largest_body() == settings.EVIDENCE_MAX_BYTES + MB
    leaf = world.leaf(world.sheet_a)
    client = Client()
    client.force_login(world.officer_a)
    url = reverse("api:evidence_upload", kwargs={"leaf_id": leaf.pk})
    pdf = b"%PDF-1.4\n" + b"0" * 1000 + b"\n%%EOF\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    kept = client.post(url, {"file": SimpleUploadedFile("bien-ban.pdf", pdf)})
    assert kept.status_code == 201, kept.content
    over = _post(client, url, CountingBody(0), CONTENT_LENGTH=str(largest_body() + 1))
    assert over.status_code == 413  # type: ignore[attr-defined]


def test_django_keeps_small_parts_of_an_upload_in_memory_only() -> None:
    from django.conf import settings

    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB  # larger files go to a temporary file
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * MB  # the form's fields, a JSON body
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 5  # every form takes one file


# --- the real server --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_kib(root: int) -> int:
    """Resident memory of the server and all its processes (granian's workers), in KiB."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{pid}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
    return total


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    data = tmp_path_factory.mktemp("limit")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        CHISO_DATA_DIR=str(data),
        CHISO_SECRET_KEY="limit-test-Vb3nM8qRt2LxZ7wK9cFh4JpS6dGy1AeUo5Ni0XrQ",
        CHISO_INSECURE_COOKIES="1",
    )
    made = subprocess.run(
        [sys.executable, "-c", SETUP],
        env={**env, "DJANGO_SETTINGS_MODULE": "chiso.web.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    token = made.stdout.strip().splitlines()[-1]
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "chiso.cli.app", "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(600):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.1)
        yield port, process, token
    finally:
        os.killpg(process.pid, 9)
        process.wait(timeout=30)


SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.contrib.auth.models import User
from chiso.web.accounts import tokens
person = User.objects.create_user("can-bo", password="mat-khau-thu-nghiem")
print(tokens.create_token(person, "one-cua", "write", 30)[1])
"""


def _headers(port: int, length: int, token: str) -> bytes:
    # a valid token: the API then reads the upload (to a temporary file) before the view runs
    return (
        f"POST /api/leaves/1/evidence HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\n"
        "Content-Type: multipart/form-data; boundary=chiso\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode("ascii")


def _answer(sock: socket.socket) -> tuple[bytes, bytes]:
    """The status line and headers, and the body, of one HTTP answer read from ``sock``."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536) or b"\r\n\r\n"
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.lower().split(b"\r\n")
            if line.startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        more = sock.recv(65536)
        if not more:
            break
        body += more
    return head, body


def test_the_server_refuses_a_100_mb_upload_before_its_body_is_sent(
    server: tuple[int, subprocess.Popen[bytes], str],
) -> None:
    port, process, token = server
    before = _rss_kib(process.pid)
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(_headers(port, 100 * MB, token))
        head, body = _answer(sock)  # not one byte of the body has been sent
        refused_after = time.perf_counter() - started
        assert head.startswith(b"HTTP/1.1 413"), head
        assert json.loads(body)["rule"] == "request.too_large"
        # a client that sends the body anyway: the server discards it or closes the connection,
        # and keeps none of it
        sent = 0
        with contextlib.suppress(OSError):
            chunk = b"\0" * MB
            for _ in range(100):
                sock.sendall(chunk)
                sent += MB
    grown = _rss_kib(process.pid) - before
    print(
        f"refused after {refused_after * 1000:.0f} ms; client sent {sent // MB} MB more; "
        f"server memory grew {grown / 1024:.1f} MB"
    )
    assert refused_after < 5
    assert grown < 30 * 1024

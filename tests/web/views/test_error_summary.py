"""A refused form is answered with the error summary at the top of the page (the GOV.UK
pattern): a box with role=alert, the heading "Có lỗi", each problem a link to its field, and
the field marked aria-invalid with its message beside it — from base.html for every page, both
for forms answered by a redirect (the administration page, the cycle page) and for Django's
forms shown again (the password pages)."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from web.conftest import World

SUMMARY = re.compile(r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', re.DOTALL)


def _client(world: World, user: object = None) -> Client:
    client = Client()
    client.force_login(user or world.admin)  # type: ignore[arg-type]
    return client


def _summary_links(html: str) -> list[tuple[str, str]]:
    """(target id, text) of every link in the error summary; the summary is there."""
    found = SUMMARY.search(html)
    assert found, "no error summary"
    box = found.group(1)
    assert "<h2" in box and "Có lỗi" in box
    return re.findall(r'<a href="#([^"]+)">([^<]*)</a>', box)


def _field(html: str, target: str) -> str:
    """The form control with ``id=target`` (it exists), as written."""
    found = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{re.escape(target)}"[^>]*>', html)
    assert found, f"no field #{target} on the page"
    return found.group(0)


def _described(html: str, tag: str) -> str:
    """The text of the element the field's aria-describedby names first."""
    ids = re.search(r'aria-describedby="([^"]+)"', tag)
    assert ids, tag
    first = ids.group(1).split()[0]
    note = re.search(rf'id="{re.escape(first)}"[^>]*>([^<]*)<', html)
    assert note, first
    return note.group(1)


def test_a_refused_role_grant_links_each_problem_to_its_field(world: World) -> None:
    answer = _client(world).post(
        reverse("cycles:role-grant"), {"username": "", "kind": "officer"}, follow=True
    )
    html = answer.content.decode()
    links = _summary_links(html)
    assert links, html[:2000]
    target, text = links[0]
    assert "tên đăng nhập" in text
    tag = _field(html, target)
    assert 'name="username"' in tag and 'aria-invalid="true"' in tag
    assert _described(html, tag) == text


def test_a_refused_extension_marks_the_field_in_its_own_form(world: World) -> None:
    """The cycle page has several forms with a "reason" field: the one marked is the
    extension's, the form that was refused."""
    answer = _client(world).post(
        reverse("cycles:cycle-extend", args=[world.cycle.pk]),
        {"stage": "self_assessment", "unit": "", "ends": "2099-01-31", "reason": " "},
        follow=True,
    )
    html = answer.content.decode()
    [(target, text)] = _summary_links(html)
    tag = _field(html, target)
    assert 'name="reason"' in tag and 'aria-invalid="true"' in tag
    extend = re.search(r'<form[^>]*id="extend".*?</form>', html, re.DOTALL)
    assert extend and f'id="{target}"' in extend.group(0) and "lý do" in text
    assert html.count('aria-invalid="true"') == 1


def test_every_refused_field_of_a_form_is_listed(world: World) -> None:
    answer = _client(world).post(
        reverse("cycles:cycle-create"), {"year": "năm", "framework": "khong-co"}, follow=True
    )
    html = answer.content.decode()
    links = _summary_links(html)
    assert len(links) >= 2
    for target, _ in links:
        assert f'id="{target}"' in html


def test_the_password_page_shown_again_links_to_its_fields(world: World) -> None:
    answer = _client(world).post(
        reverse("accounts:password-change"),
        {"old_password": "sai", "new_password1": "mot-mat-khau", "new_password2": "khac-han"},
    )
    html = answer.content.decode()
    links = _summary_links(html)
    assert {t for t, _ in links} >= {"id_old_password", "id_new_password2"}
    for target, _ in links:
        assert 'aria-invalid="true"' in _field(html, target)


def test_a_refused_file_links_each_problem_to_the_form_it_was_sent_with(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("lien-ket.csv", b"old,new,date\nKHONG-CO,S01,01/07/2025\n")
    answer = _client(world).post(reverse("cycles:lineage-load"), {"file": upload}, follow=True)
    html = answer.content.decode()
    links = _summary_links(html)
    assert links and all("KHONG-CO" in text or "lien-ket.csv" in text for _, text in links)
    for target, _ in links:
        form = re.search(rf'<form\b[^>]*\bid="{re.escape(target)}"[^>]*>', html)
        assert form and reverse("cycles:lineage-load") in form.group(0)

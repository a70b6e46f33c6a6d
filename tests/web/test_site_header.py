"""The site's header is rendered once per language and kept (chiso.web.core.header); each
reader still gets exactly what the template renders for them: their own name (escaped), the
page's own address in the language links, their own form token, and their language."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.template import RequestContext
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from chiso.web.core import header
from web.conftest import World
from web.views.helpers import as_


def _context(user: object, path: str, lang: str) -> RequestContext:
    request = RequestFactory().get(path)
    request.user = user  # type: ignore[assignment]
    context = RequestContext(request, {"csrf_token": "t0k3n", "request": request})
    context.update({"user": user, "LANGUAGE_CODE": lang})
    return context


def _by_the_template(user: object, path: str, lang: str) -> str:
    """What templates/header.html renders for this reader, every part in place."""
    signed_in = bool(getattr(user, "is_authenticated", False))
    return render_to_string(
        header.TEMPLATE,
        {
            "LANGUAGE_CODE": lang,
            "signed_in": signed_in,
            "path": escape(urlencode(path)),
            "username": escape(getattr(user, "username", "")),
            "csrf_input": mark_safe(
                '<input type="hidden" name="csrfmiddlewaretoken" value="t0k3n">'
                if signed_in
                else ""
            ),
        },
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", ["/", "/archive/provinces/Quảng Ninh/", "/a&b<c>/\"'/"])
def test_each_reader_gets_what_the_template_renders_for_them(
    db: None, lang: str, path: str
) -> None:
    people = [
        AnonymousUser(),
        User.objects.create_user("can-bo-<b>&amp;"),
        User.objects.create_user("người-khác"),
        AnonymousUser(),
    ]
    with translation.override(lang):
        for user in people:  # one after another: nothing of one stays in the next's
            shown = header.render(_context(user, path, lang))
            assert shown == _by_the_template(user, path, lang)
    assert "can-bo-&lt;b&gt;&amp;amp;" in header.render(_context(people[1], path, lang))


def test_the_header_speaks_the_readers_language(db: None) -> None:
    with translation.override("vi"):
        vi = header.render(_context(AnonymousUser(), "/", "vi"))
    with translation.override("en"):
        en = header.render(_context(AnonymousUser(), "/", "en"))
    assert "Đăng nhập" in vi and "Log in" in en
    assert 'lang="vi" aria-current="true"' in vi and 'lang="en" aria-current="true"' in en


def test_a_signed_in_page_carries_the_readers_own_name_and_token(world: World) -> None:
    client = as_(world, "officer_a")
    page = client.get("/").content.decode()
    token = client.cookies["csrftoken"].value
    assert f">{world.officer_a.username}</a>" in page
    signed_out = page.split('action="/accounts/logout/"', 1)[1].split("</form>", 1)[0]
    masked = signed_out.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    from django.middleware.csrf import _unmask_cipher_token

    assert _unmask_cipher_token(masked) == token

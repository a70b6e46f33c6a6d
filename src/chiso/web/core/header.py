"""The site's header (templates/header.html), rendered once per language and kept in this
process, with the reader's own parts put in when served.

Every page has the same header: links whose addresses never change while the server runs,
words in the reader's language, and four things of the reader's own (the page's address in
the language links, whether they are signed in, their user name, their form token). Rendering
it took a fifth of an unchanged sheet's time (seven ``{% url %}``, six translations). Now
:func:`render` renders the template once per (language, signed in or not, URL prefix and
configuration) with markers in the reader's places, splits it there, and serves the kept
pieces with the reader's parts, each made exactly as the template made it (the same filters,
escaping and ``{% csrf_token %}`` tag), so the page is byte for byte what it was.

What is kept depends on nothing a request or the database can change; a change of settings
(tests do that) forgets it all.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.signals import setting_changed
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import urlencode
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TEMPLATE = "header.html"
SLOTS = ("path", "username", "csrf_input")
"""The reader's own parts of the header, as the template names them."""
_MARK = "\x00chiso-header-{}\x00"
_SPLIT = re.compile("\x00chiso-header-([a-z_]+)\x00")

_kept: dict[tuple[object, ...], list[str]] = {}


def forget(**kwargs: Any) -> None:
    """Forget every kept header (settings changed: the URLs, languages or templates may)."""
    _kept.clear()


setting_changed.connect(forget)


def _pieces(lang_code: Any, signed_in: bool) -> list[str]:
    """The header for a reader in ``lang_code``, split at its slots: text, slot name, text…"""
    key = (
        get_language(),
        lang_code == "vi",
        lang_code == "en",
        signed_in,
        get_script_prefix(),
        get_urlconf(),
    )
    pieces = _kept.get(key)
    if pieces is None:
        html = render_to_string(
            TEMPLATE,
            {
                "LANGUAGE_CODE": lang_code,
                "signed_in": signed_in,
                **{name: mark_safe(_MARK.format(name)) for name in SLOTS},
            },
        )
        pieces = _SPLIT.split(html)
        _kept[key] = pieces
    return pieces


def render(context: Context) -> SafeString:
    """The header for the page being rendered in ``context`` (its ``request``, ``user``,
    ``LANGUAGE_CODE`` and ``csrf_token``, as the context processors set them)."""
    user = context.get("user")
    signed_in = bool(getattr(user, "is_authenticated", False))
    lang_code = context.get("LANGUAGE_CODE")
    if not isinstance(lang_code, str):
        lang_code = ""
    pieces = _pieces(lang_code, signed_in)
    request = context.get("request")
    parts: dict[str, str] = {
        "path": render_value_in_context(urlencode(getattr(request, "path", "")), context)
    }
    if signed_in:
        parts["username"] = render_value_in_context(user.username, context)
        parts["csrf_input"] = CsrfTokenNode().render(context)
    return mark_safe(
        "".join(piece if i % 2 == 0 else parts[piece] for i, piece in enumerate(pieces))
    )

"""The error summary of a refused form (the GOV.UK Design System's pattern), for every page.

A refused form's problems are shown at the top of the page that answers, in a box with
``role="alert"`` under the heading "Có lỗi", each one a link to its field; the field itself is
marked ``aria-invalid="true"`` with its message beside it (``aria-describedby``). Every page
gets this from ``base.html`` alone: the box is one include (``error_summary.html``, by the
``error_summary`` tag), and the fields are marked by :func:`mark`, which the ``marked_fields``
tag runs over the rendered page, so no page's template names its fields' errors.

Two sources of problems:

* a form refused by a service and answered with a redirect (most forms: the administration
  page, opening a cycle, role grants, uploads, an extension…): :func:`chiso.web.core.feedback.
  tell` tags each message with the field the refusal names and the address the form posted
  to (:func:`tags`); :func:`mark` then finds that form on the page by its ``action``, the field
  by its ``name``, and links to its ``id`` (giving it ``id_<field>`` when it has none);
* a bound Django form in the page's context with errors (the password pages): each error links
  to the field's own id, which Django's widgets already mark ``aria-invalid`` and describe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape

FIELD = "field:"
FORM = "form:"
ANCHOR = "chiso-problem-"
"""The placeholder target of a summary's link until :func:`mark` knows the field's id."""


def tags(field: str | None, form: str) -> str:
    """The message tags that name a refused field (if any: a file's problems name none) and
    the address its form posts to."""
    return f"{FIELD}{field} {FORM}{form}" if field else f"{FORM}{form}"


@dataclass
class Problem:
    text: str
    href: str
    field: str = ""
    form: str = ""


def _tagged(message: Any, prefix: str) -> str:
    for tag in str(getattr(message, "extra_tags", "") or "").split():
        if tag.startswith(prefix):
            return tag[len(prefix) :]
    return ""


def problems(context: Any) -> list[Problem]:
    """Every problem the page tells: the error messages (a redirect after a refusal), then
    the errors of a bound form in the context; remembered on the request for :func:`mark`."""
    found: list[Problem] = []
    for message in context.get("messages") or ():
        if "error" not in message.tags.split():
            continue
        field, form = _tagged(message, FIELD), _tagged(message, FORM)
        href = f"#{ANCHOR}{len(found)}" if field or form else ""
        found.append(Problem(str(message), href, field, form))
    form = context.get("form")
    if form is not None and getattr(form, "is_bound", False) and form.errors:
        for error in form.non_field_errors():
            found.append(Problem(str(error), ""))
        for bound in form:
            for error in bound.errors:
                found.append(Problem(str(error), f"#{bound.auto_id}" if bound.auto_id else ""))
    request = context.get("request")
    if request is not None:
        request.chiso_problems = found
    return found


_CONTROL = re.compile(r"<(?:input|select|textarea)\b[^>]*>", re.IGNORECASE)
_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.IGNORECASE | re.DOTALL)
_ID = re.compile(r'\bid="([^"]*)"')


def _form_span(html: str, action: str) -> tuple[int, int] | None:
    for found in _FORM.finditer(html):
        opening = found.group(0)[: found.group(0).index(">") + 1]
        if f'action="{action}"' in opening:
            return found.start(), found.end()
    return None


def _control(html: str, start: int, end: int, field: str) -> re.Match[str] | None:
    for found in _CONTROL.finditer(html, start, end):
        tag = found.group(0)
        if f'name="{field}"' in tag and 'type="hidden"' not in tag:
            return found
    return None


def _marked(tag: str, target: str, described: str) -> str:
    extra = ""
    if not _ID.search(tag):
        extra += f' id="{target}"'
    if "aria-invalid" not in tag:
        extra += ' aria-invalid="true"'
    if "aria-describedby=" in tag:
        tag = tag.replace('aria-describedby="', f'aria-describedby="{described} ', 1)
    else:
        extra += f' aria-describedby="{described}"'
    close = -2 if tag.endswith("/>") else -1
    return tag[:close] + extra + tag[close:]


def mark(html: str, request: Any) -> str:
    """The page with each refused field marked invalid, its message beside it, and the
    summary's link pointing at it (at its form when the field is not on the page, at the
    page's main content when the form is not either)."""
    for n, problem in enumerate(getattr(request, "chiso_problems", ())):
        if not problem.href.startswith(f"#{ANCHOR}"):
            continue
        target = "main"
        span = _form_span(html, problem.form) if problem.form else None
        control = (
            _control(html, span[0], span[1], problem.field) if span and problem.field else None
        )
        if control is not None:
            tag = control.group(0)
            own = _ID.search(tag)
            target = own.group(1) if own else f"id_{problem.field}"
            described = f"{target}-error-{n}"
            note = f'<span class="field-error" id="{described}">{escape(problem.text)}</span> '
            html = (
                html[: control.start()]
                + note
                + _marked(tag, target, described)
                + html[control.end() :]
            )
        elif span is not None:
            opening = html[span[0] : html.index(">", span[0]) + 1]
            own = _ID.search(opening)
            target = own.group(1) if own else f"{ANCHOR}form-{n}"
            if not own:
                html = (
                    html[: span[0]]
                    + opening[:-1]
                    + f' id="{target}">'
                    + html[span[0] + len(opening) :]
                )
        html = html.replace(f'href="{problem.href}"', f'href="#{target}"', 1)
    return html

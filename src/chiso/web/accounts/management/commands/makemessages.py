"""``makemessages`` that also finds :func:`chiso.i18n.pgettext_noop` (a label kept in a table
with its context), so translators extract every marked string with the usual command."""

from __future__ import annotations

from typing import ClassVar

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options: ClassVar[list[str]] = [
        *makemessages.Command.xgettext_options,
        "--keyword=pgettext_noop:1c,2",
    ]

"""Path converters shared by the apps' URLs, registered once when this module is imported."""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    """A database id: up to 18 digits, so that no id overflows the database's integers."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

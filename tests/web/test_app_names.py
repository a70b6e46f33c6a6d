"""The apps' names (Django's admin and messages show them) are translated like every text:
Vietnamese source, English from the app's catalogue."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation

NAMES = {
    "plans": ("Kế hoạch nâng cao chỉ số", "Index improvement plan"),
    "services": (
        "Chỉ số phục vụ người dân, doanh nghiệp",
        "Index of service to citizens and businesses",
    ),
    "archive": ("Kho kết quả đã công bố", "Published archive"),
}


@pytest.mark.parametrize("label", sorted(NAMES))
def test_an_apps_name_is_vietnamese_with_its_english_translation(label: str) -> None:
    vi, en = NAMES[label]
    name = apps.get_app_config(label).verbose_name
    with translation.override("vi"):
        assert str(name) == vi
    with translation.override("en"):
        assert str(name) == en

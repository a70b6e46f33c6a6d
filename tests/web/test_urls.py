"""Every named address resolves to the string it has always had. Literal on purpose: these
are the site's addresses as people, bookmarks and other sites know them; the rest of the code
and the tests reach them by name."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

ADDRESSES = [
    ("accounts:login", [], "/accounts/login/"),
    ("accounts:logout", [], "/accounts/logout/"),
    ("accounts:password-change", [], "/accounts/password/"),
    ("accounts:password-change-done", [], "/accounts/password/done/"),
    ("accounts:password-reset", [], "/accounts/reset/"),
    ("accounts:password-reset-done", [], "/accounts/reset/sent/"),
    ("accounts:password-reset-confirm", ["MQ", "set-password"], "/accounts/reset/MQ/set-password/"),
    ("accounts:password-reset-complete", [], "/accounts/reset/done/"),
    ("notifications:inbox", [], "/notifications/"),
    ("notifications:open", [3], "/notifications/3/open/"),
    ("notifications:kinds", [], "/notifications/kinds/"),
    ("portal:language", ["en"], "/lang/en/"),
    ("cycles:home", [], "/"),
    ("cycles:manage", [], "/manage/"),
    ("cycles:unit-create", [], "/manage/units/"),
    ("cycles:cycle-create", [], "/manage/cycles/"),
    ("cycles:role-grant", [], "/manage/roles/"),
    ("portal:map-upload", [], "/manage/maps/"),
    ("portal:map-delete", [3], "/manage/maps/3/delete/"),
    ("cycles:cycle", [3], "/cycles/3/"),
    ("cycles:cycle-advance", [3], "/cycles/3/advance/"),
    ("cycles:cycle-publish", [3], "/cycles/3/publish/"),
    ("cycles:cycle-audit", [3], "/cycles/3/audit.csv"),
    ("cycles:cycle-central", [3], "/cycles/3/central/"),
    ("cycles:sheet", [3], "/sheets/3/"),
    ("cycles:sheet-submit", [3], "/sheets/3/submit/"),
    ("cycles:sheet-template", [3], "/sheets/3/template.xlsx"),
    ("cycles:sheet-upload", [3], "/sheets/3/upload/"),
    ("cycles:leaf-save", [3], "/leaves/3/save/"),
    ("cycles:leaf-message", [3], "/leaves/3/message/"),
    ("cycles:leaf-history", [3], "/leaves/3/history/"),
    ("cycles:evidence-upload", [3], "/leaves/3/evidence/"),
    ("cycles:evidence", [3], "/evidence/3/"),
    ("portal:published", [3], "/results/3/"),
    ("portal:profile", [3, "Sở Tư pháp"], "/results/3/units/S%E1%BB%9F%20T%C6%B0%20ph%C3%A1p/"),
    ("portal:unit-report", [3, "Huế"], "/results/3/units/Hu%E1%BA%BF/report.pdf"),
    ("portal:compare", [3], "/results/3/compare/"),
    ("portal:heatmap", [3], "/results/3/heatmap/"),
    ("portal:intervals", [3], "/results/3/intervals/"),
    ("portal:rebased", [3], "/results/3/rebased/"),
    ("portal:rebased-csv", [3], "/results/3/rebased.csv"),
    ("portal:rebased-xlsx", [3], "/results/3/rebased.xlsx"),
    ("portal:rebased-json", [3], "/results/3/rebased.json"),
    ("portal:data-csv", [3], "/results/3/data.csv"),
    ("portal:data-xlsx", [3], "/results/3/data.xlsx"),
    ("portal:data-json", [3], "/results/3/data.json"),
    ("portal:dictionary", [3], "/results/3/dictionary.json"),
    ("portal:annex-xlsx", [3], "/results/3/annex.xlsx"),
    ("portal:annex-docx", [3], "/results/3/annex.docx"),
    ("portal:report-pdf", [3], "/results/3/report.pdf"),
]


@pytest.mark.parametrize(("name", "args", "address"), ADDRESSES)
def test_every_named_address_keeps_its_string(name: str, args: list[object], address: str) -> None:
    assert reverse(name, args=args) == address
    assert f"{resolve(address).namespace}:{resolve(address).url_name}" == name


def test_the_api_keeps_its_address() -> None:
    assert reverse("api:openapi-json") == "/api/openapi.json"


def test_ids_beyond_the_database_are_not_addresses() -> None:
    from django.urls import Resolver404

    with pytest.raises(Resolver404):
        resolve("/sheets/1234567890123456789/")

"""The official list of the 34 provinces and their 3,321 commune-level units in force from
1 July 2025, with the General Statistics Office's codes and types.

The list itself is not ours: it comes from the maintained PyPI package ``vietnam-provinces``
(Nguyễn Hồng Quân, data of the statistics office's catalogue of administrative units), read
here on first use, so a command that never asks for a commune never loads it. Codes are kept
as the statistics office writes them: two digits for a province ("19"), five for a commune
("05431"). A commune's type (xã, phường, đặc khu) is the word its official name starts with.

The published totals (Resolution 202/2025/QH15 and the 34 resolutions of the National
Assembly Standing Committee that followed it) are kept beside the list, so a test can hold the
package to them rather than to itself."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

COMMUNE_TYPES: tuple[str, ...] = ("xã", "phường", "đặc khu")
"""The three types of commune-level unit since 1 July 2025 (no more thị trấn)."""

PUBLISHED_TOTALS: dict[str, int] = {
    "provinces": 34,
    "communes": 3321,
    "xã": 2621,
    "phường": 687,
    "đặc khu": 13,
}
"""The published totals: 34 provinces (Resolution 202/2025/QH15 of 12 June 2025) and 3,321
commune-level units, of which 2,621 xã, 687 phường and 13 đặc khu, as counted over the 34
resolutions of the Standing Committee on the communes and reported when they took effect
(e.g. https://dientuungdung.vn/tra-cuu-chi-tiet-3321-phuong-xa-dac-khu-cua-34-tinh-thanh-pho-sau-sap-xep-10143-10143.html,
which also names the 13 đặc khu and their provinces)."""

CITY_PREFIX = "Thành phố "


def _clean(text: str) -> str:
    """NFC, single spaces: the package writes ten names with two spaces ("Xã  Xuân Giang")."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(frozen=True)
class OfficialProvince:
    """A province or centrally-run city of the 34: its statistics-office code and name."""

    code: str
    name: str

    @property
    def short_name(self) -> str:
        """The name without "Thành phố" (as :data:`chiso.units.provinces.MERGED_34` writes
        it): "Hà Nội", "Huế", "Hồ Chí Minh"."""
        return self.name.removeprefix(CITY_PREFIX)


@dataclass(frozen=True)
class OfficialCommune:
    """A commune-level unit: its statistics-office code, full name ("Xã Đại Từ"), type and
    province."""

    code: str
    name: str
    type: str
    province_code: str

    @property
    def short_name(self) -> str:
        """The name without its type: "Đại Từ" of "Xã Đại Từ"."""
        for word in COMMUNE_TYPES:
            if self.name.casefold().startswith(word + " "):
                return self.name[len(word) + 1 :]
        return self.name


def source() -> str:
    """Where the list comes from, with the package's version and data date, for notes and
    command output."""
    import vietnam_provinces

    return (
        f"vietnam-provinces {vietnam_provinces.__version__} "
        f"(dữ liệu ngày {vietnam_provinces.__data_version__}, https://pypi.org/project/vietnam-provinces/)"
    )


@cache
def official_provinces() -> tuple[OfficialProvince, ...]:
    """The 34 provinces in the order of their codes."""
    from vietnam_provinces import Province

    return tuple(
        sorted(
            (OfficialProvince(f"{int(p.code):02d}", _clean(p.name)) for p in Province.iter_all()),
            key=lambda p: p.code,
        )
    )


@cache
def _all_communes() -> tuple[OfficialCommune, ...]:
    from vietnam_provinces import Ward

    return tuple(
        sorted(
            (
                OfficialCommune(
                    f"{int(w.code):05d}",
                    _clean(w.name),
                    _clean(w.division_type.value),
                    f"{int(w.province_code):02d}",
                )
                for w in Ward.iter_all()
            ),
            key=lambda c: c.code,
        )
    )


def official_communes(
    province: OfficialProvince | None = None, commune_type: str | None = None
) -> tuple[OfficialCommune, ...]:
    """The commune-level units, in the order of their codes: all, or a province's, or of one
    type."""
    return tuple(
        c
        for c in _all_communes()
        if (province is None or c.province_code == province.code)
        and (commune_type is None or c.type == commune_type)
    )


@cache
def _communes_by_code() -> dict[str, OfficialCommune]:
    return {c.code: c for c in _all_communes()}


def official_commune(code: str) -> OfficialCommune | None:
    """The commune of a statistics-office code ("5431" and "05431" alike), or None."""
    code = code.strip()
    if not code.isdigit():
        return None
    return _communes_by_code().get(f"{int(code):05d}")


def find_province(name_or_code: str) -> OfficialProvince | None:
    """The province of a code ("19", "1") or a name, with or without "Thành phố", in any case
    ("thái nguyên"); None for anything else (abbreviations such as "TP HCM" are not guessed)."""
    given = " ".join(_clean(name_or_code).split())
    if given.isdigit():
        code = f"{int(given):02d}"
        return next((p for p in official_provinces() if p.code == code), None)
    folded = given.casefold().removeprefix(CITY_PREFIX.casefold())
    return next((p for p in official_provinces() if p.short_name.casefold() == folded), None)


def province_of(commune: OfficialCommune) -> OfficialProvince:
    """The province a commune belongs to."""
    return next(p for p in official_provinces() if p.code == commune.province_code)

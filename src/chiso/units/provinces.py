"""The 63 provinces and centrally-run cities in force until 30 June 2025, in the order of
their official codes (as listed in the PAPI data files)."""

from collections.abc import Iterable

PROVINCES_63: tuple[str, ...] = (
    "Hà Nội",
    "Hà Giang",
    "Cao Bằng",
    "Bắc Kạn",
    "Tuyên Quang",
    "Lào Cai",
    "Điện Biên",
    "Lai Châu",
    "Sơn La",
    "Yên Bái",
    "Hòa Bình",
    "Thái Nguyên",
    "Lạng Sơn",
    "Quảng Ninh",
    "Bắc Giang",
    "Phú Thọ",
    "Vĩnh Phúc",
    "Bắc Ninh",
    "Hải Dương",
    "Hải Phòng",
    "Hưng Yên",
    "Thái Bình",
    "Hà Nam",
    "Nam Định",
    "Ninh Bình",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Bình",
    "Quảng Trị",
    "Thừa Thiên Huế",
    "Đà Nẵng",
    "Quảng Nam",
    "Quảng Ngãi",
    "Bình Định",
    "Phú Yên",
    "Khánh Hòa",
    "Ninh Thuận",
    "Bình Thuận",
    "Kon Tum",
    "Gia Lai",
    "Đắk Lắk",
    "Đắk Nông",
    "Lâm Đồng",
    "Bình Phước",
    "Tây Ninh",
    "Bình Dương",
    "Đồng Nai",
    "Bà Rịa - Vũng Tàu",
    "Hồ Chí Minh",
    "Long An",
    "Tiền Giang",
    "Bến Tre",
    "Trà Vinh",
    "Vĩnh Long",
    "Đồng Tháp",
    "An Giang",
    "Kiên Giang",
    "Cần Thơ",
    "Hậu Giang",
    "Sóc Trăng",
    "Bạc Liêu",
    "Cà Mau",
)


# The 34 provinces from 1 July 2025 (Resolution 202/2025/QH15): each new province and the
# provinces before it was formed; eleven stayed as they were.
MERGED_34: dict[str, tuple[str, ...]] = {
    "Hà Nội": ("Hà Nội",),
    "Huế": ("Thừa Thiên Huế",),
    "Cao Bằng": ("Cao Bằng",),
    "Điện Biên": ("Điện Biên",),
    "Lai Châu": ("Lai Châu",),
    "Lạng Sơn": ("Lạng Sơn",),
    "Sơn La": ("Sơn La",),
    "Quảng Ninh": ("Quảng Ninh",),
    "Thanh Hóa": ("Thanh Hóa",),
    "Nghệ An": ("Nghệ An",),
    "Hà Tĩnh": ("Hà Tĩnh",),
    "Tuyên Quang": ("Tuyên Quang", "Hà Giang"),
    "Lào Cai": ("Lào Cai", "Yên Bái"),
    "Thái Nguyên": ("Thái Nguyên", "Bắc Kạn"),
    "Phú Thọ": ("Phú Thọ", "Vĩnh Phúc", "Hòa Bình"),
    "Bắc Ninh": ("Bắc Ninh", "Bắc Giang"),
    "Hưng Yên": ("Hưng Yên", "Thái Bình"),
    "Hải Phòng": ("Hải Phòng", "Hải Dương"),
    "Ninh Bình": ("Ninh Bình", "Hà Nam", "Nam Định"),
    "Quảng Trị": ("Quảng Trị", "Quảng Bình"),
    "Đà Nẵng": ("Đà Nẵng", "Quảng Nam"),
    "Quảng Ngãi": ("Quảng Ngãi", "Kon Tum"),
    "Gia Lai": ("Gia Lai", "Bình Định"),
    "Khánh Hòa": ("Khánh Hòa", "Ninh Thuận"),
    "Lâm Đồng": ("Lâm Đồng", "Đắk Nông", "Bình Thuận"),
    "Đắk Lắk": ("Đắk Lắk", "Phú Yên"),
    "Hồ Chí Minh": ("Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"),
    "Đồng Nai": ("Đồng Nai", "Bình Phước"),
    "Tây Ninh": ("Tây Ninh", "Long An"),
    "Cần Thơ": ("Cần Thơ", "Sóc Trăng", "Hậu Giang"),
    "Vĩnh Long": ("Vĩnh Long", "Bến Tre", "Trà Vinh"),
    "Đồng Tháp": ("Đồng Tháp", "Tiền Giang"),
    "Cà Mau": ("Cà Mau", "Bạc Liêu"),
    "An Giang": ("An Giang", "Kiên Giang"),
}


REORGANISED_IN = 2025  # provinces assessed for 2025 onwards are the 34


def era_of(names: Iterable[str], year: int | None = None) -> str | None:
    """Which provinces a set of unit names belongs to: "63" (before 1 July 2025) or "34"
    (after); None for units that are not provinces.

    A name only one set has decides ("Hà Giang": the 63; "Huế": the 34). Where every name is
    in both (a cycle of the 34 that writes "Thành phố Huế", or leaves it out), a dozen or more
    provinces without any of the thirty merged away are the 34 — or the cycle's year decides.
    Never both: a same-name series across the reorganisation would silently join the old
    Hải Phòng and the new."""
    given = {" ".join(n.split()) for n in names}
    old_only = set(PROVINCES_63) - set(MERGED_34)
    new_only = set(MERGED_34) - set(PROVINCES_63)
    if given & old_only:
        return "63"
    if given & new_only:
        return "34"
    provinces = given & (set(PROVINCES_63) | set(MERGED_34))
    if not provinces:
        return None
    if year is not None:
        return "34" if year >= REORGANISED_IN else "63"
    return "34" if len(provinces) >= 12 else None


def successor_of(old: str) -> str | None:
    """The province of the 34 that an old province became part of."""
    return next((new for new, parts in MERGED_34.items() if old in parts), None)

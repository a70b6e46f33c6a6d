"""The province lists: 63 provinces, each in exactly one of the six regions."""

from chiso.units.provinces import PROVINCES_63
from chiso.units.regions import REGION_OF, REGIONS


def test_every_one_of_the_63_provinces_is_in_exactly_one_region() -> None:
    assert len(PROVINCES_63) == len(set(PROVINCES_63)) == 63
    assert sorted(REGION_OF) == sorted(PROVINCES_63)
    assert sum(len(p) for p in REGIONS.values()) == 63
    assert [len(p) for p in REGIONS.values()] == [14, 11, 14, 5, 6, 13]

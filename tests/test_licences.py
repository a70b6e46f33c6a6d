"""chiso says what it may be used under and what it carries from others: the MIT licence its
metadata names, a NOTICE naming every folder of third-party data with its source and licence,
and no code transcribed from a book whose licence forbids redistributing it."""

from __future__ import annotations

import inspect
import re
import tomllib
from pathlib import Path

from chiso.surveys import student_t

ROOT = Path(__file__).resolve().parents[1]

THIRD_PARTY = (
    "tests/fixtures/published/papi/",
    "tests/fixtures/published/geo/",
    "src/chiso/archive/data/",
    "src/chiso/frameworks/data/",
    "src/chiso/surveys/instruments/",
    "src/chiso/reports/fonts/",
)


def test_chiso_carries_the_mit_licence_its_metadata_names() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in licence
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["license"] == {"text": "MIT"}


def test_the_notice_names_every_folder_of_third_party_data_with_its_terms() -> None:
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    for folder in THIRD_PARTY:
        assert f"`{folder}`" in notice, folder
    assert "CC BY 4.0" in notice and "doi.org/10.1371/journal.pone.0231866" in notice
    assert "SIL Open Font License 1.1" in notice
    assert (
        (ROOT / "src/chiso/reports/fonts/OFL.txt")
        .read_text(encoding="utf-8")
        .count("SIL OPEN FONT LICENSE Version 1.1")
    )


def test_every_path_the_notice_names_exists() -> None:
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    named = re.findall(r"`((?:src|tests)/[^`]+)`", notice)
    assert len(named) >= len(THIRD_PARTY)
    for path in named:
        assert (ROOT / path).exists(), path


def test_the_t_quantile_is_not_transcribed_from_numerical_recipes() -> None:
    """Numerical Recipes' licence forbids redistributing its code; the continued fraction is
    written from DLMF 8.17.22 instead (tests/test_survey_intervals.py: equal to R's qt)."""
    source = inspect.getsource(student_t)
    for mark in ("betacf", "qab", "qap", "qam", "Numerical Recipes"):
        assert mark not in source, mark
    assert "DLMF 8.17.22" in source

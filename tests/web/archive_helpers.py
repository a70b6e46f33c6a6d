"""The archive loaded into the test database once per test module (loading its 29,000 rows
takes a couple of seconds), read from its files once per session."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

from chiso.archive import Archive, load_archive


@cache
def shipped_archive() -> Archive:
    return load_archive()


@pytest.fixture(scope="module")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Archive]:
    """The shipped archive in the database for the tests of a module, removed after them."""
    from chiso.web.archive import models, store

    archive = shipped_archive()
    with django_db_blocker.unblock():
        store.load(archive)
    yield archive
    with django_db_blocker.unblock():
        for model in (models.Figure, models.Source, models.TableNote, models.Loaded):
            model.objects.all().delete()


def unload() -> None:
    """Inside one test (rolled back after it): the installation as if nothing was loaded."""
    from chiso.web.archive import models

    models.Loaded.objects.all().delete()

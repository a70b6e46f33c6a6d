"""Evidence: attaching a file to a leaf and downloading it: 405 to a wrong method; 404 to an
unknown leaf or file and to people who may not see the sheet; 403 to those who see it but may
not attach now; the login page for the anonymous."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chiso.web.cycles import evidence as evidence_files
from chiso.web.cycles.models import Evidence
from web.conftest import World
from web.views.helpers import MISSING, PDF, as_, sent_to_login


@pytest.fixture
def kept(world: World, tmp_path, settings) -> Evidence:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_ROOT = tmp_path
    leaf = world.leaf(world.sheet_a)
    return evidence_files.add_evidence(world.officer_a, leaf, SimpleUploadedFile("a.pdf", PDF))


def _file() -> dict[str, object]:
    return {"file": SimpleUploadedFile("b.pdf", PDF)}


def test_download_answers_405_to_a_post(world: World, kept: Evidence) -> None:
    url = reverse("cycles:evidence", args=[kept.pk])
    assert as_(world, "officer_a").post(url).status_code == 405


def test_upload_answers_405_to_a_get(world: World) -> None:
    url = reverse("cycles:evidence-upload", args=[world.leaf(world.sheet_a).pk])
    assert as_(world, "officer_a").get(url).status_code == 405


def test_404_to_unknown_files_and_leaves(world: World, kept: Evidence) -> None:
    client = as_(world, "admin")
    assert client.get(reverse("cycles:evidence", args=[MISSING])).status_code == 404
    url = reverse("cycles:evidence-upload", args=[MISSING])
    assert client.post(url, _file()).status_code == 404


def test_404_to_another_unit_s_officer(world: World, kept: Evidence) -> None:
    client = as_(world, "officer_b")
    assert client.get(reverse("cycles:evidence", args=[kept.pk])).status_code == 404
    url = reverse("cycles:evidence-upload", args=[kept.leaf_id])
    assert client.post(url, _file()).status_code == 404
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("actor", ["appraiser_a", "chair", "admin"])
def test_403_to_attach_for_those_who_only_read(world: World, kept: Evidence, actor: str) -> None:
    url = reverse("cycles:evidence-upload", args=[kept.leaf_id])
    assert as_(world, actor).post(url, _file()).status_code == 403
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("actor", ["appraiser_a", "chair", "admin", "officer_a"])
def test_those_who_see_the_sheet_download(world: World, kept: Evidence, actor: str) -> None:
    response = as_(world, actor).get(reverse("cycles:evidence", args=[kept.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_the_anonymous_are_sent_to_log_in(world: World, kept: Evidence) -> None:
    client = as_(world, "anonymous")
    assert sent_to_login(client.get(reverse("cycles:evidence", args=[kept.pk])))
    url = reverse("cycles:evidence-upload", args=[kept.leaf_id])
    assert sent_to_login(client.post(url, _file()))

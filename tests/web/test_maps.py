"""Boundary maps: an administrator uploads a GeoJSON/TopoJSON file, and the public ranking of a
cycle whose units it covers shows a true choropleth (the tile map otherwise)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chiso.reports.tilemap import SEQUENTIAL
from chiso.units.provinces import PROVINCES_63
from chiso.web.core.models import AuditEntry
from chiso.web.cycles.models import Cycle
from chiso.web.portal.models import BoundaryMap
from conftest import published_file
from web.conftest import World
from web.provinces import publish_provinces


@pytest.fixture
def provinces_cycle(world: World, tmp_path: Path) -> Cycle:
    """The 63 provinces, published, with index = 40 + the province's position."""
    values = {name: 40.0 + i for i, name in enumerate(PROVINCES_63)}
    return publish_provinces(world, tmp_path, "Tỉnh 2024", 2024, values)


def _admin(world: World) -> Client:
    client = Client()
    client.force_login(world.admin)
    return client


def _upload(client: Client, name: str, content: bytes, file_name: str) -> int:
    response = client.post(
        reverse("portal:map-upload"), {"name": name, "file": SimpleUploadedFile(file_name, content)}
    )
    return response.status_code


def _choropleth(html: str, colour: str = "group") -> str:
    """The choropleth of the ranking page, coloured by group or by value."""
    figure = re.search(r'<figure class="map" id="choropleth".*?</figure>', html, re.S)
    assert figure is not None, "no choropleth on the page"
    drawn = re.search(rf'<div data-colour="{colour}">(.*?)</div>', figure.group(0), re.S)
    assert drawn is not None
    return drawn.group(1)


def test_an_uploaded_boundary_file_puts_every_province_on_the_ranking_map(
    world: World, provinces_cycle: Cycle
) -> None:
    data = published_file("geo", "vn_provinces_63.geojson").read_bytes()
    assert _upload(_admin(world), "63 tỉnh (trước 2025)", data, "vn_provinces_63.geojson") == 302
    boundary = BoundaryMap.objects.get()
    assert boundary.feature_count == 63
    html = Client().get(f"/results/{provinces_cycle.pk}/").content.decode()
    by_group, by_value = _choropleth(html), _choropleth(html, "value")
    assert by_group.count("<path ") == by_value.count("<path ") == 63
    assert "63 tỉnh (trước 2025)" in html
    assert "Không có trên bản đồ này" not in html  # every province matched by name
    # by quartile group: four colours and no grey; by value: five classes
    fills = re.compile(r'<path d="[^"]*" fill="(#[0-9a-f]{6})"')
    assert len(set(fills.findall(by_group))) == 4
    assert set(fills.findall(by_value)) == set(SEQUENTIAL)
    assert AuditEntry.objects.filter(object_type="BoundaryMap", field="created").exists()


def test_a_cycle_whose_units_are_not_on_the_map_keeps_the_tile_map_or_none(
    world: World, provinces_cycle: Cycle
) -> None:
    data = published_file("geo", "vn_provinces_63.geojson").read_bytes()
    _upload(_admin(world), "63 tỉnh", data, "vn_provinces_63.geojson")
    world.move_to(Cycle.PUBLISHED)
    html = Client().get(f"/results/{world.cycle.pk}/").content.decode()  # two departments
    assert 'id="choropleth"' not in html


def test_removing_the_map_brings_back_the_tile_map_on_the_public_page(
    world: World, provinces_cycle: Cycle
) -> None:
    client = _admin(world)
    data = published_file("geo", "vn_provinces_63.geojson").read_bytes()
    _upload(client, "63 tỉnh", data, "vn_provinces_63.geojson")
    assert 'id="choropleth"' in Client().get(f"/results/{provinces_cycle.pk}/").content.decode()
    assert (
        client.post(reverse("portal:map-delete", args=[BoundaryMap.objects.get().pk])).status_code
        == 302
    )
    html = Client().get(f"/results/{provinces_cycle.pk}/").content.decode()
    assert 'id="choropleth"' not in html and 'class="map"' in html


def test_a_file_that_is_not_geojson_is_refused_by_name_and_nothing_is_kept(world: World) -> None:
    client = _admin(world)
    _upload(client, "Hỏng", b'{"type": "FeatureCollection", "features": [', "ranh-gioi.geojson")
    page = client.get(reverse("cycles:manage")).content.decode()
    assert "ranh-gioi.geojson" in page and "GeoJSON" in page and "JSON dòng 1" in page
    _upload(client, "Không tên", b'{"type": "FeatureCollection", "features": []}', "rong.json")
    assert "rong.json" in client.get(reverse("cycles:manage")).content.decode()
    for file_name, geometry, reason in (
        (
            "khong-co-ranh-gioi.geojson",
            {"type": "MultiPolygon", "coordinates": []},
            "Hà Nội: a ring needs at least three points",
        ),
        (
            "nan.geojson",
            {"type": "Polygon", "coordinates": [[["NaN", 1], [2, 3], [4, 5]]]},
            "NaN is not a coordinate",
        ),
    ):
        feature = {"type": "Feature", "properties": {"name": "Hà Nội"}, "geometry": geometry}
        text = json.dumps({"type": "FeatureCollection", "features": [feature]})
        # NaN as JSON writes it (json.dumps writes a bare NaN for float('nan'))
        _upload(client, "Hỏng", text.replace('"NaN"', "NaN").encode(), file_name)
        page = client.get(reverse("cycles:manage")).content.decode()
        assert file_name in page and reason in page
    assert not BoundaryMap.objects.exists()
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and "<" not in title.group(1) and len(title.group(1)) < 40


def test_only_an_administrator_uploads_or_removes_maps(world: World) -> None:
    data = b'{"type": "FeatureCollection", "features": []}'
    officer = Client()
    officer.force_login(world.officer_a)
    assert _upload(officer, "x", data, "x.geojson") == 403
    assert _upload(Client(), "x", data, "x.geojson") == 302  # to the login page
    boundary = BoundaryMap.objects.create(
        name="m",
        uploaded_by=User.objects.get(username=world.admin.username),
        file_name="m.json",
        sha256="0" * 64,
        feature_count=0,
        features="[]",
    )
    assert officer.post(reverse("portal:map-delete", args=[boundary.pk])).status_code == 403
    assert officer.post(reverse("portal:map-delete", args=[999999])).status_code == 403
    assert BoundaryMap.objects.count() == 1


def test_the_34_provinces_are_never_drawn_on_the_boundaries_of_the_63(
    world: World, tmp_path: Path
) -> None:
    from chiso.units.provinces import MERGED_34

    values = {name: 50.0 + i for i, name in enumerate(MERGED_34)}
    cycle = publish_provinces(world, tmp_path, "2025", 2025, values, prefix="N")
    data = published_file("geo", "vn_provinces_63.geojson").read_bytes()
    _upload(_admin(world), "63 tỉnh (trước 2025)", data, "vn_provinces_63.geojson")
    html = Client().get(f"/results/{cycle.pk}/").content.decode()
    # 33 of the 34 names are on that map, but half of its areas are not provinces any more
    assert 'id="choropleth"' not in html and 'class="map"' in html  # the tile map of the 34

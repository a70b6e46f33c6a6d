"""Two controls of a cycle's page as its users read them: the extension's reason is a field as
wide as the form, bounded by what the form accepts; a sheet's "Xếp hạng" cell shows the state
as a tag and the action as a button that says what it does (a POST with its CSRF token)."""

from __future__ import annotations

import lxml.html
from django.urls import reverse

from chiso.web.cycles.forms import ExtensionForm
from chiso.web.cycles.models import DeadlineExtension
from web.conftest import World
from web.views.helpers import as_


def _page(world: World, actor: str) -> lxml.html.HtmlElement:
    html = as_(world, actor).get(reverse("cycles:cycle", args=[world.cycle.pk])).content
    return lxml.html.fromstring(html.decode())


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def test_the_extension_s_reason_is_a_wide_field_bounded_as_the_form_reads_it(
    world: World,
) -> None:
    field = _page(world, "admin").get_element_by_id("extend-reason")
    bound = ExtensionForm().fields["reason"].max_length
    assert bound is not None and int(field.get("maxlength")) == bound
    assert field.tag == "textarea" or "wide" in field.get("class", "").split()
    assert field.get("required") is not None
    labels = [_text(label) for label in field.getroottree().iter("label")]
    assert "Lý do" in labels  # its own label, above the field
    # the model keeps any length: the page's bound is the form's, refused beyond it
    assert DeadlineExtension._meta.get_field("reason").max_length is None
    url = reverse("cycles:cycle-extend", args=[world.cycle.pk])
    as_(world, "admin").post(
        url, {"stage": "self_assessment", "ends": "2099-01-01", "reason": "x" * (bound + 1)}
    )
    assert not DeadlineExtension.objects.exists()


def _ranked_cell(page: lxml.html.HtmlElement, unit: str) -> lxml.html.HtmlElement:
    for row in page.iter("tr"):
        cells = row.findall("td")
        if cells and _text(cells[0]) == unit and len(cells) == 3:
            return cells[2]
    raise AssertionError(f"no row for {unit}")


def test_the_ranked_cell_shows_the_state_as_a_tag_and_the_action_by_what_it_does(
    world: World,
) -> None:
    cell = _ranked_cell(_page(world, "admin"), "Sở Y tế")
    assert [_text(t) for t in cell.find_class("tag")] == ["Được xếp hạng"]
    (form,) = cell.iter("form")
    assert form.get("method") == "post"
    assert form.xpath(".//input[@name='csrfmiddlewaretoken']")
    (button,) = form.iter("button")
    assert _text(button) == "Đánh dấu: đánh giá, không xếp hạng (Sở Y tế)"

    as_(world, "admin").post(reverse("cycles:sheet-ranked", args=[world.sheet_b.pk]), {})
    cell = _ranked_cell(_page(world, "admin"), "Sở Y tế")
    assert [_text(t) for t in cell.find_class("tag")] == ["Đánh giá, không xếp hạng"]
    assert _text(next(cell.iter("button"))) == "Xếp hạng lại (Sở Y tế)"


def test_whoever_may_not_change_it_sees_the_state_and_no_button(world: World) -> None:
    as_(world, "admin").post(reverse("cycles:sheet-ranked", args=[world.sheet_a.pk]), {})
    cell = _ranked_cell(_page(world, "officer_a"), "Sở Tư pháp")
    assert [_text(t) for t in cell.find_class("tag")] == ["Đánh giá, không xếp hạng"]
    assert not list(cell.iter("button")) and not list(cell.iter("form"))

"""Frameworks: the built-in ones, each with its tree, and a check of a framework file.

(Uploaded framework versions belong to the cycles app's framework versions; their operations
join this router when those exist.)"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from chiso.frameworks import builtin_frameworks
from chiso.frameworks.loader import framework_from_text
from chiso.frameworks.model import Framework
from chiso.problems import Kind, Refusal
from chiso.web.api.core import PUBLIC, SIGNED_IN, answers
from chiso.web.core import feedback
from chiso.web.core.refusals import not_found, too_large

router = Router(tags=["frameworks"])


class FrameworkOut(Schema):
    code: str
    index: str
    name_vi: str
    name_en: str
    years: str
    legal_basis: str
    total_max: float | None


class NodeOut(Schema):
    code: str
    parent: str | None
    name_vi: str
    name_en: str
    max: float | None
    leaf: bool
    rule: str | None


class FrameworkTreeOut(FrameworkOut):
    nodes: list[NodeOut]


class CheckOut(Schema):
    valid: bool
    code: str | None
    problems: list[dict[str, object]]


def _out(fw: Framework) -> FrameworkOut:
    return FrameworkOut(
        code=fw.code,
        index=fw.index,
        name_vi=fw.name_vi,
        name_en=fw.name_en,
        years=fw.years_label,
        legal_basis=fw.legal_basis,
        total_max=fw.total_max,
    )


@router.get("/frameworks", response=answers(list[FrameworkOut]), auth=PUBLIC)
def frameworks(request: HttpRequest) -> list[FrameworkOut]:
    """The built-in frameworks."""
    return [_out(fw) for fw in builtin_frameworks()]


@router.post("/frameworks/check", response=answers(CheckOut), auth=SIGNED_IN)
def framework_check(request: HttpRequest, file: File[UploadedFile]) -> CheckOut:
    """Check a framework file (YAML) by every rule chiso applies, and list every problem.
    (Defined before ``/frameworks/{code}``, whose address would otherwise take it.)"""
    if file.size is not None and file.size > 2 * 1024 * 1024:
        raise too_large(2, "file")
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refusal("file.encoding", Kind.INVALID, "file") from None
    name = (file.name or "framework.yaml").rsplit("/", 1)[-1][:100]
    try:
        fw = framework_from_text(text, name)
    except Refusal as exc:
        lang = feedback.lang()
        return CheckOut(
            valid=False,
            code=None,
            problems=exc.report.as_dicts(lang),  # the first 200, then how many more
        )
    return CheckOut(valid=True, code=fw.code, problems=[])


@router.get("/frameworks/{code}", response=answers(FrameworkTreeOut), auth=PUBLIC)
def framework(request: HttpRequest, code: str) -> FrameworkTreeOut:
    """A built-in framework with every node, parents before children."""
    fw = next((f for f in builtin_frameworks() if f.code == code), None)
    if fw is None:
        raise not_found("code")
    nodes: list[NodeOut] = []

    def walk(children: tuple[object, ...], parent: str | None) -> None:
        for node in children:
            nodes.append(
                NodeOut(
                    code=node.code,  # type: ignore[attr-defined]
                    parent=parent,
                    name_vi=node.name_vi,  # type: ignore[attr-defined]
                    name_en=node.name_en,  # type: ignore[attr-defined]
                    max=node.max,  # type: ignore[attr-defined]
                    leaf=node.is_leaf,  # type: ignore[attr-defined]
                    rule=node.rule.kind if node.is_leaf else None,  # type: ignore[attr-defined]
                )
            )
            walk(node.children, node.code)  # type: ignore[attr-defined]

    walk(fw.nodes, None)
    return FrameworkTreeOut(**_out(fw).dict(), nodes=nodes)

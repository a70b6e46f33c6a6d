"""Small frameworks built in code, for tests of the engine's rules."""

from __future__ import annotations

from chiso.frameworks.model import Band, Framework, Groups, Node

PAR_BANDS = Groups(
    "bands",
    "index",
    (
        Band("A", min=90),
        Band("B", min=80, below=90),
        Band("C", min=70, below=80),
        Band("D", below=70),
    ),
)


def leaf(code: str, maximum: float | None, **kw: object) -> Node:
    return Node(code=code, name_vi=code, name_en=code, max=maximum, **kw)  # type: ignore[arg-type]


def branch(code: str, maximum: float | None, *children: Node, **kw: object) -> Node:
    return Node(code=code, name_vi=code, name_en=code, max=maximum, children=children, **kw)  # type: ignore[arg-type]


def framework(*nodes: Node, total_max: float | None = 100, **kw: object) -> Framework:
    options: dict[str, object] = {
        "code": "test",
        "index": "TEST",
        "subjects": ("province",),
        "name_vi": "thử",
        "name_en": "test",
        "year_from": 2020,
        "year_to": None,
        "legal_basis": "-",
        "nodes": nodes,
        "total_max": total_max,
        "groups": PAR_BANDS,
    }
    options.update(kw)
    return Framework(**options)  # type: ignore[arg-type]


def small_par() -> Framework:
    """Two domains of 60 and 40 points, the first with a criterion of two sub-criteria."""
    return framework(
        branch(
            "1",
            60,
            branch("1.1", 40, leaf("1.1.1", 25), leaf("1.1.2", 15)),
            leaf("1.2", 20),
        ),
        branch("2", 40, leaf("2.1", 30), leaf("2.2", 10)),
    )

"""``chiso frameworks list | show | validate``."""

import json
import re
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chiso.cli.output import check_lang, fail_with_report, guarded, out
from chiso.i18n import gettext, pgettext

if TYPE_CHECKING:
    from rich.tree import Tree

    from chiso.frameworks.model import Framework, Node, Rule

app = typer.Typer(
    help="Criteria frameworks: list, show, validate, import and export criteria tables.",
    no_args_is_help=True,
)
Lang = Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")]


def short_basis(text: str) -> str:
    """The decision number of a legal basis (``1150/QĐ-BNV``), or its first words."""
    found = re.search(r"\d+/[A-ZĐa-zđ0-9-]+", text)
    return found.group(0) if found else (text if len(text) <= 40 else text[:39] + "…")


def _max(value: float | None, lang: str) -> str:
    if value is None:
        return "?"
    from chiso.numbers import format_number

    return format_number(value, lang, 4).rstrip("0").rstrip(",.")


def listing_json(fw: "Framework") -> dict[str, Any]:
    """A framework as ``frameworks list --format json`` lists it."""
    return {
        "code": fw.code,
        "index": fw.index,
        "subject": list(fw.subjects),
        "years": {"from": fw.year_from, "to": fw.year_to},
        "legal_basis": fw.legal_basis,
        "nodes": len(fw.codes),
        "leaves": len(fw.leaves()),
        "complete": fw.is_complete,
    }


@app.command("list")
def list_frameworks(
    fmt: Annotated[str, typer.Option("--format", help="text | json")] = "text",
    lang: Lang = "vi",
) -> None:
    """Every built-in framework: code, index, subject, years, legal basis, nodes, point table."""
    check_lang(lang)
    from rich.table import Table

    from chiso.frameworks import builtin_frameworks

    if fmt == "json":
        listing = [listing_json(fw) for fw in guarded(lang, builtin_frameworks)]
        print(json.dumps(listing, ensure_ascii=False, indent=2))
        return

    table = Table(title=gettext("Khung tiêu chí có sẵn", lang))
    for name in (
        pgettext("column", "Mã", lang),
        pgettext("column", "Chỉ số", lang),
        pgettext("column", "Đối tượng", lang),
        pgettext("column", "Năm áp dụng", lang),
        pgettext("column", "Căn cứ pháp lý", lang),
        pgettext("column", "Số nút", lang),
        pgettext("column", "Bảng điểm", lang),
    ):
        table.add_column(name, overflow="fold")
    for fw in guarded(lang, builtin_frameworks):
        complete = (
            gettext("đầy đủ", lang)
            if fw.is_complete
            else gettext("chưa đủ (max chưa công bố)", lang)
        )
        table.add_row(
            fw.code,
            fw.index,
            ", ".join(fw.subjects),
            fw.years_label,
            short_basis(fw.legal_basis),
            str(len(fw.codes)),
            complete,
        )
    out.print(table)


def _rule_json(rule: "Rule") -> dict[str, Any] | None:
    if rule.kind == "points":
        return None
    data: dict[str, Any] = {"kind": rule.kind}
    if rule.options:
        data["options"] = [
            {"value": o.value, "points": o.points, "name_vi": o.name_vi, "name_en": o.name_en}
            for o in rule.options
        ]
    if rule.bands:
        data["bands"] = [
            {"code": b.code, "min": b.min, "below": b.below, "points": b.points} for b in rule.bands
        ]
    if rule.kind == "proportional":
        data["full"] = rule.full
    if rule.kind == "deduction":
        data["per_item"] = rule.per_item
    return data


def node_json(node: "Node") -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": node.code,
        "name_vi": node.name_vi,
        "name_en": node.name_en,
        "max": node.max,
        "min": node.min,
        "source": node.source,
        "aggregation": node.aggregation,
        "cap": node.cap,
    }
    if node.weight is not None:
        data["weight"] = node.weight
    rule = _rule_json(node.rule)
    if rule is not None:
        data["rule"] = rule
    data["children"] = [node_json(c) for c in node.children]
    return data


def framework_json(fw: "Framework") -> dict[str, Any]:
    return {
        "code": fw.code,
        "index": fw.index,
        "subject": list(fw.subjects),
        "name_vi": fw.name_vi,
        "name_en": fw.name_en,
        "years": {"from": fw.year_from, "to": fw.year_to},
        "legal_basis": fw.legal_basis,
        "sources": list(fw.sources),
        "notes": fw.notes,
        "complete": fw.is_complete,
        "precision": fw.precision,
        "rank_by": fw.rank_by,
        "total": {"aggregation": fw.total_aggregation, "max": fw.total_max},
        "groups": None
        if fw.groups is None
        else {
            "method": fw.groups.method,
            "on": fw.groups.on,
            "bands": [
                {
                    "code": b.code,
                    "name_vi": b.name_vi,
                    "name_en": b.name_en,
                    "min": b.min,
                    "below": b.below,
                }
                for b in fw.groups.bands
            ],
            # a partial banding: values between the bands have no group, and are named so
            "ungraded": None
            if fw.groups.ungraded is None
            else {"name_vi": fw.groups.ungraded.name_vi, "name_en": fw.groups.ungraded.name_en},
            "source": fw.groups.source,
        },
        "children": [node_json(n) for n in fw.nodes],
    }


@app.command("show")
def show(
    code: Annotated[str, typer.Argument(help="framework code or framework file")],
    fmt: Annotated[str, typer.Option("--format", help="text | json")] = "text",
    lang: Lang = "vi",
) -> None:
    """Show a framework's tree (node codes are the official outline numbers)."""
    check_lang(lang)
    from rich.tree import Tree

    from chiso.frameworks import get_framework

    fw = guarded(lang, lambda: get_framework(code))
    if fmt == "json":
        print(json.dumps(framework_json(fw), ensure_ascii=False, indent=2))
        return
    name = fw.name_in(lang)
    total = gettext("tổng", lang)
    tree = Tree(
        f"[bold]{fw.code}[/bold] {name} — {_max(fw.total_max, lang)} "
        f"({total}: {fw.total_aggregation})"
    )

    def add(branch: "Tree", node: "Node") -> None:
        label = node.name_in(lang)
        extra = [node.source or "", node.aggregation if node.children else node.rule.kind]
        sub = branch.add(
            f"[bold]{node.code}[/bold] {label} — max {_max(node.max, lang)} "
            f"[dim]({', '.join(e for e in extra if e)})[/dim]"
        )
        for child in node.children:
            add(sub, child)

    for node in fw.nodes:
        add(tree, node)
    out.print(tree)
    basis = pgettext("legal basis", "Căn cứ", lang)
    out.print(f"{basis}: {fw.legal_basis}")
    if not fw.is_complete:
        out.print(
            "[yellow]"
            + gettext("Bảng điểm chưa đầy đủ: một số điểm tối đa chưa được công bố.", lang)
            + "[/yellow]"
        )


@app.command("validate")
def validate(
    file: Annotated[str, typer.Argument(help="a framework YAML file")],
    lang: Lang = "vi",
) -> None:
    """Check a framework file and report every problem (file, line, rule). Exit 0 when valid."""
    check_lang(lang)
    from chiso.frameworks import read_framework

    fw, report = read_framework(file)
    if fw is None:
        fail_with_report(report, lang)
    nodes = len(fw.codes)
    out.print(
        gettext("[green]{file}: hợp lệ[/green] ({code}, {nodes} nút)", lang).format(
            file=file, code=fw.code, nodes=nodes
        )
    )


@app.command("import")
def import_table(
    file: Annotated[str, typer.Argument(help="a criteria table: .docx or .xlsx")],
    code: Annotated[str, typer.Option("--code", help="the framework's code")],
    subject: Annotated[
        str, typer.Option("--subject", help="department | district | commune …, or a list a,b")
    ],
    year: Annotated[int, typer.Option("--year", help="first year of assessment in force")],
    out_file: Annotated[str, typer.Option("--out", help="the framework file to write (.yaml)")],
    legal_basis: Annotated[str, typer.Option("--legal-basis", help="the decision")] = "",
    name: Annotated[str, typer.Option("--name", help="the name (default: the table's title)")] = "",
    index: Annotated[str, typer.Option("--index", help="the index's name")] = (
        "Chỉ số cải cách hành chính"
    ),
    lang: Lang = "vi",
) -> None:
    """Read a criteria table (Word or Excel) into a framework file, checked as by validate."""
    check_lang(lang)
    from pathlib import Path

    from chiso.tables.atomic import atomic_target
    from chiso.tables.criteria_tables import TableMeta
    from chiso.tables.criteria_tables import import_table as read_table

    meta = TableMeta(
        code=code,
        subjects=tuple(s.strip() for s in subject.split(",") if s.strip()),
        year=year,
        legal_basis=legal_basis,
        name=name,
        index=index,
    )
    text = guarded(lang, lambda: read_table(file, meta, Path(file).name))
    with atomic_target(out_file) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    from chiso.frameworks import framework_from_text

    fw = framework_from_text(text, out_file)
    out.print(
        gettext("{file}: {nodes} nút, tổng điểm tối đa {total}", lang).format(
            file=out_file, nodes=len(fw.codes), total=_max(fw.total_max, lang)
        )
    )


@app.command("export")
def export_table(
    code: Annotated[str, typer.Argument(help="framework code or framework file")],
    out_file: Annotated[str, typer.Option("--out", help="the table to write: .xlsx or .docx")],
    lang: Lang = "vi",
) -> None:
    """Write a framework as a criteria table in the layout the importer reads."""
    check_lang(lang)
    from chiso.frameworks import get_framework
    from chiso.tables.criteria_tables import export_table as write_table

    fw = guarded(lang, lambda: get_framework(code))
    guarded(lang, lambda: write_table(fw, out_file))
    out.print(gettext("Đã ghi {file}", lang).format(file=out_file))

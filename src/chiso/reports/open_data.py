"""Open data: a published table flattened to one row per unit, with a data dictionary that
says what every column means, in Vietnamese and English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chiso.frameworks.model import Framework
from chiso.i18n import LANGUAGES, gettext_noop, pgettext_noop, translated
from chiso.scoring.document import ResultsDocument
from chiso.scoring.ranking import group_bands, group_name
from chiso.surveys.intervals import normal_interval
from chiso.tables.records import write_records
from chiso.units.regions import REGION_OF

# The context "data dictionary" marks a column's meaning where the same words are a shorter
# label elsewhere ("Tổng điểm": "Total points" here, "Total" as a heading).


def _column(column: str, kind: str, meaning: str, **params: Any) -> dict[str, str]:
    """A column of the dictionary: its meaning (a Vietnamese text marked for the catalogue, with
    or without a context) in Vietnamese and English; ``params`` are the same in both, or a
    ``{lang: value}`` mapping."""

    def text(lang: str) -> str:
        values = {k: v[lang] if isinstance(v, dict) else v for k, v in params.items()}
        return translated({column: meaning}, lang)[column].format(**values)

    return {"name": column, "type": kind, "vi": text("vi"), "en": text("en")}


def _groups(framework: Framework) -> dict[str, str]:
    """The groups' codes with their names in each language ("A = Nhóm A; B = Nhóm B"): the
    table holds the code, the dictionary says what it stands for."""
    codes = [band.code for band in group_bands(framework)]
    return {
        lang: "; ".join(f"{code} = {group_name(framework, code, lang)}" for code in codes)
        for lang in LANGUAGES
    }


def columns(framework: Framework, doc: ResultsDocument | None = None) -> list[dict[str, str]]:
    """The data dictionary: name, type, and meaning of every column in Vietnamese ("vi") and
    English ("en") (with the standard errors and 95 % intervals when ``doc`` carries them)."""
    out = [
        _column("unit", "text", gettext_noop("Đơn vị được đánh giá")),
        _column("region", "text", gettext_noop("Vùng kinh tế - xã hội (tỉnh)")),
    ]
    for node in framework.walk():
        maximum = "?" if node.max is None else f"{node.max:g}"
        out.append(
            _column(
                node.code,
                "number",
                gettext_noop("Điểm {code} {name} (tối đa {maximum}); NA: không áp dụng"),
                code=node.code,
                # the framework's own names: data, in the language of each text
                name={lang: node.name_in(lang) for lang in LANGUAGES},
                maximum=maximum,
            )
        )
    groups = _groups(framework)
    out += [
        _column("total", "number", pgettext_noop("data dictionary", "Tổng điểm")),
        _column("max", "number", gettext_noop("Điểm tối đa áp dụng")),
        _column("index", "number", gettext_noop("Chỉ số (% điểm tối đa áp dụng)")),
        _column("rank", "integer", gettext_noop("Xếp hạng (đồng hạng khi bằng điểm)")),
        _column("group", "text", gettext_noop("Mã nhóm: {groups}"), groups=groups)
        if group_bands(framework)
        else _column("group", "text", gettext_noop("Nhóm")),
        _column(
            "status",
            "text",
            gettext_noop("complete, incomplete (thiếu dữ liệu) hoặc not ranked (không xếp hạng)"),
        ),
    ]
    if doc is not None and doc.has_errors:
        out += [
            _column(
                "total_se",
                "number",
                gettext_noop("Sai số chuẩn của tổng điểm (theo thiết kế mẫu điều tra)"),
            ),
            _column("index_se", "number", gettext_noop("Sai số chuẩn của chỉ số")),
            _column(
                "index_ci_low",
                "number",
                gettext_noop(
                    "Cận dưới khoảng tin cậy 95% của chỉ số (chỉ số − 1,96 × sai số chuẩn)"
                ),
            ),
            _column(
                "index_ci_high",
                "number",
                gettext_noop(
                    "Cận trên khoảng tin cậy 95% của chỉ số (chỉ số + 1,96 × sai số chuẩn)"
                ),
            ),
        ]
    if doc is not None and doc.decision is not None:
        out += [
            _column(
                "revision", "integer", gettext_noop("Lần công bố (1 là bản đầu, sau là đính chính)")
            ),
            _column("decision_number", "text", gettext_noop("Số quyết định công bố kết quả")),
            _column("decision_date", "date", gettext_noop("Ngày quyết định công bố (YYYY-MM-DD)")),
            _column("decision_body", "text", gettext_noop("Cơ quan ban hành quyết định")),
        ]
    return out


def _publication(doc: ResultsDocument) -> list[Any]:
    """The revision and its decision, repeated on every row so a row read alone (a CSV line,
    a spreadsheet row) still says which decision issued it; none without a decision."""
    decision = doc.decision
    if decision is None or doc.publication is None:
        return []
    return [doc.publication.revision, decision.number, decision.date or "", decision.body or ""]


def rows(doc: ResultsDocument, framework: Framework) -> list[list[Any]]:
    codes = framework.codes
    errors = doc.has_errors
    publication = _publication(doc)
    out = []
    for u in doc.units:
        row = [
            u.unit,
            REGION_OF.get(u.unit, ""),
            *(u.points.get(c) for c in codes),
            u.total,
            u.max,
            u.index,
            u.rank,
            u.group or "",
            u.status,
        ]
        if errors:
            se = u.index_se
            interval = (
                list(normal_interval(u.index, se))
                if se is not None and u.index is not None
                else [None, None]
            )
            row += [u.total_se, se, *interval]
        out.append(row + publication)
    return out


def write_table(
    doc: ResultsDocument, framework: Framework, path: str | Path, extra: dict[str, Any]
) -> list[dict[str, str]]:
    """The open-data table in the format of ``path``'s suffix (written atomically, numbers
    to 6 decimals, English column names), ``extra`` beside the rows in JSON; returns the
    data dictionary of its columns."""
    cols = columns(framework, doc)
    write_records([c["name"] for c in cols], rows(doc, framework), path, "en", 6, extra=extra)
    return cols

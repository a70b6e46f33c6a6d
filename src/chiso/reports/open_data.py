"""Open data: a published table flattened to one row per unit, with a data dictionary that
says what every column means, in Vietnamese and English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chiso.frameworks.model import Framework
from chiso.surveys.intervals import normal_interval
from chiso.tables.records import write_records
from chiso.units.regions import REGION_OF


def has_errors(doc: dict[str, Any]) -> bool:
    """True when the results carry the index's standard errors (survey-sourced points)."""
    return any("index_se" in u for u in doc["units"])


def columns(framework: Framework, doc: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """The data dictionary: name, type, and meaning of every column (with the standard
    errors and 95 % intervals when ``doc`` carries them)."""
    out = [
        {"name": "unit", "type": "text", "vi": "Đơn vị được đánh giá", "en": "Assessed unit"},
        {
            "name": "region",
            "type": "text",
            "vi": "Vùng kinh tế - xã hội (tỉnh)",
            "en": "Socio-economic region (provinces)",
        },
    ]
    for node in framework.walk():
        maximum = "?" if node.max is None else f"{node.max:g}"
        out.append(
            {
                "name": node.code,
                "type": "number",
                "vi": f"Điểm {node.code} {node.name_vi} (tối đa {maximum}); NA: không áp dụng",
                "en": f"Points of {node.code} {node.name_en or node.name_vi} (max {maximum}); "
                "NA: not applicable",
            }
        )
    out += [
        {"name": "total", "type": "number", "vi": "Tổng điểm", "en": "Total points"},
        {"name": "max", "type": "number", "vi": "Điểm tối đa áp dụng", "en": "Applicable maximum"},
        {
            "name": "index",
            "type": "number",
            "vi": "Chỉ số (% điểm tối đa áp dụng)",
            "en": "Index (% of the applicable maximum)",
        },
        {
            "name": "rank",
            "type": "integer",
            "vi": "Xếp hạng (đồng hạng khi bằng điểm)",
            "en": "Rank (ties share a rank)",
        },
        {"name": "group", "type": "text", "vi": "Nhóm", "en": "Group"},
        {
            "name": "status",
            "type": "text",
            "vi": "complete, incomplete (thiếu dữ liệu) hoặc not ranked (không xếp hạng)",
            "en": "complete, incomplete or not ranked",
        },
    ]
    if doc is not None and has_errors(doc):
        out += [
            {
                "name": "total_se",
                "type": "number",
                "vi": "Sai số chuẩn của tổng điểm (theo thiết kế mẫu điều tra)",
                "en": "Standard error of the total (design-based, from the survey)",
            },
            {
                "name": "index_se",
                "type": "number",
                "vi": "Sai số chuẩn của chỉ số",
                "en": "Standard error of the index",
            },
            {
                "name": "index_ci_low",
                "type": "number",
                "vi": "Cận dưới khoảng tin cậy 95% của chỉ số (chỉ số − 1,96 × sai số chuẩn)",
                "en": "Lower bound of the index's 95% interval (index − 1.96 × SE)",
            },
            {
                "name": "index_ci_high",
                "type": "number",
                "vi": "Cận trên khoảng tin cậy 95% của chỉ số (chỉ số + 1,96 × sai số chuẩn)",
                "en": "Upper bound of the index's 95% interval (index + 1.96 × SE)",
            },
        ]
    return out


def rows(doc: dict[str, Any], framework: Framework) -> list[list[Any]]:
    codes = framework.codes
    errors = has_errors(doc)
    out = []
    for u in doc["units"]:
        row = [
            u["unit"],
            REGION_OF.get(u["unit"], ""),
            *(u["points"].get(c) for c in codes),
            u["total"],
            u["max"],
            u["index"],
            u["rank"],
            u.get("group") or "",
            u["status"],
        ]
        if errors:
            se = u.get("index_se")
            interval = (
                list(normal_interval(u["index"], se))
                if se is not None and u["index"] is not None
                else [None, None]
            )
            row += [u.get("total_se"), se, *interval]
        out.append(row)
    return out


def write_table(
    doc: dict[str, Any], framework: Framework, path: str | Path, extra: dict[str, Any]
) -> list[dict[str, str]]:
    """The open-data table in the format of ``path``'s suffix (written atomically, numbers
    to 6 decimals, English column names), ``extra`` beside the rows in JSON; returns the
    data dictionary of its columns."""
    cols = columns(framework, doc)
    write_records([c["name"] for c in cols], rows(doc, framework), path, "en", 6, extra=extra)
    return cols

"""Open data: a published table flattened to one row per unit, with a data dictionary that
says what every column means, in Vietnamese and English."""

from __future__ import annotations

from typing import Any

from chiso.frameworks.model import Framework
from chiso.units.regions import REGION_OF


def columns(framework: Framework) -> list[dict[str, str]]:
    """The data dictionary: name, type, and meaning of every column."""
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
    return out


def rows(doc: dict[str, Any], framework: Framework) -> list[list[Any]]:
    codes = framework.codes
    return [
        [
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
        for u in doc["units"]
    ]

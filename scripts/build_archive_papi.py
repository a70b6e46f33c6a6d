"""Build ``src/chiso/archive/data/papi.csv`` (the archive's PAPI table, long form) from the
published PAPI tables carried in ``tests/fixtures/published/papi``.

    .venv/bin/python scripts/build_archive_papi.py [--out FILE]

Only the layout changes (one row per province, year and node); every published number is
copied as its source prints it. What is not printed by the sources is marked ``derived``:

- 2011–2016: dimension, sub-dimension scores and the unweighted total from PAPI's official
  sheets (mdtrinh/vietnamdata copy): ``published``.
- 2017–2024: sub-dimension scores (hnks-gh/ml-mcdm copy of papi.org.vn): ``published``;
  dimension scores are the sums of their sub-dimensions and the total the sum of the dimensions
  (the project's derived file, checked against the official provincial sheets): ``derived``.
- Ranks and quartile groups of the total: PAPI prints them as a colour on its map, not in its
  data tables; they are computed here from the totals with chiso's one rule for them
  (:mod:`chiso.scoring.ranking`, the edition's precision): ``rank_basis = derived``.

Running it again gives the same bytes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from chiso.frameworks import get_framework
from chiso.scoring.ranking import assign_groups, competition_ranks
from chiso.units.provinces import PROVINCES_63
from chiso.vietnamese import fold

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "tests" / "fixtures" / "published" / "papi"
OUT = ROOT / "src" / "chiso" / "archive" / "data" / "papi.csv"

EDITION_OF_YEAR = {
    **dict.fromkeys(range(2011, 2016), "papi-2011"),
    **dict.fromkeys(range(2016, 2018), "papi-2016"),
    2018: "papi-2018",
    2019: "papi-2019",
    2020: "papi-2019",
    **dict.fromkeys(range(2021, 2025), "papi-2021"),
}
ALIASES = {
    "hanoi": "Hà Nội",
    "ho chi minh city": "Hồ Chí Minh",
    "thua thien hue": "Thừa Thiên Huế",
    "tp. ho chi minh": "Hồ Chí Minh",
}


def _key(name: str) -> str:
    return " ".join(fold(name).replace("-", " ").split())


BY_FOLD = {_key(p): p for p in PROVINCES_63}
HEADER = [
    "index",
    "year",
    "unit_kind",
    "unit",
    "node",
    "value",
    "rank",
    "group",
    "basis",
    "rank_basis",
    "source",
]


def province(name: str) -> str:
    key = _key(name)
    return ALIASES.get(key) or BY_FOLD[key]


def rows_of(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8") as fh:
        return [r for r in csv.reader(fh) if r and not r[0].startswith("#")]


def official(year: int) -> dict[str, dict[str, tuple[str, str]]]:
    """{province: {node: (value, basis)}} from the official 2011–2016 sheet."""
    rows = rows_of(PUBLISHED / f"papi_{year}_dimension_and_subdimension_scores.csv")
    codes = get_framework(EDITION_OF_YEAR[year]).codes
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for r in rows[1:]:
        if r[0] == "999":  # the sheet's "Highest" row
            continue
        values = dict(zip(codes, r[3:-1], strict=True))
        if not any(values.values()):
            out[province(r[2])] = {}
            continue
        node_values = {c: (v, "published") for c, v in values.items() if v}
        node_values["total"] = (r[-1], "published")
        out[province(r[2])] = node_values
    return out


def later(year: int) -> dict[str, dict[str, tuple[str, str]]]:
    """{province: {node: (value, basis)}} for 2017–2024: published sub-dimensions, derived
    dimensions and total."""
    rows = rows_of(PUBLISHED / "papi_subdimension_scores_2011_2024.csv")
    header, body = rows[0], [r for r in rows[1:] if r[0] == str(year)]
    fw = get_framework(EDITION_OF_YEAR[year])
    columns: dict[str, str] = {}
    for dimension in fw.nodes:
        source = [c for c in header if c.startswith(f"SC{dimension.code}")]
        used = [c for c in source if any(r[header.index(c)] for r in body)]
        for node, column in zip(dimension.children, used, strict=True):
            columns[node.code] = column
    derived_rows = rows_of(PUBLISHED / "papi_dimension_scores_2011_2024_derived.csv")
    derived = {
        r[1]: dict(zip(derived_rows[0], r, strict=True))
        for r in derived_rows[1:]
        if r[0] == str(year)
    }
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for r in body:
        values: dict[str, tuple[str, str]] = {}
        for code, column in columns.items():
            if r[header.index(column)]:
                values[code] = (r[header.index(column)], "published")
        d = derived[r[2]]
        for dimension in fw.nodes:
            if d[f"D{dimension.code}"]:
                values[dimension.code] = (d[f"D{dimension.code}"], "derived")
        if d["total_unweighted_derived"]:
            values["total"] = (d["total_unweighted_derived"], "derived")
        out[province(r[2])] = values
    return out


def ranks_and_groups(year: int, totals: dict[str, float]) -> dict[str, tuple[int, str]]:
    fw = get_framework(EDITION_OF_YEAR[year])
    names = list(totals)
    values = np.array([totals[n] for n in names], dtype=np.float64)
    everyone = np.ones(len(names), dtype=np.bool_)
    ranks = competition_ranks(values, everyone, fw.precision)
    groups = assign_groups(fw, values, everyone, everyone)
    return {
        n: (int(k), g.code if g else "")
        for n, k, g in zip(names, ranks.tolist(), groups, strict=True)
    }


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="the file to write")
    target: Path = parser.parse_args().out
    out_rows: list[list[str]] = []
    for year in range(2011, 2025):
        table = official(year) if year <= 2016 else later(year)
        source = "papi-official-2011-2016" if year <= 2016 else "papi-subdimensions-2011-2024"
        totals = {p: float(v["total"][0]) for p, v in table.items() if "total" in v}
        ranked = ranks_and_groups(year, totals)
        fw = get_framework(EDITION_OF_YEAR[year])
        order = ["total", *fw.codes]
        for name in PROVINCES_63:
            values = table.get(name, {})
            for code in order:
                if code not in values:
                    continue
                value, basis = values[code]
                rank, group = ranked[name] if code == "total" else (0, "")
                row_source = (
                    "papi-derived-sums" if basis == "derived" and code != "total" else source
                )
                if code == "total" and basis == "derived":
                    row_source = "papi-derived-sums"
                out_rows.append(
                    [
                        "PAPI",
                        str(year),
                        "province",
                        name,
                        code,
                        value,
                        str(rank) if rank else "",
                        group,
                        basis,
                        "derived" if rank else "",
                        row_source,
                    ]
                )
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(out_rows)
    print(f"{target}: {len(out_rows)} rows")


if __name__ == "__main__":
    main()

"""Generate the simulated survey designs that R's survey package is run on (deterministic).

    python tests/reference/make_survey_designs.py   # writes tests/golden/surveys/*.csv

The data are simulated by this script; only R's outputs on them are reference figures.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "golden" / "surveys"
ITEMS = ["q1", "q2", "q3", "q4", "score"]


def _answers(rng: np.random.Generator, n: int, base: np.ndarray, missing: float) -> dict:
    out = {}
    for k, item in enumerate(ITEMS[:4]):
        p = np.clip(base + 0.1 * k - 0.15, 0.02, 0.98)
        y = (rng.random(n) < p).astype(float)
        y[rng.random(n) < missing] = np.nan
        out[item] = y
    score = np.clip(np.round(1 + 4 * base + rng.normal(0, 0.8, n)), 1, 5)
    score[rng.random(n) < missing] = np.nan
    out["score"] = score
    return out


def stratified_clustered(seed: int, psus: list[int], lonely: bool = False) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for h, n_psu in enumerate(psus, start=1):
        for p in range(1, n_psu + 1):
            size = int(rng.integers(4, 20))
            base = float(rng.uniform(0.3, 0.8))
            w = rng.lognormal(3.0 + 0.2 * h, 0.4, size)
            answers = _answers(rng, size, np.full(size, base), 0.06)
            regions = rng.choice(
                ["Bắc", "Trung", "Nam", "Tây Nguyên"], size, p=[0.35, 0.25, 0.3, 0.1]
            )
            for i in range(size):
                rows.append(
                    {
                        "stratum": f"S{h}",
                        "psu": p,
                        "w": round(float(w[i]), 4),
                        "region": regions[i],
                        **{k: v[i] for k, v in answers.items()},
                    }
                )
    return rows


def with_fpc(rows: list[dict], seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    psus: dict[str, set] = {}
    for r in rows:
        psus.setdefault(r["stratum"], set()).add(r["psu"])
    population = {h: len(p) + int(rng.integers(2, 30)) for h, p in psus.items()}
    return [{**r, "fpc": population[r["stratum"]]} for r in rows]


def papi_like(seed: int) -> list[dict]:
    """Provinces as strata; districts as PSUs (the capital district and two PPS districts);
    two communes per district, two villages per commune, 20 respondents per village; weights
    adjusted by sex and age cells as a post-stratification would."""
    rng = np.random.default_rng(seed)
    rows = []
    for province in range(1, 13):
        for district in range(1, 4):
            base = float(rng.uniform(0.35, 0.75))
            district_weight = float(rng.uniform(300, 1500))
            for commune in range(1, 3):
                for village in range(1, 3):
                    n = 20
                    sex = rng.choice(["nam", "nữ"], n)
                    age = rng.choice(["18-39", "40-59", "60+"], n, p=[0.45, 0.35, 0.2])
                    cell = np.where(sex == "nữ", 1.1, 0.9) * np.where(age == "60+", 1.3, 1.0)
                    answers = _answers(rng, n, np.full(n, base), 0.03)
                    for i in range(n):
                        rows.append(
                            {
                                "province": f"P{province:02d}",
                                "district": district,
                                "commune": f"{district}-{commune}",
                                "village": f"{district}-{commune}-{village}",
                                "sex": sex[i],
                                "w": round(district_weight * float(cell[i]), 4),
                                **{k: v[i] for k, v in answers.items()},
                            }
                        )
    return rows


def write(name: str, rows: list[dict]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for r in rows:
            writer.writerow(
                {
                    k: (
                        ""
                        if isinstance(v, float) and np.isnan(v)
                        else (int(v) if isinstance(v, float) and v == int(v) else v)
                    )
                    for k, v in r.items()
                }
            )


if __name__ == "__main__":
    base = stratified_clustered(11, [3, 5, 4, 7, 6, 4])
    write("stratclus", base)
    write("lonely", stratified_clustered(12, [4, 1, 5, 3, 1]))
    write("fpc", with_fpc(stratified_clustered(13, [4, 6, 5, 3]), 14))
    write("papi", papi_like(15))

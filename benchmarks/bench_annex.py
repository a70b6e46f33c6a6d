"""Benchmark: read a province-sized criteria annex with scoring levels, in Word and Excel.

The annex is made here (simulated, not a decision's text): 8 domains × 5 criteria × 8
sub-criteria = 320 leaves, each with three level lines in rows of their own (half choices,
half bands over a rate), about 1,400 rows in all, larger than a real annex (some 300 rows).
The reference, measured in the same run, is the same tree without its level rows: the ratio
is what reading the levels costs. Target (issue #19's budget for an upload): under 2 s.

    .venv/bin/python benchmarks/bench_annex.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from annex_tables import Annex, Part, write_excel, write_word
from chiso.tables.criteria_tables import TableMeta, import_table

META = TableMeta(code="bench-2026", subjects=("department",), year=2026)
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def annex(levels: bool) -> Annex:
    rows = [["STT", "Nội dung", "Điểm tối đa", "Ghi chú"]]
    for d, roman in enumerate(ROMAN, start=1):
        rows.append([roman, f"Lĩnh vực {d}", "", ""])
        for c in range(1, 6):
            rows.append([str(c), f"Tiêu chí {d}.{c}", "", ""])
            for s in range(1, 9):
                rows.append([f"{c}.{s}", f"Tiêu chí thành phần {d}.{c}.{s}", "1", ""])
                if levels and s % 2:
                    rows += [
                        ["", "- Thực hiện đúng, đầy đủ: 1", "", ""],
                        ["", "- Thực hiện chưa đầy đủ: 0,5 điểm", "", ""],
                        ["", "- Không thực hiện: 0", "", ""],
                    ]
                elif levels:
                    rows += [
                        ["", "- Hoàn thành 100%", "1", ""],
                        ["", "- Từ 80% đến dưới 100%", "0,5", ""],
                        ["", "- Dưới 80%", "0", ""],
                    ]
    rows.append(["", "TỔNG ĐIỂM", "320", ""])
    return Annex("bench", [Part(rows)], [], 320)


def best_of(path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        import_table(path, META)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for suffix, write in (("docx", write_word), ("xlsx", write_excel)):
            with_levels = write(Path(folder) / f"levels.{suffix}", annex(True))
            plain = write(Path(folder) / f"plain.{suffix}", annex(False))
            a, b = best_of(with_levels, args.repeat), best_of(plain, args.repeat)
            size = with_levels.stat().st_size / 1024
            print(
                f"{suffix}: annex with levels {a:.3f} s ({size:.0f} KB), same tree without "
                f"levels {b:.3f} s, ratio {a / b:.2f}; target < 2 s: {'ok' if a < 2 else 'MISSED'}"
            )


if __name__ == "__main__":
    main()

"""The MA progress-monitoring report for the DILT as a CSV table: the benchmark table (school,
group, benchmark, checkpoint, n, result or suppressed, status) and the learning-walk trends,
with a Section column saying which is which. Written from `DiltReportData`, already suppressed.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO

from coachdesk.reports.ma_dilt_data import BenchmarkTable, DiltReportData, ResultCell, percent

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = (
    "Section",
    "School",
    "Group",
    "Benchmark",
    "Checkpoint",
    "n",
    "Result",
    "Status",
    "Walk date",
    "Classrooms",
    "Look-for",
)


def write_dilt_csv(data: DiltReportData, out: str | Path | IO[str]) -> int:
    """Write the benchmark table and the walk trends as CSV; returns the rows written.

    A path gets UTF-8 with a byte-order mark (so Excel reads the accents); a text stream gets
    the text as is. Cells that a spreadsheet would run as a formula start with an apostrophe.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    rows = _benchmark_rows(data.benchmarks) + _walk_rows(data)
    for row in rows:
        writer.writerow([_guarded(str(v)) for v in row])
    content = buffer.getvalue()
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(("\ufeff" + content).encode("utf-8"))
    else:
        out.write(content)
    return len(rows)


def _benchmark_rows(table: BenchmarkTable) -> list[tuple]:
    rows = []
    for benchmark in table.benchmarks:
        for line in benchmark.lines:
            for group, cell in zip(table.groups, line.cells, strict=True):
                rows.append(
                    (
                        "Benchmark results",
                        line.org_name,
                        group,
                        f"{benchmark.code} · {benchmark.name}",
                        line.checkpoint,
                        "" if cell.n is None else cell.n,
                        _result(cell, table.min_n),
                        cell.status,
                        "",
                        "",
                        "",
                    )
                )
    return rows


def _result(cell: ResultCell, min_n: int) -> str:
    if cell.suppressed and cell.result == "suppressed":
        return f"suppressed (n<{min_n})"
    return cell.result  # a value, "no data", or "suppressed (complementary)"


def _walk_rows(data: DiltReportData) -> list[tuple]:
    walks = data.walks
    rows: list[tuple] = []
    for lf in walks.look_fors:
        rows.append(
            (
                "Learning walks, year so far",
                "All counted walks",
                "",
                "",
                "",
                "",
                percent(lf.observed),
                f"{lf.walks} walk{'s' if lf.walks != 1 else ''}",
                "",
                lf.classrooms,
                lf.label,
            )
        )
    for walk in walks.walks:
        for index, lf in enumerate(walks.look_fors):
            rated = walk.rated[index] if index < len(walk.rated) else 0
            if walk.counted:
                share = walk.observed[index]
                result = percent(share)
                status = "observed share"
                if share is None:
                    status = (
                        "not rated"
                        if not rated
                        else f"not shown (rated in fewer than {walks.minimum} classrooms)"
                    )
            else:
                result = f"not shown (fewer than {walks.minimum} classrooms)"
                status = "too few classrooms"
            rows.append(
                (
                    "Learning walks",
                    walk.school,
                    "",
                    "",
                    "",
                    "",
                    result,
                    status,
                    walk.day.isoformat(),
                    walk.classrooms,
                    lf.label,
                )
            )
    return rows


def _guarded(value: str) -> str:
    # A spreadsheet runs a cell that starts like a formula; a leading apostrophe shows it as text.
    if value.startswith(_FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True

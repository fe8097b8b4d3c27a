"""How long the PDFs take, against a bare two-page reportlab document built in the same run.

    python benchmarks/reports.py [--runs 31] [--clock cpu|wall]

Prints the median of several runs for: a bare two-page platypus document (Helvetica, plain
paragraphs), a typical visit summary (tests/unit/reports/samples.py, NY, two pages), the same
summary as a first render (the font subsets and compressed font files kept for re-renders
forgotten before each run: a summary never printed before) and a 25-school caseload report; then
each report's ratio to the bare document. Targets: the visit summary within 2x, the caseload
within 3x. Fonts are registered by a warm-up run first, as they are once per app session.

The clock is this process's CPU time by default: on a shared machine the wall clock also counts
the time other processes hold the CPU, which moved a ratio by a whole 1x between two runs.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import LETTER  # noqa: E402
from reportlab.lib.styles import getSampleStyleSheet  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

from coachdesk.reports import fonts  # noqa: E402
from coachdesk.reports.caseload_report import render_caseload_report  # noqa: E402
from coachdesk.reports.visit_summary import render_visit_summary  # noqa: E402
from tests.unit.reports import samples  # noqa: E402

TARGETS = {
    "typical visit summary": 2.0,
    "visit summary, first render": 2.0,
    "caseload, 25 schools": 3.0,
}


def bare_two_pages() -> int:
    """A plain two-page document: the floor any reportlab PDF pays."""
    styles = getSampleStyleSheet()
    story = [Paragraph("Visit summary", styles["Heading1"])]
    sentence = "The team reviewed the reading checkpoint and agreed on next steps. " * 6
    story += [Paragraph(sentence, styles["BodyText"]) for _ in range(13)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=LETTER)
    doc.build(story)
    return doc.page


def typical_visit() -> int:
    return render_visit_summary(samples.ny_typical(), io.BytesIO()).pages


def first_visit() -> int:
    fonts.forget_remembered()
    return typical_visit()


CASELOAD = samples.caseload_sample(25)


def caseload_25() -> int:
    return render_caseload_report(CASELOAD, io.BytesIO()).pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    args = parser.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    cases = {
        "bare reportlab document": bare_two_pages,
        "typical visit summary": typical_visit,
        "visit summary, first render": first_visit,
        "caseload, 25 schools": caseload_25,
    }
    pages = {name: work() for name, work in cases.items()}  # warm-up: fonts, imports
    times: dict[str, list[float]] = {name: [] for name in cases}
    # Interleaved rounds, so that load from other processes falls on every case alike.
    for _ in range(args.runs):
        for name, work in cases.items():
            started = clock()
            work()
            times[name].append((clock() - started) * 1000)
    medians = {name: statistics.median(values) for name, values in times.items()}
    bare = medians["bare reportlab document"]
    over = []
    for name, took in medians.items():
        line = f"{name:<29} {took:8.1f} ms median  ({pages[name]} pages)"
        if name in TARGETS:
            ratio = took / bare
            line += f"  {ratio:4.2f}x bare (target {TARGETS[name]:.0f}x)"
            if ratio > TARGETS[name]:
                over.append(name)
        print(line)
    verdict = f"OVER target: {', '.join(over)}" if over else "all within target"
    print(f"{verdict}; {args.runs} runs, {args.clock} time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

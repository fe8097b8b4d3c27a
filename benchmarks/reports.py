"""How long the PDFs take, against a bare two-page reportlab document built in the same run.

    python benchmarks/reports.py [--runs 15]

Prints the median of several runs for: a bare two-page platypus document (Helvetica, plain
paragraphs), a typical visit summary (tests/unit/reports/samples.py, NY, two pages) and a
25-school caseload report; then each report's ratio to the bare document. Target: within 3x.
Fonts are registered by a warm-up run first, as they are once per app session.
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

from coachdesk.reports.caseload_report import render_caseload_report  # noqa: E402
from coachdesk.reports.visit_summary import render_visit_summary  # noqa: E402
from tests.unit.reports import samples  # noqa: E402

TARGET_RATIO = 3.0


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


CASELOAD = samples.caseload_sample(25)


def caseload_25() -> int:
    return render_caseload_report(CASELOAD, io.BytesIO()).pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()
    cases = {
        "bare reportlab document": bare_two_pages,
        "typical visit summary": typical_visit,
        "caseload, 25 schools": caseload_25,
    }
    pages = {name: work() for name, work in cases.items()}  # warm-up: fonts, imports
    times: dict[str, list[float]] = {name: [] for name in cases}
    # Interleaved rounds, so that load from other processes falls on every case alike.
    for _ in range(args.runs):
        for name, work in cases.items():
            started = time.perf_counter()
            work()
            times[name].append((time.perf_counter() - started) * 1000)
    medians = {name: statistics.median(values) for name, values in times.items()}
    bare = medians["bare reportlab document"]
    worst = 0.0
    for name, took in medians.items():
        line = f"{name:<27} {took:8.1f} ms median  ({pages[name]} pages)"
        if name != "bare reportlab document":
            ratio = took / bare
            worst = max(worst, ratio)
            line += f"  {ratio:4.2f}x bare"
        print(line)
    verdict = "within" if worst <= TARGET_RATIO else "OVER"
    print(f"worst ratio {worst:.2f}x: {verdict} the {TARGET_RATIO:.0f}x target, {args.runs} runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

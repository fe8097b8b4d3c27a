"""Form machinery timings: loading the shipped packs, rendering, a 1 MB paste, the privacy scan.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/forms_bench.py
Prints the median of several runs for each step and its ratio to the target.
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from coachdesk.core.bundled import forms_dir  # noqa: E402
from coachdesk.core.forms import find_definition, parse_form, scan_text  # noqa: E402
from coachdesk.core.forms.packs import form_files, pack_folders  # noqa: E402
from coachdesk.ui.forms.renderer import FormView  # noqa: E402

# Targets (ms): what a coach would notice as a pause.
TARGETS = {
    "parse and check every shipped form": 500,
    "render the learning walk form": 300,
    "1 MB paste into a long-text field (until the change is sent)": 1000,
    "privacy scan of 1 MB of notes": 500,
}


def median_ms(step, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    app = QApplication.instance() or QApplication([])
    files = [p for folder in pack_folders(forms_dir()) for p in form_files(folder)]
    texts = [(p.read_text(encoding="utf-8"), str(p)) for p in files]
    walk = find_definition("ma_learning_walk", 1)
    line = "Teachers used the shared protocol to look at student work in grade teams. "
    megabyte = "\n".join([line] * (1_048_576 // (len(line) + 1) + 1))

    def parse_all() -> None:
        for text, name in texts:
            parse_form(text, name)

    def render() -> None:
        view = FormView(walk, {})
        view.deleteLater()

    def paste() -> None:
        view = FormView(find_definition("ny_rcv_monthly_visit", 1), {})
        QGuiApplication.clipboard().setText(megabyte)
        edit = view.field_row("challenges").input
        edit.edit.setFocus()
        edit.edit.paste()
        edit.flush()  # what the pause timer would do; includes relevance and the privacy scan
        app.processEvents()
        assert len(view.response()["challenges"]) >= 1_048_576
        view.deleteLater()

    results = {
        "parse and check every shipped form": median_ms(parse_all),
        "render the learning walk form": median_ms(render),
        "1 MB paste into a long-text field (until the change is sent)": median_ms(paste, 3),
        "privacy scan of 1 MB of notes": median_ms(lambda: scan_text(megabyte)),
    }
    for name, ms in results.items():
        target = TARGETS[name]
        print(f"{name}: median {ms:.0f} ms (target {target} ms, ratio {ms / target:.2f})")


if __name__ == "__main__":
    main()

"""The MA district page's Benchmark results card, as a coach preparing the DILT meeting uses it."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from coachdesk.core.tracking_records import indicators
from coachdesk.ui.caseload.district_page import DistrictPage
from tests.support.ui import publish_import


def _district(demo, program: str) -> str:
    """The first district, by name, with a school in `program`."""
    row = (
        demo.quick_connection()
        .execute(
            "SELECT d.id FROM organization d JOIN organization o ON o.parent_id = d.id "
            "JOIN assignment a ON a.org_id = o.id WHERE a.program_code = ? ORDER BY d.name "
            "LIMIT 1",
            (program,),
        )
        .fetchone()
    )
    return row[0]


def _page(qtbot, demo, district_id: str) -> DistrictPage:
    page = DistrictPage(demo)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    page.show_district(district_id)
    return page


def _cells(card) -> dict[tuple[str, str], str]:
    table = card.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return {
        (table.item(r, 0).text(), headers[c]): table.item(r, c).text()
        for r in range(table.rowCount())
        for c in range(1, table.columnCount())
    }


def test_the_demo_ma_district_shows_its_schools_by_group(qtbot, demo) -> None:
    page = _page(qtbot, demo, _district(demo, "MA_SSOS"))
    card = page.benchmarks_card

    assert card.isVisible()
    assert card.title.text().startswith("Benchmark results 20")
    table = card.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["School", "All students", "ML", "SWD"]
    assert table.rowCount() == 3  # the district's three schools
    assert card.checkpoint_box.currentText() == "Early"
    cells = _cells(card)
    school = table.item(0, 0).text()
    assert cells[(school, "All students")].endswith("(n=260)")
    assert cells[(school, "SWD")] == "suppressed"  # n = 7 in the demo
    swd = table.item(0, 3)
    assert "suppressed" in swd.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Fewer than 10 students" in swd.toolTip()
    # The schools stand apart, as the DILT compares them: an ML result at risk, saying why.
    ml_cells = [table.item(row, 2) for row in range(table.rowCount())]
    at_risk = [
        c for c in ml_cells if c.data(Qt.ItemDataRole.AccessibleTextRole).endswith(", at risk")
    ]
    assert at_risk and all("lags" in c.toolTip() for c in at_risk)
    assert len({c.text() for c in ml_cells}) > 1


def test_switching_the_checkpoint_shows_its_results(qtbot, demo) -> None:
    page = _page(qtbot, demo, _district(demo, "MA_SSOS"))
    card = page.benchmarks_card
    card.checkpoint_box.setFocus()

    qtbot.keyClick(card.checkpoint_box, Qt.Key.Key_Down)  # Early -> Mid-year

    assert card.checkpoint_box.currentText() == "Mid-year"
    assert card.table.accessibleDescription().endswith(", Mid-year")
    assert set(_cells(card).values()) == {"no data"}

    # A mid-year result recorded elsewhere (an import, another window) appears here.
    school = card.table.item(0, 0).text()
    row = next(r for r in card.table_data.rows if r.org_name == school and r.code == "DISC")
    indicator_id = (
        demo.quick_connection()
        .execute(
            "SELECT id FROM indicator WHERE org_id = ? AND code = 'DISC' AND subgroup = 'ML'",
            (row.org_id,),
        )
        .fetchone()[0]
    )
    card.benchmark_box.setCurrentIndex(card.benchmark_box.findData("DISC"))
    changes = indicators.record_measurement(
        demo, indicator_id, as_of=dt.date.today(), value=33, checkpoint="mid", n=52
    )
    publish_import(demo, changes)

    assert _cells(card)[(school, "ML")] == "33% (n=52)"
    assert card.checkpoint_box.currentText() == "Mid-year"  # the choice is kept


def test_export_writes_the_table_with_suppressed_cells(
    qtbot, demo, scripted_dialogs, tmp_path: Path
) -> None:
    page = _page(qtbot, demo, _district(demo, "MA_SSOS"))
    out = tmp_path / "ashgrove.csv"
    scripted_dialogs.file_answers.append(str(out))

    qtbot.mouseClick(page.benchmarks_card.export_button, Qt.MouseButton.LeftButton)

    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("info", "Exported") and str(out) in text
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["SWD value"] for r in rows if r["Checkpoint"] == "Early"} == {"suppressed (n<10)"}


def test_a_district_in_no_ma_program_has_no_benchmark_card(qtbot, demo) -> None:
    page = _page(qtbot, demo, _district(demo, "OH_NNPS"))
    assert not page.benchmarks_card.isVisible()

"""Adding or editing an indicator of a school: a NY DII (Level 1 or 2), an MA benchmark for one
or more student groups, or a local indicator; its value type and which direction is better.
A refused input is said in the dialog, which keeps what was typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget

from coachdesk.core.errors import RefusedInput
from coachdesk.core.tracking_records import indicator_setup as setup
from coachdesk.ui.caseload.form_dialog import FormDialog

# (what the coach reads, kind, level)
KINDS_OF_STATE = {
    "NY": [
        ("Level 1 DII (assigned by the state)", "dii", 1),
        ("Level 2 DII (selected by the school)", "dii", 2),
        ("Local indicator", "local", None),
    ],
    "MA": [
        ("Benchmark, by student group", "benchmark", None),
        ("Local indicator", "local", None),
    ],
}
LOCAL_ONLY = [("Local indicator", "local", None)]
VALUE_TYPES = [
    ("Percent", "percent"),
    ("Scale score", "scale"),
    ("Index", "index"),
    ("Count", "count"),
    ("Rate", "rate"),
    ("Yes or no", "yes/no"),
    ("Stage (1 to 4)", "stage"),
]
DIRECTIONS = [("Higher is better", "higher"), ("Lower is better", "lower")]
# Examples in the empty name and source fields, by state: (name, source).
HINTS = {
    "NY": ("e.g. 3-8 ELA: Level 2 and above", "e.g. NYSED, school data"),
    "MA": ("e.g. Grade 6 math interim benchmark", "e.g. i-Ready, MCAS"),
    "": ("e.g. Families at conferences", "e.g. sign-in sheets"),
}


class IndicatorDialog(FormDialog):
    """Add (row None) or edit one indicator of `org_id`; `result_value` is what core returned."""

    def __init__(
        self,
        profile,
        org_id: str,
        state: str,
        row: setup.IndicatorRow | None = None,
        *,
        parent: QWidget | None = None,
    ) -> None:
        title = f"Edit the indicator {row.code}" if row else "Add an indicator"
        super().__init__(title, save_label="Save" if row else "Add", parent=parent)
        self.profile = profile
        self.org_id = org_id
        self.row = row
        self.kinds = KINDS_OF_STATE.get(state, LOCAL_ONLY)
        current = next(
            (
                n
                for n, (_t, k, lv) in enumerate(self.kinds)
                if row and (k, lv) == (row.kind, row.level)
            ),
            0,
        )
        self.kind_box = self.add_choice(
            "kind", "Kind", [(text, n) for n, (text, _k, _l) in enumerate(self.kinds)], current
        )
        examples = HINTS.get(state, HINTS[""])
        self.name_edit = self.add_line("name", "Name", row.name if row else "", hint=examples[0])
        self.code_edit = self.add_line(
            "code", "Code", row.code if row else "", hint="Short, e.g. ELA38; empty makes one"
        )
        self.type_box = self.add_choice(
            "value_type", "Value type", VALUE_TYPES, row.value_type if row else "percent"
        )
        self.direction_box = self.add_choice(
            "direction", "Better is", DIRECTIONS, row.direction if row else "higher"
        )
        # One tick box per student group, three to a row, all in sight.
        self.groups = QWidget()
        self.groups.setAccessibleName("Student groups")
        grid = QGridLayout(self.groups)
        grid.setContentsMargins(0, 0, 0, 0)
        self.group_boxes: dict[str, QCheckBox] = {}
        for n, group in enumerate(setup.STUDENT_GROUPS):
            box = QCheckBox("All students" if group == "All" else group)
            box.setAccessibleName(f"Student group: {box.text()}")
            box.setChecked(group == (row.group if row else "All"))
            grid.addWidget(box, n // 3, n % 3)
            self.group_boxes[group] = box
        self.form.addRow("Student groups", self.groups)
        self.groups_label = self.form.labelForField(self.groups)
        self.source_edit = self.add_line(
            "source", "Source", (row.source or "") if row else "", hint=examples[1]
        )
        self.set_targets_next = QCheckBox("Set its targets next")
        self.set_targets_next.setChecked(row is None)
        self.set_targets_next.setVisible(row is None)
        self.form.addRow("", self.set_targets_next)
        self.kind_box.currentIndexChanged.connect(self._show_groups)
        self._show_groups()
        self.on_save(self._write)

    def _kind(self) -> tuple[str, int | None]:
        _text, kind, level = self.kinds[self.kind_box.currentIndex()]
        return kind, level

    def _show_groups(self) -> None:
        by_group = self._kind()[0] == "benchmark"
        self.groups.setVisible(by_group)
        if self.groups_label is not None:
            self.groups_label.setVisible(by_group)

    def chosen_groups(self) -> list[str]:
        return [group for group, box in self.group_boxes.items() if box.isChecked()]

    def _write(self, values: dict[str, Any]) -> Any:
        kind, level = self._kind()
        groups = self.chosen_groups() if kind == "benchmark" else ["All"]
        if not groups:
            raise RefusedInput("Tick at least one student group for the benchmark.")
        if self.row is None:
            return setup.add_indicator(
                self.profile,
                self.org_id,
                name=values["name"],
                kind=kind,
                level=level,
                value_type=values["value_type"],
                direction=values["direction"],
                groups=groups,
                code=values["code"] or None,
                source=values["source"] or None,
            )
        if len(groups) > 1:
            raise RefusedInput(
                "An indicator is for one student group; tick one, or add the other groups "
                "as a new benchmark with the same code."
            )
        return setup.edit_indicator(
            self.profile,
            self.row.id,
            name=values["name"],
            code=values["code"] or None,
            kind=kind,
            level=level,
            value_type=values["value_type"],
            direction=values["direction"],
            group=groups[0] if kind == "benchmark" else None,
            source=values["source"],
        )

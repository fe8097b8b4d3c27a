"""Recording one measurement by hand: the value is checked against the indicator's type and a
refusal is shown in the dialog, which stays open so the coach can correct it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import CoachdeskError
from coachdesk.core.tracking_records.indicators import (
    TYPE_WORDS,
    IndicatorView,
    record_measurement,
    show_value,
)
from coachdesk.ui.date_input import DateInput

CHECKPOINTS = (("", "None (between checkpoints)"), ("early", "Early"), ("mid", "Mid-year"),
               ("eoy", "End of year"))  # fmt: skip


class MeasurementDialog(QDialog):
    def __init__(
        self,
        profile,
        indicators: list[IndicatorView],
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record a measurement")
        self.profile = profile
        self.indicators = indicators
        self.changes = ChangeSummary()
        today = today or dt.date.today()
        self.indicator_box = QComboBox()
        self.indicator_box.setAccessibleName("Indicator")
        for v in indicators:
            group = f" ({v.subgroup})" if v.subgroup != "All" else ""
            self.indicator_box.addItem(f"{v.code}{group}: {v.name}")
        self.date_edit = DateInput("Measured on", today)
        self.value_edit = QLineEdit()
        self.value_edit.setAccessibleName("Value")
        self.checkpoint_box = QComboBox()
        self.checkpoint_box.setAccessibleName("Checkpoint")
        for _key, label in CHECKPOINTS:
            self.checkpoint_box.addItem(label)
        self.n_spin = QSpinBox()
        self.n_spin.setRange(0, 100_000)
        self.n_spin.setSpecialValueText("not a student count")
        self.n_spin.setAccessibleName("Number of students")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")  # colours: coachdesk/ui/style.py
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Indicator", self.indicator_box)
        form.addRow("Measured on", self.date_edit)
        form.addRow("Value", self.value_edit)
        form.addRow("Checkpoint", self.checkpoint_box)
        form.addRow("Students (n)", self.n_spin)
        form.addRow(self.error)
        form.addRow(buttons)
        self.indicator_box.currentIndexChanged.connect(self._hint)
        self._hint(0)

    def _hint(self, index: int) -> None:
        if 0 <= index < len(self.indicators):
            v = self.indicators[index]
            words = TYPE_WORDS.get(v.value_type, "a value")
            extra = f" ({' or '.join(v.target_set)} meets the target)" if v.target_set else ""
            self.value_edit.setPlaceholderText(f"{words}{extra}")

    def save(self) -> None:
        """Record the measurement, or say in the dialog why it was refused."""
        index = self.indicator_box.currentIndex()
        if not 0 <= index < len(self.indicators):
            self.error.setText("Choose an indicator.")
            return
        picked = self.date_edit.value()
        if picked is None:
            self.error.setText(self.date_edit.check())
            self.date_edit.setFocus()
            return
        try:
            self.changes = record_measurement(
                self.profile,
                self.indicators[index].id,
                as_of=picked,
                value=self.value_edit.text(),
                checkpoint=CHECKPOINTS[self.checkpoint_box.currentIndex()][0] or None,
                n=self.n_spin.value() or None,
                source="entered by hand",
            )
        except CoachdeskError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class CorrectionDialog(QDialog):
    """Correcting one measurement: its value, date, checkpoint and n; the earlier values stay
    in its history (coachdesk/core/tracking_records/measurement_corrections.py)."""

    def __init__(
        self,
        profile,
        measurement,  # a MeasurementRow
        indicator_text: str,
        parent: QWidget | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Correct a measurement")
        self.profile = profile
        self.measurement = measurement
        self.today = today or dt.date.today()
        self.changes = ChangeSummary()
        m = measurement
        self.date_edit = DateInput("Measured on", m.as_of)
        self.value_edit = QLineEdit(show_value(m.value))
        self.value_edit.setAccessibleName("Value")
        self.checkpoint_box = QComboBox()
        self.checkpoint_box.setAccessibleName("Checkpoint")
        for _key, label in CHECKPOINTS:
            self.checkpoint_box.addItem(label)
        keys = [k for k, _label in CHECKPOINTS]
        self.checkpoint_box.setCurrentIndex(keys.index(m.checkpoint or ""))
        self.n_spin = QSpinBox()
        self.n_spin.setRange(0, 100_000)
        self.n_spin.setSpecialValueText("not a student count")
        self.n_spin.setValue(m.n or 0)
        self.n_spin.setAccessibleName("Number of students")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        indicator = QLabel(indicator_text)
        indicator.setWordWrap(True)
        form.addRow("Indicator", indicator)
        form.addRow("Measured on", self.date_edit)
        form.addRow("Value", self.value_edit)
        form.addRow("Checkpoint", self.checkpoint_box)
        form.addRow("Students (n)", self.n_spin)
        form.addRow(QLabel("The earlier values stay in the measurement's history."))
        form.addRow(self.error)
        form.addRow(buttons)

    def save(self) -> None:
        """Save the correction, or say in the dialog why it was refused."""
        from coachdesk.core.tracking_records.measurement_corrections import edit_measurement

        picked = self.date_edit.value()
        if picked is None:
            self.error.setText(self.date_edit.check())
            self.date_edit.setFocus()
            return
        try:
            self.changes = edit_measurement(
                self.profile,
                self.measurement.id,
                value=self.value_edit.text(),
                as_of=picked,
                checkpoint=CHECKPOINTS[self.checkpoint_box.currentIndex()][0] or None,
                n=self.n_spin.value() or None,
                today=self.today,
            )
        except CoachdeskError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

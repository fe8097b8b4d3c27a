"""Today's filters: one program, and one district (with its schools) or one school.

The choices list what the day's items are about, so a program or a school with nothing due is
not offered; what is chosen stays chosen while the app runs (kept per profile folder, so the
Today view built again after a profile switch back finds it).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

from coachdesk.core.organizations import list_organizations
from coachdesk.core.store.profile import Profile
from coachdesk.core.tracking_records.due import DueEntry

ALL_PROGRAMS = "All programs"
ALL_PLACES = "All schools"  # and districts: they are listed with their schools

# Per profile folder, for the session: (program code or None, "kind:id" or None).
_REMEMBERED: dict[str, tuple[str | None, str | None]] = {}


@dataclass(frozen=True)
class Place:
    kind: str  # district | school
    id: str
    name: str
    district_id: str | None


class TodayFilters(QWidget):
    """Two combo boxes; `changed` when either moves. `matches(entry)` says whether an entry
    passes both."""

    changed = Signal()

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self._key = str(profile.directory)
        self.program_box = QComboBox()
        self.program_box.setAccessibleName("Show the items of the program")
        self.place_box = QComboBox()
        self.place_box.setAccessibleName("Show the items of the district or school")
        # A long school or program name must not make the window wider than a small screen
        # (1024 pixels at one and a half times the font): the lists open as wide as they need.
        for box, letters in ((self.program_box, 9), (self.place_box, 15)):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(letters)
            box.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        self.place_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        show = QLabel("Show:")
        show.setBuddy(self.program_box)
        layout.addWidget(show)
        layout.addWidget(self.program_box)
        layout.addWidget(self.place_box, 1)
        self.program_box.currentIndexChanged.connect(self._picked)
        self.place_box.currentIndexChanged.connect(self._picked)
        self._filling = False
        self._places: dict[str, Place] = {}
        self.program, self.place = _REMEMBERED.get(self._key, (None, None))

    # --- filling --------------------------------------------------------------------------------

    def fill(self, entries: list[DueEntry]) -> None:
        """Offer the programs and places the entries are about (and what is chosen)."""
        self._places = _places(self.profile)
        programs: dict[str, str] = {}
        listed: set[str] = set()
        for entry in entries:
            programs.setdefault(entry.program_code, entry.program_name)
            listed.add(entry.item.school_id)
            place = self._places.get(entry.item.school_id)
            if place is not None and place.district_id:
                listed.add(place.district_id)
        if self.program and self.program not in programs:
            programs[self.program] = self.program
        if self.place and self.place.split(":", 1)[1] in self._places:
            listed.add(self.place.split(":", 1)[1])
        self._filling = True
        try:
            self.program_box.clear()
            self.program_box.addItem(ALL_PROGRAMS, None)
            for code, name in sorted(programs.items(), key=lambda p: p[1]):
                self.program_box.addItem(name, code)
            self.program_box.setCurrentIndex(max(self.program_box.findData(self.program), 0))
            self.place_box.clear()
            self.place_box.addItem(ALL_PLACES, None)
            for place in _ordered(self._places, listed):
                text = place.name if place.kind == "district" else f"    {place.name}"
                self.place_box.addItem(text, f"{place.kind}:{place.id}")
            found = self.place_box.findData(self.place) if self.place else 0
            self.place_box.setCurrentIndex(max(found, 0))
        finally:
            self._filling = False
        self.program = self.program_box.currentData()
        self.place = self.place_box.currentData()

    def choose(self, *, program: str | None = None, place_name: str | None = None) -> None:
        """Pick a program by code and a place by name (None: all), as the coach would."""
        self.program_box.setCurrentIndex(max(self.program_box.findData(program), 0))
        if place_name is None:
            self.place_box.setCurrentIndex(0)
            return
        for row in range(self.place_box.count()):
            if self.place_box.itemText(row).strip() == place_name:
                self.place_box.setCurrentIndex(row)
                return
        raise ValueError(f"{place_name} is not offered")

    def _picked(self, _row: int) -> None:
        if self._filling:
            return
        self.program = self.program_box.currentData()
        self.place = self.place_box.currentData()
        _REMEMBERED[self._key] = (self.program, self.place)
        self.changed.emit()

    # --- reading --------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.program is not None or self.place is not None

    def matches(self, entry: DueEntry) -> bool:
        if self.program is not None and entry.program_code != self.program:
            return False
        if self.place is None:
            return True
        kind, org_id = self.place.split(":", 1)
        if entry.item.school_id == org_id:
            return True
        if kind != "district":
            return False
        place = self._places.get(entry.item.school_id)
        return place is not None and place.district_id == org_id

    def describe(self) -> str:
        """The filter in words, for the counts line ("OH NNPS · Walsh Middle School")."""
        parts = []
        if self.program is not None:
            parts.append(self.program_box.currentText())
        if self.place is not None:
            parts.append(self.place_box.currentText().strip())
        return " · ".join(parts)


def _places(profile: Profile) -> dict[str, Place]:
    found = {}
    for org in list_organizations(profile, archived=True):
        district = org.parent_id if org.kind == "school" else None
        found[org.id] = Place(org.kind, org.id, org.name, district)
    return found


def _ordered(places: dict[str, Place], listed: set[str]) -> list[Place]:
    """Districts by name, each followed by its listed schools; then schools with no district."""
    districts = sorted(
        (p for p in places.values() if p.kind == "district" and p.id in listed),
        key=lambda p: p.name.casefold(),
    )
    schools = sorted(
        (p for p in places.values() if p.kind == "school" and p.id in listed),
        key=lambda p: p.name.casefold(),
    )
    out: list[Place] = []
    for district in districts:
        out.append(district)
        out.extend(s for s in schools if s.district_id == district.id)
    shown = {p.id for p in out}
    out.extend(s for s in schools if s.id not in shown)
    return out

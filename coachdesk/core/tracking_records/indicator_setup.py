"""Indicators the coach sets up: add, edit, retire and list them for a school or district.

Three kinds, in the coach's words (DOMAIN.md section 2, Indicator):

- a NY Demonstrable Improvement Indicator (`dii`): Level 1 is one the state assigns (stored with
  origin `assigned`), Level 2 one the school selects (`selected`);
- an MA benchmark (`benchmark`) for one student group; adding it for several groups adds one
  indicator per group sharing a code, which is how the disaggregation rule reads them;
- a local indicator (`local`) of any program.

Value types are percent, scale, index, count, rate, yes/no (`boolean`) and stage (1 to 4).
Numbers go higher or lower; a yes/no or stage indicator is met by a set of values (`in_set`):
"yes" (or "no" when lower is better), and for stages the stages at or beyond the target
(3 and 4 until a target says otherwise).

Retiring is a tombstone (`deleted_at`): the indicator leaves the school's page, the due rules
and the CSV import, and comes back with `restore_indicator`; its measurements are kept.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.records import set_deleted
from coachdesk.core.store.profile import Profile
from coachdesk.core.validation import clean_text

_NO_INDICATOR = "There is no indicator with that id; `coachdesk indicators list`."

KINDS = ("dii", "benchmark", "local")
KIND_WORDS = {
    "dii": "Demonstrable Improvement Indicator",
    "benchmark": "benchmark",
    "local": "local indicator",
}
# What the coach types for a value type -> the stored value type.
VALUE_TYPES = {
    "percent": "percent",
    "scale": "scale",
    "index": "index",
    "count": "count",
    "rate": "rate",
    "yes/no": "boolean",
    "yesno": "boolean",
    "yes-no": "boolean",
    "boolean": "boolean",
    "stage": "stage",
}
SHOWN_TYPES = "percent, scale, index, count, rate, yes/no or stage"
DIRECTIONS = ("higher", "lower")
STAGES = ("1", "2", "3", "4")
# MA DESE reports benchmarks for all students, the focus groups every IP centres (multilingual
# learners and students with disabilities) and the accountability groups below.
STUDENT_GROUPS = (
    "All",
    "ML",
    "SWD",
    "High needs",
    "Low income",
    "African American/Black",
    "Asian",
    "Hispanic/Latino",
    "Multi-race",
    "Native American",
    "Native Hawaiian/Pacific Islander",
    "White",
)
_GROUP_ALIASES = {
    "all students": "All",
    "all": "All",
    "el": "ML",
    "ell": "ML",
    "english learners": "ML",
    "multilingual learners": "ML",
    "students with disabilities": "SWD",
    "ed": "Low income",
    "economically disadvantaged": "Low income",
}
PROGRAM_OF_STATE = {"NY": "NY_RCV", "MA": "MA_SSOS", "OH": "OH_NNPS"}
_CODE_CHARS = re.compile(r"[^A-Z0-9]+")


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator as `coachdesk indicators list` and the set-up dialog show it."""

    id: str
    org_id: str
    org_name: str
    program_code: str
    kind: str  # dii | benchmark | local
    level: int | None  # a DII's level, 1 or 2
    code: str
    name: str
    group: str
    value_type: str  # as typed: percent, ..., yes/no, stage
    direction: str  # higher | lower
    target_set: tuple[str, ...]
    source: str | None
    retired: bool

    def describe(self) -> str:
        """ "Level 1 DII, percent, higher is better, All students"."""
        kind = f"Level {self.level} DII" if self.level else KIND_WORDS[self.kind]
        better = f"{self.direction} is better"
        group = "All students" if self.group == "All" else self.group
        return f"{kind}, {self.value_type}, {better}, {group}"


@dataclass(frozen=True)
class Added:
    """The indicators a write added (one per student group) and what it changed."""

    ids: tuple[str, ...]
    changes: ChangeSummary

    @property
    def id(self) -> str:
        return self.ids[0]


def origin_of(kind: str, level: int | None) -> str:
    """The stored origin of an indicator of this kind (and DII level)."""
    if kind == "dii":
        return "assigned" if level == 1 else "selected"
    return kind


def kind_of(origin: str) -> tuple[str, int | None]:
    """The coach's kind (and DII level) of a stored origin."""
    if origin == "assigned":
        return "dii", 1
    if origin == "selected":
        return "dii", 2
    return ("benchmark", None) if origin == "benchmark" else ("local", None)


def check_kind(kind: str | None) -> str:
    word = (kind or "").strip().lower()
    if word not in KINDS:
        raise RefusedInput(
            f"“{kind}” is not a kind of indicator; use dii (NY), benchmark (MA) or local."
        )
    return word


def check_level(kind: str, level: int | str | None) -> int | None:
    """A DII's level (1 or 2); None for other kinds, which have no level."""
    if kind != "dii":
        if level not in (None, ""):
            raise RefusedInput("Only a NY DII has a level; leave the level out for this kind.")
        return None
    try:
        number = int(str(level).strip()) if level not in (None, "") else 0
    except ValueError:
        number = 0
    if number not in (1, 2):
        raise RefusedInput(
            "A DII is Level 1 (assigned by the state) or Level 2 (selected by the school); "
            "say which."
        )
    return number


def check_value_type(value_type: str | None) -> str:
    stored = VALUE_TYPES.get((value_type or "percent").strip().lower())
    if stored is None:
        raise RefusedInput(f"“{value_type}” is not a value type; use {SHOWN_TYPES}.")
    return stored


def check_direction(direction: str | None) -> str:
    word = (direction or "higher").strip().lower()
    if word not in DIRECTIONS:
        raise RefusedInput(f"“{direction}” is not a direction; say higher or lower is better.")
    return word


def check_group(group: str | None) -> str:
    """A student group in its listed spelling: All, ML, SWD, Low income, ..."""
    typed = " ".join((group or "All").split())
    folded = typed.casefold()
    for listed in STUDENT_GROUPS:
        if listed.casefold() == folded:
            return listed
    if folded in _GROUP_ALIASES:
        return _GROUP_ALIASES[folded]
    raise RefusedInput(f"“{typed}” is not a student group; use one of {', '.join(STUDENT_GROUPS)}.")


def shown_type(value_type: str) -> str:
    return "yes/no" if value_type == "boolean" else value_type


def default_target_set(value_type: str, direction: str) -> list[str]:
    """The values that meet a yes/no or stage indicator before a target is set."""
    if value_type == "boolean":
        return ["no"] if direction == "lower" else ["yes"]
    if value_type == "stage":
        return ["1", "2"] if direction == "lower" else ["3", "4"]
    return []


def direction_of(value_type: str, direction: str, target_set: Iterable[str]) -> str:
    """Higher or lower, as the coach said it, for any indicator (in_set ones read their set)."""
    if direction != "in_set":
        return direction
    values = set(target_set)
    if value_type == "boolean":
        return "lower" if values == {"no"} else "higher"
    return "lower" if values and "1" in values and "4" not in values else "higher"


def make_code(name: str) -> str:
    """A short code from the indicator's name: "Chronic absenteeism (All)" -> "CHRONICABSE"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    words = [w for w in _CODE_CHARS.split(plain) if w]
    if len(words) >= 3:
        code = "".join(w[0] for w in words[:8])
    else:
        code = "".join(words)[:12]
    return code or "IND"


def check_code(code: str | None) -> str | None:
    if code is None or not code.strip():
        return None
    text = code.strip().upper()
    if len(text) > 40 or not re.fullmatch(r"[A-Z0-9][A-Z0-9_.-]*", text):
        raise RefusedInput(
            f"“{code}” is not a code; use up to 40 letters, digits, dots, dashes or underscores."
        )
    return text


def add_indicator(
    profile: Profile,
    org_id: str,
    *,
    name: str,
    kind: str,
    level: int | str | None = None,
    value_type: str | None = "percent",
    direction: str | None = "higher",
    groups: Sequence[str] = ("All",),
    code: str | None = None,
    source: str | None = None,
    target_set: Sequence[str] | None = None,
) -> Added:
    """Add an indicator to a school or district (one per student group); refused in a sentence."""
    from sqlalchemy import select

    from coachdesk.core.store.schema import Organization
    from coachdesk.core.store.tracking_tables import Indicator

    kind = check_kind(kind)
    level = check_level(kind, level)
    title = clean_text(name, what="The indicator's name", limit=300, required=True) or ""
    stored_type = check_value_type(value_type)
    better = check_direction(direction)
    chosen = list(dict.fromkeys(check_group(g) for g in (groups or ("All",))))
    typed_code = check_code(code)
    where = clean_text(source, what="The source", limit=200)
    values = _target_set(stored_type, better, target_set)
    with profile.writing() as write:
        org = write.session.get(Organization, org_id)
        if org is None or org.deleted_at is not None or org.kind not in ("school", "district"):
            raise NotFound("That school or district is not on the caseload.")
        _check_kind_for_state(kind, org.state)
        program = _program_of(write.session, org)
        taken = {
            (c.upper(), g)
            for c, g in write.session.execute(
                select(Indicator.code, Indicator.subgroup).where(
                    Indicator.org_id == org.id, Indicator.deleted_at.is_(None)
                )
            )
        }
        final_code = typed_code or _free_code(make_code(title), chosen, taken)
        for group in chosen:
            if (final_code, group) in taken:
                raise RefusedInput(
                    f"{org.name} already has an indicator {final_code} for {group}; "
                    "give another code or edit that one."
                )
        order = len(taken)
        priority = _priority_id(write.session, org) if kind == "benchmark" else None
        added = []
        for offset, group in enumerate(chosen):
            indicator = Indicator(
                org_id=org.id,
                program_code=program,
                code=final_code,
                name=title,
                origin=origin_of(kind, level),
                subgroup=group,
                value_type=stored_type,
                direction="in_set" if values else better,
                target_set=json.dumps(values),
                source=where,
                priority_id=priority,
                sort_order=order + offset,
            )
            write.session.add(indicator)
            added.append(indicator)
        write.session.flush()
        ids = tuple(i.id for i in added)
    return Added(ids, write.changes)


def edit_indicator(
    profile: Profile,
    indicator_id: str,
    *,
    name: str | None = None,
    code: str | None = None,
    kind: str | None = None,
    level: int | str | None = None,
    value_type: str | None = None,
    direction: str | None = None,
    group: str | None = None,
    source: str | None = None,
) -> ChangeSummary:
    """Change the fields given of one indicator; a value type cannot change once it is measured."""
    from sqlalchemy import func, select

    from coachdesk.core.store.schema import Organization
    from coachdesk.core.store.tracking_tables import Indicator, Measurement

    with profile.writing() as write:
        indicator = write.session.get(Indicator, indicator_id)
        if indicator is None or indicator.deleted_at is not None:
            raise NotFound("That indicator no longer exists; it may have been retired.")
        old_kind, old_level = kind_of(indicator.origin)
        new_kind = check_kind(kind) if kind is not None else old_kind
        if new_kind != "dii":
            new_level = check_level(new_kind, level)
        elif level is None and old_kind == "dii":
            new_level = old_level
        else:
            new_level = check_level(new_kind, level)
        org = write.session.get(Organization, indicator.org_id)
        if new_kind != old_kind:
            _check_kind_for_state(new_kind, org.state if org else None)
        new_type = check_value_type(value_type) if value_type is not None else indicator.value_type
        if new_type != indicator.value_type:
            measured = write.session.scalar(
                select(func.count()).where(
                    Measurement.indicator_id == indicator.id, Measurement.deleted_at.is_(None)
                )
            )
            if measured:
                raise RefusedInput(
                    f"{indicator.code} already has {measured} measurement"
                    f"{'s' if measured != 1 else ''} recorded as "
                    f"{shown_type(indicator.value_type)}; add a new indicator for "
                    f"{shown_type(new_type)} values instead."
                )
        old_direction = direction_of(
            indicator.value_type, indicator.direction, json.loads(indicator.target_set or "[]")
        )
        new_direction = check_direction(direction) if direction is not None else old_direction
        fields: dict[str, object] = {
            "origin": origin_of(new_kind, new_level),
            "value_type": new_type,
        }
        if new_type != indicator.value_type or new_direction != old_direction:
            values = default_target_set(new_type, new_direction)
            fields["direction"] = "in_set" if values else new_direction
            fields["target_set"] = json.dumps(values)
        if name is not None:
            fields["name"] = clean_text(name, what="The indicator's name", limit=300, required=True)
        if source is not None:
            fields["source"] = clean_text(source, what="The source", limit=200)
        new_code = check_code(code) if code is not None else None
        new_group = check_group(group) if group is not None else None
        if new_code or new_group:
            _check_free(
                write.session,
                indicator,
                new_code or indicator.code,
                new_group or indicator.subgroup,
                org.name if org else "The school",
            )
            fields["code"] = new_code or indicator.code
            fields["subgroup"] = new_group or indicator.subgroup
        for field, value in fields.items():
            if getattr(indicator, field) != value:
                setattr(indicator, field, value)
    return write.changes


def retire_indicator(profile: Profile, indicator_id: str) -> ChangeSummary:
    """Retire an indicator: a tombstone; its targets and measurements stay in the profile."""
    from coachdesk.core.store.tracking_tables import Indicator

    return set_deleted(profile, Indicator, indicator_id, deleted=True, missing=_NO_INDICATOR)


def restore_indicator(profile: Profile, indicator_id: str) -> ChangeSummary:
    """Bring a retired indicator back, with its targets and measurements."""
    from coachdesk.core.store.tracking_tables import Indicator

    return set_deleted(profile, Indicator, indicator_id, deleted=False, missing=_NO_INDICATOR)


def list_indicators(
    profile: Profile, *, org_id: str | None = None, retired: bool = False
) -> list[IndicatorRow]:
    """The indicators of one school or district (or every one), by school, order and code."""
    conn = profile.quick_connection()
    rows = conn.execute(
        "SELECT i.id, i.org_id, o.name, i.program_code, i.origin, i.code, i.name, i.subgroup, "
        "i.value_type, i.direction, i.target_set, i.source, i.deleted_at "
        "FROM indicator i JOIN organization o ON o.id = i.org_id "
        "WHERE (? IS NULL OR i.org_id = ?) AND (? OR i.deleted_at IS NULL) "
        "ORDER BY o.name, i.sort_order, i.code, i.subgroup",
        (org_id, org_id, int(retired)),
    ).fetchall()
    return [_row(r) for r in rows]


def get_indicator(profile: Profile, indicator_id: str) -> IndicatorRow:
    """One indicator, retired or not; NotFound with a sentence when there is none."""
    conn = profile.quick_connection()
    row = conn.execute(
        "SELECT i.id, i.org_id, o.name, i.program_code, i.origin, i.code, i.name, i.subgroup, "
        "i.value_type, i.direction, i.target_set, i.source, i.deleted_at "
        "FROM indicator i JOIN organization o ON o.id = i.org_id WHERE i.id = ?",
        (indicator_id,),
    ).fetchone()
    if row is None:
        raise NotFound(_NO_INDICATOR)
    return _row(row)


def _row(r) -> IndicatorRow:
    kind, level = kind_of(r[4])
    values = tuple(json.loads(r[10] or "[]"))
    return IndicatorRow(
        id=r[0],
        org_id=r[1],
        org_name=r[2],
        program_code=r[3],
        kind=kind,
        level=level,
        code=r[5],
        name=r[6],
        group=r[7],
        value_type=shown_type(r[8]),
        direction=direction_of(r[8], r[9], values),
        target_set=values,
        source=r[11],
        retired=r[12] is not None,
    )


def _target_set(value_type: str, direction: str, given: Sequence[str] | None) -> list[str]:
    if value_type not in ("boolean", "stage"):
        if given:
            raise RefusedInput("Only a yes/no or stage indicator has a set of values to reach.")
        return []
    if not given:
        return default_target_set(value_type, direction)
    from coachdesk.core.tracking_records.indicators import parse_value

    return sorted({str(parse_value(value_type, str(v))) for v in given})


def _check_kind_for_state(kind: str, state: str | None) -> None:
    if kind == "dii" and state != "NY":
        raise RefusedInput("DIIs are New York's; use benchmark (MA) or local for this school.")
    if kind == "benchmark" and state != "MA":
        raise RefusedInput("Benchmarks are Massachusetts'; use dii (NY) or local for this school.")


def _program_of(session, org) -> str:
    """The program an organization's indicators belong to: its assignment's, else its state's."""
    from sqlalchemy import select

    from coachdesk.core.store.schema import Assignment

    assigned = session.scalars(
        select(Assignment.program_code)
        .where(Assignment.org_id == org.id, Assignment.deleted_at.is_(None))
        .order_by(Assignment.school_year.desc())
    ).first()
    program = assigned or PROGRAM_OF_STATE.get(org.state or "")
    if program is None:
        raise RefusedInput(f"{org.name} has no state; set it before adding indicators.")
    return program


def _priority_id(session, org) -> str | None:
    """The MA district's newest Instructional Priority, which a school's benchmarks serve."""
    from sqlalchemy import select

    from coachdesk.core.store.tracking_tables import InstructionalPriority as IP

    district = org.id if org.kind == "district" else org.parent_id
    if district is None:
        return None
    return session.scalars(
        select(IP.id)
        .where(IP.org_id == district, IP.deleted_at.is_(None))
        .order_by(IP.school_year.desc())
    ).first()


def _free_code(base: str, groups: list[str], taken: set[tuple[str, str]]) -> str:
    code, number = base, 2
    while any((code, g) in taken for g in groups):
        code, number = f"{base}{number}", number + 1
    return code


def _check_free(session, indicator, code: str, group: str, org_name: str) -> None:
    from sqlalchemy import select

    from coachdesk.core.store.tracking_tables import Indicator

    clash = session.scalars(
        select(Indicator.id).where(
            Indicator.org_id == indicator.org_id,
            Indicator.code == code,
            Indicator.subgroup == group,
            Indicator.id != indicator.id,
            Indicator.deleted_at.is_(None),
        )
    ).first()
    if clash is not None:
        raise RefusedInput(f"{org_name} already has an indicator {code} for {group}.")


def find_indicator(
    profile: Profile, text: str, *, org_id: str | None = None, group: str | None = None
) -> IndicatorRow:
    """The indicator a coach names by its id, or by its code (of one school and group).

    A code several schools or groups share is refused with a sentence listing them.
    """
    typed = (text or "").strip()
    if not typed:
        raise RefusedInput("Name the indicator: its id, or its code with --school.")
    live = [i for i in list_indicators(profile, org_id=org_id) if i.id == typed]
    if live:
        return live[0]
    matches = [
        i
        for i in list_indicators(profile, org_id=org_id)
        if i.code.casefold() == typed.casefold()
        and (group is None or i.group == check_group(group))
    ]
    if not matches:
        raise NotFound(
            f"No indicator has the id or code “{typed[:80]}”; `coachdesk indicators list` "
            "shows them."
        )
    if len(matches) > 1:
        listed = "; ".join(f"{i.org_name} {i.code} ({i.group}): {i.id}" for i in matches[:6])
        raise RefusedInput(
            f"Several indicators have the code {typed}: {listed}. Give the id, or --school "
            "and --group."
        )
    return matches[0]

"""The SST quarterly coaching log for one OH district, built from the profile.

    data = build_coaching_log_report(profile, org_id=district_id, period="2026-Q2")
    render_coaching_log_report(data, "log.pdf")   # or write_coaching_log_csv(data, "log.csv")

What it lists (DOMAIN.md section 1, "Quarterly Coaching Log"; resources/rules/oh_nnps.toml):

- the quarter is a calendar quarter of the school year (SchoolQuarter.calendar_window(): Q1 is
  July to September), due at OSU on the date oh_nnps.toml `coaching_logs` gives for it
  (15 Oct, 15 Jan, 15 Apr, 15 Jul);
- each school of the district on the OH NNPS caseload that school year (and the district
  itself when it is on the caseload), with every check-in or visit held in the quarter of the
  types the check-in rule counts (`check_ins.visit_types`), up to today; a school with none is
  listed as such;
- a check-in's stage is the school's NNPS stage on that day (its StageRecords), its topics are
  the visit's purpose and the form's topic fields (TOPIC_FIELDS), its next steps the action
  items agreed at it; free text is printed with what the privacy scan takes for a student
  identifier masked; a check-in whose note is still a draft is listed (date, type, stage)
  without its topics or next steps, which are sent once the note is final;
- the coaching flags of the district and its schools active at any time in the quarter (reason
  and dates, never the flag's note);
- `due_key` is the key of the district's oh.coaching_log due item for the quarter, which the
  window's "Mark as submitted" closes (tracking_records/closing.close_due).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.core.school_quarters import SchoolQuarter, parse_quarter, quarter_of
from coachdesk.core.store.profile import Profile
from coachdesk.reports.masking import mask_text
from coachdesk.reports.oh_coaching_log_report import (
    NO_STAGE,
    CheckIn,
    CoachingLogReportData,
    LoggedFlag,
    LoggedSchool,
)

PROGRAM = "OH_NNPS"
RULE_ID = "oh.coaching_log"
TITLE = "SST quarterly coaching log"

# The check-in form's fields that say what a check-in was about, with how the log names them:
# a multiple choice prints its labels, each action-plan activity its name, type and status.
TOPIC_FIELDS = {
    "reminders": "Reminders given",
    "plan_activities": "Action-plan activity",
}


def coaching_log_periods(today: dt.date) -> list[str]:
    """The quarters a coach would pick, most recent first: the one running, then the four
    before it (the last finished quarter is the log due next)."""
    quarter = quarter_of(today)
    found = []
    for _ in range(5):
        found.append(quarter.code)
        quarter = (
            SchoolQuarter(quarter.start_year, quarter.number - 1)
            if quarter.number > 1
            else SchoolQuarter(quarter.start_year - 1, 4)
        )
    return found


def coaching_log_orgs(profile: Profile, today: dt.date | None = None) -> list[tuple[str, str]]:
    """(district id, name) of each district with a school (or itself) on the OH NNPS caseload
    in the school year of `today`, by name."""
    from coachdesk.core.caseload import current_school_year

    year = current_school_year(today or dt.date.today())
    rows = profile.quick_connection().execute(
        "SELECT DISTINCT d.id, d.name FROM assignment a JOIN organization o ON o.id = a.org_id"
        " JOIN organization d ON d.id = CASE WHEN o.kind = 'district' THEN o.id"
        " ELSE o.parent_id END"
        " WHERE a.deleted_at IS NULL AND o.deleted_at IS NULL AND d.deleted_at IS NULL"
        " AND a.program_code = ? AND a.school_year = ? ORDER BY d.name",
        (PROGRAM, year),
    )
    return [(r[0], r[1]) for r in rows]


def build_coaching_log_report(
    profile: Profile, *, org_id: str, period: str, today: dt.date | None = None
) -> CoachingLogReportData:
    """The coaching log of district `org_id` for the quarter `period` ("2026-Q2").

    NotFound for an id that is not a district; RefusedInput for a period that is not a quarter,
    a quarter that has not begun, or a district with no school on the OH NNPS caseload then.
    """
    from coachdesk.core.store.schema import Organization
    from coachdesk.core.tracking_rules import shipped_rules

    today = today or dt.date.today()
    quarter = parse_quarter(period)
    first, last = quarter.calendar_window()
    if first > today:
        raise RefusedInput(
            f"{quarter.label} begins on {first:%B} {first.day}, {first.year}; "
            "a coaching log can be written once the quarter has begun."
        )
    rules = shipped_rules()
    with profile.reading() as session:
        district = session.get(Organization, org_id)
        if district is None or district.deleted_at is not None or district.kind != "district":
            raise NotFound(f"There is no district with the id {org_id!r} in this profile.")
        orgs = _caseload_orgs(session, district, quarter.school_year)
        if not orgs:
            raise RefusedInput(
                f"{district.name} has no school on your OH NNPS caseload in "
                f"{quarter.school_year}; assign one with `coachdesk assign SCHOOL --program "
                f"{PROGRAM}`."
            )
        as_of = min(last, today)
        ids = [o.id for o in orgs]
        stages = _stages(session, ids)
        visits = _check_ins(session, ids, first, as_of, rules.oh.check_ins.visit_types, stages)
        schools = tuple(
            LoggedSchool(
                name=o.name,
                state_id=o.state_id,
                stage=_stage_on(stages.get(o.id, []), as_of),
                check_ins=tuple(visits.get(o.id, ())),
                is_district=o.kind == "district",
            )
            for o in orgs
        )
        flags = _flags(session, {o.id: o.name for o in orgs}, first, as_of)
        due_on, due_key, submitted, submitted_on = _due(session, rules, district.id, quarter)
        district_name, district_irn = district.name, district.state_id
    from coachdesk.reports.caseload_source import prepared_by

    coach = prepared_by(profile)
    return CoachingLogReportData(
        title=TITLE,
        org_id=org_id,
        org_name=district_name,
        org_state_id=district_irn,
        period=quarter.code,
        period_label=quarter.label,
        first_day=first,
        last_day=last,
        as_of=as_of,
        schools=schools,
        flags=flags,
        generated_at=dt.datetime.now().astimezone(),
        prepared_by=coach.name,
        prepared_by_organization=coach.organization,
        prepared_by_contact=coach.contact,
        due_on=due_on,
        due_key=due_key,
        submitted=submitted,
        submitted_on=submitted_on,
    )


def _caseload_orgs(session: Any, district: Any, school_year: str) -> list[Any]:
    """The district (when itself assigned) and its schools on the OH NNPS caseload, by name."""
    from coachdesk.core.store.schema import Assignment, Organization

    query = (
        select(Organization)
        .join(Assignment, Assignment.org_id == Organization.id)
        .where(
            Assignment.deleted_at.is_(None),
            Assignment.program_code == PROGRAM,
            Assignment.school_year == school_year,
            Organization.deleted_at.is_(None),
            (Organization.parent_id == district.id) | (Organization.id == district.id),
        )
    )
    found = {o.id: o for o in session.scalars(query)}
    return sorted(found.values(), key=lambda o: (o.kind != "district", o.name.casefold()))


def _stages(session: Any, ids: list[str]) -> dict[str, list[tuple[dt.date, str]]]:
    """Each organization's NNPS stage decisions, oldest first."""
    from coachdesk.core.store.schema import StageRecord

    query = (
        select(StageRecord.org_id, StageRecord.effective, StageRecord.stage)
        .where(
            StageRecord.org_id.in_(ids),
            StageRecord.program_code == PROGRAM,
            StageRecord.deleted_at.is_(None),
        )
        .order_by(StageRecord.effective, StageRecord.created_hlc)
    )
    found: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for org, effective, stage in session.execute(query):
        found[org].append((effective, stage))
    return found


def _stage_on(decisions: list[tuple[dt.date, str]], day: dt.date) -> str:
    stage = NO_STAGE
    for effective, name in decisions:
        if effective > day:
            break
        stage = name
    return stage


def _check_ins(
    session: Any,
    ids: list[str],
    first: dt.date,
    last: dt.date,
    types: frozenset[str],
    stages: dict[str, list[tuple[dt.date, str]]],
) -> dict[str, list[CheckIn]]:
    """Each organization's check-ins held from `first` to `last`, oldest first."""
    from coachdesk.core.store.visit_tables import ActionItem, Visit, VisitAnswer
    from coachdesk.core.visits import VISIT_TYPE_LABELS

    query = (
        select(Visit)
        .where(
            Visit.org_id.in_(ids),
            Visit.deleted_at.is_(None),
            Visit.visit_type.in_(sorted(types)),
            Visit.starts_at >= dt.datetime.combine(first, dt.time()),
            Visit.starts_at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time()),
        )
        .order_by(Visit.starts_at)
    )
    visits = list(session.scalars(query))
    if not visits:
        return {}
    visit_ids = [v.id for v in visits]
    answers: dict[str, dict[str, Any]] = defaultdict(dict)
    for visit_id, name, value in session.execute(
        select(VisitAnswer.visit_id, VisitAnswer.field, VisitAnswer.value).where(
            VisitAnswer.visit_id.in_(visit_ids),
            VisitAnswer.field.in_(list(TOPIC_FIELDS)),
            VisitAnswer.deleted_at.is_(None),
            VisitAnswer.privacy != "internal",
        )
    ):
        answers[visit_id][name] = json.loads(value)
    steps: dict[str, list[str]] = defaultdict(list)
    for item in session.scalars(
        select(ActionItem)
        .where(ActionItem.visit_id.in_(visit_ids), ActionItem.deleted_at.is_(None))
        .order_by(ActionItem.due, ActionItem.created_hlc)
    ):
        steps[item.visit_id].append(_step(item))
    definitions = _Definitions(session)
    found: dict[str, list[CheckIn]] = defaultdict(list)
    for visit in visits:
        day = visit.starts_at.date()
        draft = visit.status == "draft"
        topics: list[str] = []
        # A draft note has not passed the checks a note passes when finalized (its privacy
        # scan among them): the check-in is listed as held, what it says is not sent.
        if not draft:
            if (visit.purpose or "").strip():
                topics.append(mask_text(visit.purpose.strip()))
            topics += _topics(definitions.of(visit), answers.get(visit.id, {}))
        found[visit.org_id].append(
            CheckIn(
                day=day,
                visit_type=VISIT_TYPE_LABELS.get(visit.visit_type, visit.visit_type),
                stage=_stage_on(stages.get(visit.org_id, []), day),
                topics=tuple(topics),
                next_steps=() if draft else tuple(steps.get(visit.id, ())),
                draft=draft,
                visit_id=visit.id,
            )
        )
    return found


def _step(item: Any) -> str:
    from coachdesk.reports.pdf_layout import short_date

    detail = [item.owner.strip()] if (item.owner or "").strip() else []
    if item.due:
        detail.append(f"by {short_date(item.due)}")
    if item.status == "done":
        detail.append("done")
    elif item.status == "dropped":
        detail.append("dropped")
    words = mask_text(item.text.strip() or "Next step")
    return f"{words} ({', '.join(detail)})" if detail else words


class _Definitions:
    """The form each visit was written on, read once per version (shipped, else stored)."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.cache: dict[tuple[str, int, str | None], Any] = {}

    def of(self, visit: Any) -> Any:
        if visit.form_id is None or visit.form_version is None:
            return None
        key = (visit.form_id, visit.form_version, visit.form_sha256)
        if key not in self.cache:
            self.cache[key] = self._load(*key)
        return self.cache[key]

    def _load(self, form_id: str, version: int, sha256: str | None) -> Any:
        from coachdesk.core import forms
        from coachdesk.core.store.visit_tables import StoredForm

        shipped = forms.find_definition(form_id, version)
        if shipped is not None and shipped.sha256 == sha256:
            return shipped
        stored = self.session.scalars(
            select(StoredForm).where(
                StoredForm.form_id == form_id,
                StoredForm.version == version,
                StoredForm.sha256 == sha256,
            )
        ).first()
        if stored is None:
            return None
        try:
            return forms.load_stored_definition(stored.text, expected_sha256=stored.sha256)
        except forms.StoredFormError:
            return None


def _topics(definition: Any, answers: dict[str, Any]) -> list[str]:
    """The topic fields' answers in words, a line each (a repeat: a line per row); a field
    the form keeps from print is left out."""
    if definition is None:
        return []
    found = []
    for name, title in TOPIC_FIELDS.items():
        value = answers.get(name)
        if not value:
            continue
        try:
            field = definition.field(name)
        except KeyError:
            continue
        if field.is_internal or field.pdf == "hide" or field.relevant is not None:
            continue  # a relevance rule would need the whole response: never guess
        found += [f"{title}: {words}" for words in _field_words(field, value) if words]
    return found


def _field_words(field: Any, value: Any) -> list[str]:
    if field.type == "select_multiple" and isinstance(value, list) and field.choices:
        return ["; ".join(field.choices.label_of(str(v)) for v in value)]
    if field.type == "select_one" and field.choices:
        return [field.choices.label_of(str(value))]
    if field.type == "repeat" and isinstance(value, list):
        shown = [c for c in field.children if not c.is_internal]
        rows = []
        for row in value:
            if not isinstance(row, dict):
                continue
            # A row by its first text (the activity's name), then its choices in the form's
            # order (type, status); counts (families taking part) are not the log's.
            named = next(
                (str(row[c.name]).strip() for c in shown if c.type == "text" and row.get(c.name)),
                "",
            )
            detail = [
                c.choices.label_of(str(row[c.name]))
                for c in shown
                if c.type == "select_one" and c.choices and row.get(c.name)
            ]
            if named:
                rows.append(mask_text(named) + (f" ({', '.join(detail)})" if detail else ""))
        return rows
    if isinstance(value, str):
        return [mask_text(value.strip())]
    return []


def _flags(
    session: Any, names: dict[str, str], first: dt.date, last: dt.date
) -> tuple[LoggedFlag, ...]:
    """The coaching flags active at some time from `first` to `last`."""
    from coachdesk.core.programs import programs
    from coachdesk.core.store.schema import CoachingFlag

    program = programs().get(PROGRAM)
    reasons = dict(program.flag_reasons) if program else {}
    query = select(CoachingFlag).where(
        CoachingFlag.org_id.in_(list(names)),
        CoachingFlag.deleted_at.is_(None),
        CoachingFlag.start <= last,
        (CoachingFlag.ended_on.is_(None)) | (CoachingFlag.ended_on >= first),
    )
    flags = [
        LoggedFlag(
            school=names[f.org_id],
            reason=reasons.get(f.reason, f.reason),
            start=f.start,
            review_by=f.review_by,
            ended_on=f.ended_on,
        )
        for f in session.scalars(query)
    ]
    return tuple(sorted(flags, key=lambda f: (f.school.casefold(), f.start)))


def _due(
    session: Any, rules: Any, district_id: str, quarter: SchoolQuarter
) -> tuple[dt.date | None, str | None, bool, dt.date | None]:
    """(due day, due item key, whether it was recorded as sent, the day it was sent) of the
    district's log for the quarter."""
    from coachdesk.core.store.tracking_tables import Obligation

    deadline = rules.oh.coaching_logs
    if deadline is None or not deadline.scope.enabled:
        return None, None, False, None
    suffix = f"Q{quarter.number}"
    dates = dict(deadline.dates)
    if suffix not in dates:
        return None, None, False, None
    period = f"{quarter.school_year} {suffix}"
    due = dates[suffix].in_school_year(quarter.start_year, deadline.reporting_year_start)
    recorded = session.scalars(
        select(Obligation).where(
            Obligation.org_id == district_id,
            Obligation.kind == deadline.kind,
            Obligation.period == period,
            Obligation.deleted_at.is_(None),
        )
    ).first()
    sent = recorded is not None and recorded.status == "submitted"
    if recorded is not None:
        due = recorded.due or due
    on = recorded.submitted_on if sent and recorded is not None else None
    return due, f"{RULE_ID}:{district_id}:{period}", sent, on

"""Tables for program tracking: indicators with targets and measurements (NY DIIs, MA
benchmarks), the MA Instructional Priority, the OH One-Year Action Plan and essential elements,
and the dated duties a coach marks done (reports, logs, hearings).

Values that may be a number, yes/no or a stage are stored as JSON text, so one column holds every
value type and the tracking core gets back exactly what was recorded.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coachdesk.core.store.schema import Base, Syncable


class Indicator(Syncable, Base):
    """A NY DII, an MA benchmark (for one student group) or a local measure of one school."""

    __tablename__ = "indicator"
    record_type = "indicator"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    program_code: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    origin: Mapped[str] = mapped_column(String(16))  # assigned | selected | local | benchmark
    subgroup: Mapped[str] = mapped_column(String(40), default="All")
    value_type: Mapped[str] = mapped_column(String(16))  # percent | scale | rate | count | ...
    direction: Mapped[str] = mapped_column(String(8))  # higher | lower | in_set
    target_set: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, for in_set
    source: Mapped[str | None] = mapped_column(String(200), default=None)
    # The MA Instructional Priority a benchmark belongs to.
    priority_id: Mapped[str | None] = mapped_column(String(36), default=None)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Target(Syncable, Base):
    """An indicator's target for one school year, with its checkpoints (JSON list of
    {"name": early|mid|eoy, "from": date, "to": date, "goal": value or null})."""

    __tablename__ = "indicator_target"
    record_type = "indicator_target"

    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicator.id"), index=True)
    school_year: Mapped[str] = mapped_column(String(7))
    baseline_value: Mapped[str] = mapped_column(Text, default="null")  # JSON
    baseline_year: Mapped[str | None] = mapped_column(String(7), default=None)
    annual_target: Mapped[str] = mapped_column(Text, default="null")  # JSON
    checkpoints: Mapped[str] = mapped_column(Text, default="[]")  # JSON


class Measurement(Syncable, Base):
    """One dated value of an indicator; `n` is how many students it counts, when it does."""

    __tablename__ = "measurement"
    record_type = "measurement"
    __table_args__ = (Index("ix_measurement_indicator_as_of", "indicator_id", "as_of"),)

    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicator.id"))
    as_of: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[str] = mapped_column(Text)  # JSON: number, "yes"/"no" or a stage
    checkpoint: Mapped[str | None] = mapped_column(String(8), default=None)
    n: Mapped[int | None] = mapped_column(Integer, default=None)
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(200), default=None)


class InstructionalPriority(Syncable, Base):
    """An MA district's Instructional Priority for one school year, with its phase 1 checklist."""

    __tablename__ = "instructional_priority"
    record_type = "instructional_priority"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)  # district
    school_year: Mapped[str] = mapped_column(String(7))
    statement: Mapped[str] = mapped_column(Text, default="")
    inequity_addressed: Mapped[str] = mapped_column(Text, default="")
    district_actions: Mapped[str] = mapped_column(Text, default="")
    school_actions: Mapped[str] = mapped_column(Text, default="")
    classroom_actions: Mapped[str] = mapped_column(Text, default="")
    dilt_focus: Mapped[str] = mapped_column(Text, default="")
    focus_groups: Mapped[str] = mapped_column(Text, default='["All", "ML", "SWD"]')  # JSON
    primary_contact_id: Mapped[str | None] = mapped_column(String(36), default=None)
    checklist_done: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of step ids


class PartnershipGoal(Syncable, Base):
    """A goal of an OH school's One-Year Action Plan for Partnerships."""

    __tablename__ = "partnership_goal"
    record_type = "partnership_goal"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    school_year: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(16))  # academic | behavioral | climate
    desired_result: Mapped[str] = mapped_column(Text, default="")
    measure: Mapped[str] = mapped_column(Text, default="")
    sip_goal_link: Mapped[str | None] = mapped_column(String(200), default=None)


class PlanActivity(Syncable, Base):
    """An activity of an action plan, by type of involvement (1 to 6)."""

    __tablename__ = "plan_activity"
    record_type = "plan_activity"

    goal_id: Mapped[str] = mapped_column(ForeignKey("partnership_goal.id"), index=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    involvement_type: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    ends_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    grades: Mapped[str] = mapped_column(String(40), default="")
    in_charge: Mapped[str] = mapped_column(String(200), default="")  # roles, never families
    cost: Mapped[int | None] = mapped_column(Integer, default=None)  # whole dollars
    fund_source: Mapped[str] = mapped_column(String(100), default="")
    evaluation: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")  # planned | ... | done


class ElementStatus(Syncable, Base):
    """Where an OH school stands on one of the five NNPS essential elements."""

    __tablename__ = "element_status"
    record_type = "element_status"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    school_year: Mapped[str] = mapped_column(String(7))
    element: Mapped[int] = mapped_column(Integer)  # 1..5
    status: Mapped[str] = mapped_column(String(16), default="not started")
    note: Mapped[str] = mapped_column(Text, default="")


class Obligation(Syncable, Base):
    """A dated duty the coach marks done: a quarterly report, a coaching log, a hearing.

    The rule files say when each is due; a row exists only once the coach records something
    (submitted, waived, a moved date) or imports an event such as an OISR session."""

    __tablename__ = "obligation"
    record_type = "obligation"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(20))
    due: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(12), default="open")
    label: Mapped[str | None] = mapped_column(String(200), default=None)
    # When the coach marked it submitted (or done, or excused), and what they noted.
    submitted_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)

"""The profile's tables, as SQLAlchemy 2 typed models.

Syncable records (caseload, visits, ...) carry a UUIDv7 id, the device that created them and
hybrid-logical-clock stamps; every edit of one of their fields is written to the change log by
coachdesk.core.store.changelog. Local tables (the change log itself, field heads, this device,
profile facts, the demo's records) are not synced.

Keep SQL portable: SQLite-only spots are marked where they occur.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Table, Text, inspect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    if TYPE_CHECKING:
        # SQLAlchemy types __table__ as any FromClause; every model here is mapped to the Table
        # its __tablename__ names, so insert(), update() and .delete() accept it.
        __table__: ClassVar[Table]


class Syncable:
    """Columns every synced record carries. Subclasses set `record_type`."""

    record_type: ClassVar[str]
    # Fields that are bookkeeping, derived from the change log rather than logged themselves.
    bookkeeping: ClassVar[frozenset[str]] = frozenset(
        {"id", "created_by", "created_hlc", "updated_hlc"}
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_by: Mapped[str] = mapped_column(String(36))
    created_hlc: Mapped[str] = mapped_column(String(80))
    updated_hlc: Mapped[str] = mapped_column(String(80))
    # A delete is a tombstone: the row stays, its deleted_at is a logged field like any other.
    deleted_at: Mapped[str | None] = mapped_column(String(80), default=None)


# --- The caseload -------------------------------------------------------------------------------


class Organization(Syncable, Base):
    """A district or a school (DOMAIN.md section 2)."""

    __tablename__ = "organization"
    record_type = "organization"

    kind: Mapped[str] = mapped_column(String(16))  # district | school
    name: Mapped[str] = mapped_column(String(200))
    state_id: Mapped[str | None] = mapped_column(String(40), default=None)  # BEDS / org code / IRN
    state: Mapped[str] = mapped_column(String(2))
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id"), default=None, index=True
    )
    grade_span: Mapped[str | None] = mapped_column(String(20), default=None)
    city: Mapped[str | None] = mapped_column(String(100), default=None)
    tz: Mapped[str] = mapped_column(String(64), default="America/New_York")
    address: Mapped[str | None] = mapped_column(Text, default=None)
    # Archived: off the caseload list, still readable with every visit and note (data format 2).
    archived_on: Mapped[dt.date | None] = mapped_column(Date, default=None)


class Coach(Syncable, Base):
    """A field coach; a supervisor's profile holds many after merging their bundles."""

    __tablename__ = "coach"
    record_type = "coach"

    name: Mapped[str] = mapped_column(String(200))
    employer: Mapped[str | None] = mapped_column(String(200), default=None)
    # Printed under the coach's name on summaries and reports, so a principal can reply.
    work_email: Mapped[str | None] = mapped_column(String(254), default=None)
    work_phone: Mapped[str | None] = mapped_column(String(40), default=None)


class Contact(Syncable, Base):
    """An adult at a district or school. Work details only; never a student or family member."""

    __tablename__ = "contact"
    record_type = "contact"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(80))
    work_email: Mapped[str | None] = mapped_column(String(254), default=None)
    work_phone: Mapped[str | None] = mapped_column(String(40), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    active_from: Mapped[dt.date | None] = mapped_column(Date, default=None)
    active_to: Mapped[dt.date | None] = mapped_column(Date, default=None)


class Assignment(Syncable, Base):
    """A coach's work with one organisation in one program and school year (the caseload).

    Holds the program-year state that is set rather than derived: the NY Receivership year and
    the primary contact. The MA phase is derived from the date, the OH stage from StageRecord.
    """

    __tablename__ = "assignment"
    record_type = "assignment"

    coach_id: Mapped[str] = mapped_column(ForeignKey("coach.id"), index=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    program_code: Mapped[str] = mapped_column(String(16))
    school_year: Mapped[str] = mapped_column(String(7))  # "2026-27"
    role: Mapped[str] = mapped_column(String(16), default="lead")  # lead | support
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | ended
    receivership_year: Mapped[int | None] = mapped_column(Integer, default=None)
    primary_contact_id: Mapped[str | None] = mapped_column(ForeignKey("contact.id"), default=None)


class StageRecord(Syncable, Base):
    """A dated NNPS implementation-stage decision; the current stage is the latest effective."""

    __tablename__ = "stage_record"
    record_type = "stage_record"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    program_code: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(40))
    effective: Mapped[dt.date] = mapped_column(Date)
    set_by: Mapped[str | None] = mapped_column(String(200), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)


class CoachingFlag(Syncable, Base):
    """A reason for more frequent coaching (OH NNPS), open until ended."""

    __tablename__ = "coaching_flag"
    record_type = "coaching_flag"

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    reason: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text, default=None)
    start: Mapped[dt.date] = mapped_column(Date)
    review_by: Mapped[dt.date | None] = mapped_column(Date, default=None)
    ended_on: Mapped[dt.date | None] = mapped_column(Date, default=None)


# --- History and sync bookkeeping (local, never synced as records) -------------------------------


class Change(Base):
    """One immutable edit of one field: the source of truth for sync (DESIGN.md section 3)."""

    __tablename__ = "change"
    __table_args__ = (
        Index("ix_change_record_field", "record_type", "record_id", "field"),
        Index("ix_change_hlc", "hlc"),
    )

    change_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(Text)  # JSON
    hlc: Mapped[str] = mapped_column(String(80))
    device_id: Mapped[str] = mapped_column(String(36))
    supersedes: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of change ids
    # The bundle a change arrived in; None for changes made on this device.
    bundle_id: Mapped[str | None] = mapped_column(String(36), default=None)
    # The author's signed segment (sync_signed_segment) that carries this change's digest;
    # None for this device's changes not yet exported, and for changes received before 0.4.0.
    segment_seq: Mapped[int | None] = mapped_column(Integer, default=None)


class FieldHead(Base):
    """The change ids currently in force for one field; more than one is a conflict."""

    __tablename__ = "field_head"

    record_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(80), primary_key=True)
    head_ids: Mapped[str] = mapped_column(Text)  # JSON list of change ids
    in_conflict: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


class ThisDevice(Base):
    """This profile's device identity (one row)."""

    __tablename__ = "this_device"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(40))


class ProfileFact(Base):
    """Small facts about the profile: data format, the app that last wrote it, the coach."""

    __tablename__ = "profile_fact"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DemoRecord(Base):
    """Records the demo loaded, so that they can be removed and kept out of bundles."""

    __tablename__ = "demo_record"

    record_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)


def table_of(model: type[Syncable]) -> Table:
    """The table a syncable model is mapped to.

    Syncable is a mixin, not a declarative class, so the type checker cannot see the __table__
    SQLAlchemy gives each model; this asks the model's mapper instead.
    """
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table.")
    return table

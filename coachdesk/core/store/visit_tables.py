"""Tables for visits: the visit, its answers, its next steps, and the forms they were written on.

A visit's answers are one record per top-level form field (a repeat, such as the classrooms of a
learning walk, is one answer holding its rows), with an id derived from the visit and the field,
so that two laptops editing the same answer edit the same record and a conflict is per answer.
Next steps are ActionItem records, never answers, so that due dates and owners are typed data.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coachdesk.core.store.schema import Base, Syncable


class StoredForm(Syncable, Base):
    """The text of a form version a response was written on, so it always renders the same."""

    __tablename__ = "stored_form"
    record_type = "stored_form"

    form_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)


class Visit(Syncable, Base):
    """A school visit, meeting, check-in or learning walk, with its note's form."""

    __tablename__ = "visit"
    record_type = "visit"
    __table_args__ = (
        Index("ix_visit_school_start", "org_id", "starts_at"),
        # What is due reads visits by date across the caseload, and unfinished drafts.
        Index("ix_visit_start", "starts_at"),
        Index("ix_visit_status", "status"),
    )

    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    assignment_id: Mapped[str | None] = mapped_column(ForeignKey("assignment.id"), default=None)
    visit_type: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)  # local time at the school
    ends_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    purpose: Mapped[str | None] = mapped_column(Text, default=None)
    # JSON list of {"contact_id": ..} or {"role": .., "name": ..}: adults only.
    attendees: Mapped[str] = mapped_column(Text, default="[]")
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft | final | shared
    shared_on: Mapped[dt.date | None] = mapped_column(Date, default=None)  # shared with the school
    finalized_at: Mapped[str | None] = mapped_column(String(40), default=None)
    amended_at: Mapped[str | None] = mapped_column(String(40), default=None)
    form_id: Mapped[str | None] = mapped_column(String(80), default=None)
    form_version: Mapped[int | None] = mapped_column(Integer, default=None)
    form_sha256: Mapped[str | None] = mapped_column(String(64), default=None)


class VisitAnswer(Syncable, Base):
    """One answer of a visit's form: a top-level field, or a whole repeat's rows (JSON)."""

    __tablename__ = "visit_answer"
    record_type = "visit_answer"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    field: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(Text, default="null")  # JSON
    # Copied from the form field (none | adult | internal | no-student) for coachdesk 0.3 and
    # older, whose exports filter on it. 0.4 decides from the form definition instead
    # (core/forms/answer_privacy.py) and refuses an incoming value that differs from it.
    privacy: Mapped[str] = mapped_column(String(12), default="none")


class ActionItem(Syncable, Base):
    """A next step agreed at a visit: what, who, by when, and whether it is done."""

    __tablename__ = "action_item"
    record_type = "action_item"
    __table_args__ = (Index("ix_action_item_school_status", "org_id", "status"),)

    visit_id: Mapped[str] = mapped_column(ForeignKey("visit.id"), index=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str | None] = mapped_column(String(200), default=None)
    due: Mapped[dt.date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | done | dropped
    # The later visit at which it was last looked at (marked done, dropped or carried on).
    reviewed_in_visit_id: Mapped[str | None] = mapped_column(String(36), default=None)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, default=None)

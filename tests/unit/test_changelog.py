"""The change log captures every edit of a syncable field, in one place."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from coachdesk.core.store.changelog import HardDeleteError
from coachdesk.core.store.schema import Change, FieldHead, Organization


def _changes(profile, record_id, field=None):
    with profile.reading() as session:
        query = select(Change).where(Change.record_id == record_id).order_by(Change.hlc)
        if field:
            query = query.where(Change.field == field)
        return list(session.execute(query).scalars())


def test_a_new_record_logs_every_field_and_reports_itself(profile):
    with profile.writing() as write:
        school = Organization(kind="school", name="Harbor View Elementary", state="NY")
        write.session.add(school)
    assert write.changes.ids("organization") == {school.id}
    fields = {c.field: json.loads(c.value) for c in _changes(profile, school.id)}
    assert fields["name"] == "Harbor View Elementary"
    assert fields["kind"] == "school"
    assert fields["tz"] == "America/New_York"  # the column default is logged too
    assert "id" not in fields and "updated_hlc" not in fields


def test_an_edit_supersedes_what_its_author_saw(profile):
    with profile.writing() as write:
        school = Organization(kind="school", name="Old name", state="NY")
        write.session.add(school)
    with profile.writing() as write:
        write.session.get(Organization, school.id).name = "New name"
    first, second = _changes(profile, school.id, "name")
    assert json.loads(second.value) == "New name"
    assert json.loads(second.supersedes) == [first.change_id]
    assert second.hlc > first.hlc
    with profile.reading() as session:
        head = session.get(FieldHead, ("organization", school.id, "name"))
    assert json.loads(head.head_ids) == [second.change_id]


def test_an_unchanged_assignment_logs_nothing(profile):
    with profile.writing() as write:
        school = Organization(kind="school", name="Same", state="NY")
        write.session.add(school)
    with profile.writing() as write:
        write.session.get(Organization, school.id).name = "Same"
    assert not write.changes
    assert len(_changes(profile, school.id, "name")) == 1


def test_a_hard_delete_is_refused_and_nothing_changes(profile):
    with profile.writing() as write:
        school = Organization(kind="school", name="Kept", state="NY")
        write.session.add(school)
    with pytest.raises(HardDeleteError):
        with profile.writing() as write:
            write.session.delete(write.session.get(Organization, school.id))
    with profile.reading() as session:
        assert session.get(Organization, school.id).name == "Kept"


def test_a_failed_write_leaves_no_changes_behind(profile):
    with pytest.raises(RuntimeError):
        with profile.writing() as write:
            write.session.add(Organization(kind="school", name="Never", state="NY"))
            write.session.flush()
            raise RuntimeError("the coach's laptop lost power")
    with profile.reading() as session:
        names = session.execute(select(Organization.name)).scalars().all()
    assert "Never" not in names


def test_an_edit_of_a_field_in_conflict_keeps_the_other_laptops_version(tmp_path):
    from coachdesk.sync import conflicts
    from tests.support.sync_world import add_school, make_devices, rename, school_name

    dana, lee = make_devices(tmp_path, ["Dana", "Lee"])
    school = add_school(dana.profile, "Harbor View Elementary")
    lee.take(dana.bundle())
    rename(lee.profile, school, "Harbor View Elementary School")
    rename(dana.profile, school, "Harbor View ES")  # the newer: Dana's laptop shows it
    dana.take(lee.bundle())
    # Dana goes on editing the name without opening Conflicts: Lee's version must not vanish.
    rename(dana.profile, school, "Harbor View E.S.")
    assert school_name(dana.profile, school) == "Harbor View E.S."
    detail = conflicts.conflict_detail(dana.profile, "organization", school, "name")
    assert [(v.written_by, v.text) for v in detail.versions] == [
        ("this laptop", "Harbor View E.S."),
        ("Lee", "Harbor View Elementary School"),
    ]
    assert detail.base.text == "Harbor View Elementary"
    # Lee sees the same two versions once Dana's bundle arrives.
    lee.take(dana.bundle())
    listed = conflicts.list_conflicts(lee.profile)
    assert [(c.record_id, c.versions) for c in listed] == [(school, 2)]
    # Typing Lee's version on Dana's laptop leaves nothing to choose between.
    rename(dana.profile, school, "Harbor View Elementary School")
    assert conflicts.list_conflicts(dana.profile) == []
    for d in (dana, lee):
        d.profile.close()

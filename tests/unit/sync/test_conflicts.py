"""Conflicts: listed, shown side by side with a merge proposal, resolved by a new change."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coachdesk.core.store.schema import CoachingFlag, FieldHead
from coachdesk.sync import conflicts
from coachdesk.sync.textmerge import merge3
from tests.support.sync_world import add_school, rename, school_name, snapshot


def _conflicting_names(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    lee.take(dana.bundle())
    rename(dana.profile, school, "Harbor View ES")
    rename(lee.profile, school, "Harbor View Elementary School")
    dana.take(lee.bundle())
    return dana, lee, school


def test_a_conflict_is_listed_with_both_versions_and_the_one_shown(pair):
    dana, lee, school = _conflicting_names(pair)
    listed = conflicts.list_conflicts(dana.profile)
    assert [(c.record_id, c.field, c.versions) for c in listed] == [(school, "name", 2)]
    assert "school or district" in listed[0].record_label
    assert conflicts.conflicted_fields(dana.profile, "organization") == {school: ("name",)}
    detail = conflicts.conflict_detail(dana.profile, "organization", school, "name")
    assert [v.text for v in detail.versions] == ["Harbor View Elementary School", "Harbor View ES"]
    assert [v.written_by for v in detail.versions] == ["Lee", "this laptop"]
    assert detail.versions[0].shown and not detail.versions[1].shown
    assert detail.base.text == "Harbor View Elementary"
    assert detail.proposal is None  # a name: the coach chooses


def test_two_laptops_making_the_same_edit_is_not_a_conflict(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    lee.take(dana.bundle())
    rename(dana.profile, school, "Harbor View ES")
    rename(lee.profile, school, "Harbor View ES")
    outcome = dana.take(lee.bundle())
    assert outcome.new_conflicts == 0
    assert conflicts.list_conflicts(dana.profile) == []
    assert school_name(dana.profile, school) == "Harbor View ES"
    # Once Lee has both versions, Lee's next edit supersedes both: neither comes back.
    lee.take(dana.bundle())
    assert conflicts.list_conflicts(lee.profile) == []
    rename(lee.profile, school, "Harbor View Elementary School")
    dana.take(lee.bundle())
    assert school_name(dana.profile, school) == "Harbor View Elementary School"
    assert conflicts.list_conflicts(dana.profile) == []


def test_choosing_the_version_already_shown_still_resolves_it_everywhere(pair):
    dana, lee, school = _conflicting_names(pair)
    shown = school_name(dana.profile, school)
    summary = conflicts.resolve_conflict(dana.profile, "organization", school, "name", shown)
    assert summary.ids("organization") == {school}
    assert conflicts.list_conflicts(dana.profile) == []
    lee.take(dana.bundle())
    assert conflicts.list_conflicts(lee.profile) == []
    assert school_name(lee.profile, school) == shown
    assert snapshot(dana.profile) == snapshot(lee.profile)
    with lee.profile.reading() as session:
        head = session.get(FieldHead, ("organization", school, "name"))
        assert len(json.loads(head.head_ids)) == 1


def test_a_note_edited_on_two_laptops_gets_a_three_way_merge_proposal(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    base = "Principal wants walkthroughs.\nFocus: grade 3 reading.\nNext visit in May.\n"
    with dana.profile.writing() as write:
        flag = CoachingFlag(
            org_id=school, reason="attendance", note=base, start=dt.date(2026, 11, 2)
        )
        write.session.add(flag)
    lee.take(dana.bundle())
    with dana.profile.writing() as write:
        write.session.get(CoachingFlag, flag.id).note = base.replace(
            "walkthroughs", "two walkthroughs"
        )
    with lee.profile.writing() as write:
        write.session.get(CoachingFlag, flag.id).note = base.replace("in May", "on May 12")
    dana.take(lee.bundle())
    detail = conflicts.conflict_detail(dana.profile, "coaching_flag", flag.id, "note")
    assert detail.proposal_clean
    assert detail.proposal == (
        "Principal wants two walkthroughs.\nFocus: grade 3 reading.\nNext visit on May 12.\n"
    )
    conflicts.resolve_conflict(dana.profile, "coaching_flag", flag.id, "note", detail.proposal)
    with dana.profile.reading() as session:
        assert session.get(CoachingFlag, flag.id).note == detail.proposal


def test_overlapping_edits_are_shown_between_markers():
    result = merge3("a\nb\nc\n", "a\nB1\nc\n", "a\nB2\nc\n", ours_label="Dana", theirs_label="Lee")
    assert not result.clean
    assert result.text == "a\n<<<<<<< Dana\nB1\n=======\nB2\n>>>>>>> Lee\nc\n"
    same = merge3("a\nb\n", "a\nx\n", "a\nx\n", ours_label="Dana", theirs_label="Lee")
    assert same.clean and same.text == "a\nx\n"


def test_a_value_that_does_not_fit_is_refused(pair):
    dana, lee, school = _conflicting_names(pair)
    with pytest.raises(Exception, match="does not fit"):
        conflicts.resolve_conflict(dana.profile, "organization", school, "name", 42)
    assert len(conflicts.list_conflicts(dana.profile)) == 1

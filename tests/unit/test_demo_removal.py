"""Removing the demo caseload: only its records go, the coach's own work stays, and bundles
leave the demo on the laptop unless the coach asks (issue 12)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import delete, func, select

from coachdesk.core import organizations, visits
from coachdesk.core.caseload import list_caseload
from coachdesk.core.coach import get_coach
from coachdesk.core.demo import DEMO_LOADED, load_demo, run_loaders
from coachdesk.core.demo.collect import DemoSink
from coachdesk.core.demo.records import list_earlier_demo, listed
from coachdesk.core.demo.removal import has_demo, remove_demo
from coachdesk.core.store.profile import Profile, open_profile
from coachdesk.core.store.schema import Change, DemoRecord, Organization, ProfileFact
from coachdesk.core.store.visit_tables import Visit
from coachdesk.core.tracking_records.due import due_entries
from coachdesk.core.visits import list_visits, search
from coachdesk.sync.export import build_bundle, export_bundle
from coachdesk.sync.reader import read_bundle_file
from tests.support.sync_world import make_devices

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "profiles"
DEMO_SCHOOL = "Lincoln Park Elementary School"
DEMO_DISTRICT = "Port Hadley City School District"
DEMO_CONTACT = "Marisol Nuñez"


def _org_id(profile: Profile, name: str) -> str:
    with profile.reading() as session:
        return session.execute(
            select(Organization.id).where(Organization.name == name)
        ).scalar_one()


def _live(profile: Profile, model) -> int:
    with profile.reading() as session:
        return session.execute(
            select(func.count()).select_from(model).where(model.deleted_at.is_(None))
        ).scalar_one()


def _own_school(profile: Profile, name: str = "Øyelaran Community School") -> tuple[str, str]:
    district = organizations.add_district(profile, name="Hudson Falls District", state="NY")
    school = organizations.add_school(profile, name=name, district_id=district.id)
    return district.id, school.id


def _visit(profile: Profile, school_id: str, day: int) -> str:
    return visits.start_visit(
        profile, school_id, visit_type="onsite", starts_at=dt.datetime(2026, 11, day, 9, 30)
    )


def test_loading_the_demo_lists_every_record_it_added_and_nothing_of_the_coach(demo):
    with demo.reading() as session:
        demo_ids = listed(session)
        coach_id = session.get(ProfileFact, "coach_id").value
    assert demo_ids["organization"] and demo_ids["visit"] and demo_ids["measurement"]
    assert "coach" not in demo_ids and "stored_form" not in demo_ids  # the profile's, shared
    assert coach_id not in {i for ids in demo_ids.values() for i in ids}
    with demo.reading() as session:
        for kind, ids in demo_ids.items():
            # every record of these types in a fresh demo profile is the demo's
            model = {m.record_type: m for m in _models()}[kind]
            assert session.execute(select(func.count()).select_from(model)).scalar_one() == len(
                ids
            ), kind


def _models():
    from coachdesk.core.store.changelog import SYNCABLE

    return SYNCABLE.values()


def test_the_loaders_work_out_the_same_ids_without_adding_anything(demo):
    """What lets a profile that loaded the demo before the list existed find its demo."""
    with demo.reading() as session:
        loaded = listed(session)
        sink = DemoSink(session, adding=False)
        run_loaders(session, sink, today=dt.date.today())
        assert not session.new
    assert sink.added == 0
    assert sink.noted_and_present() == loaded


def test_removing_the_demo_leaves_an_empty_caseload_and_says_what_went(demo):
    today = dt.date.today()
    assert list_caseload(demo) and list_visits(demo) and search(demo, DEMO_CONTACT)
    assert has_demo(demo)
    removal = remove_demo(demo)
    assert not has_demo(demo)
    assert removal.found and not removal.kept
    assert removal.removed["organization"] == 33 and removal.removed["visit"] > 100
    sentence = removal.sentence
    assert sentence.startswith("Removed the demo caseload (")
    assert "33 schools and districts" in sentence and "next steps" in sentence
    assert "Your own records are unchanged." in sentence
    # Nothing of the demo is left to find: caseload, visits, search, Today.
    assert list_caseload(demo) == [] and list_visits(demo) == []
    assert search(demo, DEMO_CONTACT) == [] and search(demo, "benchmark platform") == []
    assert due_entries(demo, today) == []
    assert _live(demo, Organization) == 0 and _live(demo, Visit) == 0
    # Deleted the normal way: one tombstone change per record, in the log that bundles carry.
    with demo.reading() as session:
        tombstones = session.execute(
            select(func.count()).select_from(Change).where(Change.field == "deleted_at")
        ).scalar_one()
        assert session.get(ProfileFact, DEMO_LOADED) is None
    assert tombstones >= sum(removal.removed.values())
    # The demo's coach no longer signs the coach's summaries.
    assert get_coach(demo).name != "Jordan Ellery" and removal.coach_name == get_coach(demo).name
    assert get_coach(demo).contact_line == ""  # nor does the demo's contact line print
    again = remove_demo(demo)
    assert not again.found
    assert again.sentence == "There is no demo caseload in this profile; nothing was removed."


def test_the_coachs_own_work_stays_and_the_demo_school_holding_it_too(demo):
    own_district, own_school = _own_school(demo)
    demo_school = _org_id(demo, DEMO_SCHOOL)
    mine = [_visit(demo, demo_school, 17), _visit(demo, demo_school, 18)]
    own_visit = _visit(demo, own_school, 19)
    # An own school in a demo district keeps that district.
    in_demo_district = organizations.add_school(
        demo, name="Nguyễn Thị Minh Academy", district_id=_org_id(demo, DEMO_DISTRICT)
    ).id
    removal = remove_demo(demo)
    assert f"Kept {DEMO_SCHOOL}: it holds 2 visits of yours." in removal.sentence
    assert f"Kept {DEMO_DISTRICT}: it holds 1 school of yours." in removal.sentence
    assert {p.name for p in removal.kept} == {DEMO_SCHOOL, DEMO_DISTRICT}
    left = {v.id for v in list_visits(demo)}
    assert left == {*mine, own_visit}
    with demo.reading() as session:
        live = {
            o.name
            for o in session.execute(select(Organization).where(Organization.deleted_at.is_(None)))
            .scalars()
            .all()
        }
        still_listed = listed(session)
    assert live == {
        "Hudson Falls District",
        "Øyelaran Community School",
        "Nguyễn Thị Minh Academy",
        DEMO_SCHOOL,
        DEMO_DISTRICT,
    }
    # What stays is the coach's now: no longer listed as the demo's.
    assert demo_school not in still_listed["organization"]
    assert {own_district, own_school, in_demo_district}.isdisjoint(still_listed["organization"])
    # The demo school's own demo visits and contacts went.
    assert search(demo, DEMO_CONTACT) == []
    assert remove_demo(demo).found is False


def test_a_profile_that_loaded_the_demo_before_it_was_listed_finds_it(tmp_path):
    """format-1.sqlite holds the demo caseload and five visits of the coach's own."""
    folder = tmp_path / "profile"
    folder.mkdir()
    shutil.copy(FIXTURES / "format-1.sqlite", folder / "coachdesk.sqlite")
    profile = open_profile(folder)  # migrates to the newest data format
    day = dt.date(2026, 11, 23)  # the day the fixture was made
    try:
        with profile.writing() as write:
            write.session.add(ProfileFact(key=DEMO_LOADED, value=day.isoformat()))
        own_visits = {v.id for v in list_visits(profile)}
        assert len(own_visits) == 5
        assert has_demo(profile)
        removal = remove_demo(profile, today=day)
        assert removal.found
        # The caseload was the demo's; the five visits were the coach's and stay, each with
        # the school it was made at.
        assert removal.removed["organization"] + len(removal.kept) > 20
        assert len([p for p in removal.kept if p.holds.get("visit")]) == 5
        assert {v.id for v in list_visits(profile)} == own_visits
        assert all("it holds 1 visit" in p.sentence for p in removal.kept if p.holds.get("visit"))
        assert not remove_demo(profile, today=day).found
    finally:
        profile.close()


def test_listing_an_earlier_demo_is_exact_and_happens_once(demo):
    with demo.writing() as write:
        before = listed(write.session)
        write.session.execute(delete(DemoRecord))
    with demo.writing() as write:
        assert list_earlier_demo(write.session, today=dt.date.today()) == sum(
            len(ids) for ids in before.values()
        )
        assert listed(write.session) == before
        assert list_earlier_demo(write.session, today=dt.date.today()) == 0


def test_loading_after_removing_brings_the_demo_back(demo):
    count = len(list_caseload(demo))
    remove_demo(demo)
    again = load_demo(demo)
    assert again.added > 1000 and len(list_caseload(demo)) == count
    assert search(demo, DEMO_CONTACT)


def test_a_bundle_leaves_the_demo_out_unless_asked(tmp_path):
    dana, lee, sam = make_devices(tmp_path, ["Dana", "Lee", "Sam"])
    load_demo(dana.profile)
    _own_district, own_school = _own_school(dana.profile)
    _visit(dana.profile, own_school, 20)

    result = export_bundle(dana.profile, tmp_path / "mine.coachdesk", to=["Lee"])
    assert result.demo_left_out > 10_000 and "demo caseload" in result.sentence()
    report = lee.take(read_bundle_file(tmp_path / "mine.coachdesk"))
    assert report.missing_earlier == 0
    with lee.profile.reading() as session:
        names = set(session.execute(select(Organization.name)).scalars())
    assert names == {"Hudson Falls District", "Øyelaran Community School"}
    assert len(list_visits(lee.profile)) == 1 and list_caseload(lee.profile) == []

    everything = export_bundle(
        dana.profile, tmp_path / "all.coachdesk", to=["Sam"], include_demo=True
    )
    assert everything.demo_left_out == 0
    sam.take(read_bundle_file(tmp_path / "all.coachdesk"))
    assert _live(sam.profile, Organization) == 35
    assert len(list_visits(sam.profile)) == len(list_visits(dana.profile))


def test_an_own_visit_at_a_demo_school_travels_with_the_school_it_needs(tmp_path):
    dana, lee = make_devices(tmp_path, ["Dana", "Lee"])
    load_demo(dana.profile)
    mine = _visit(dana.profile, _org_id(dana.profile, DEMO_SCHOOL), 16)
    data, header = build_bundle(dana.profile, dana.keys, [])
    lee.take(data)  # merges whole: nothing it needs was left out
    with lee.profile.reading() as session:
        names = set(session.execute(select(Organization.name)).scalars())
    assert names == {DEMO_SCHOOL, DEMO_DISTRICT}
    assert [v.id for v in list_visits(lee.profile)] == [mine]
    assert search(lee.profile, DEMO_CONTACT) == []  # the demo school's contacts stayed home


def test_a_laptop_that_received_the_demo_drops_it_when_it_is_removed(tmp_path):
    dana, dana_home = make_devices(tmp_path, ["Dana", "Dana at home"])
    load_demo(dana.profile)
    export_bundle(
        dana.profile, tmp_path / "with-demo.coachdesk", to=["Dana at home"], include_demo=True
    )
    dana_home.take(read_bundle_file(tmp_path / "with-demo.coachdesk"))
    assert list_caseload(dana_home.profile)

    remove_demo(dana.profile)
    export_bundle(dana.profile, tmp_path / "after.coachdesk", to=["Dana at home"])
    dana_home.take(read_bundle_file(tmp_path / "after.coachdesk"))
    assert list_caseload(dana_home.profile) == [] and list_visits(dana_home.profile) == []
    assert search(dana_home.profile, DEMO_CONTACT) == []


def test_a_demo_that_never_left_the_laptop_sends_no_tombstones(tmp_path):
    dana, lee = make_devices(tmp_path, ["Dana", "Lee"])
    load_demo(dana.profile)
    remove_demo(dana.profile)
    data, header = build_bundle(dana.profile, dana.keys, [])
    assert "organization" not in header.record_counts and "visit" not in header.record_counts
    lee.take(data)
    conn = sqlite3.connect(lee.profile.db_path)
    try:
        assert conn.execute("SELECT count(*) FROM organization").fetchone()[0] == 0
    finally:
        conn.close()


def test_a_laptop_that_received_the_demo_can_remove_it_itself(tmp_path):
    dana, lee = make_devices(tmp_path, ["Dana", "Lee"])
    load_demo(dana.profile)
    export_bundle(dana.profile, tmp_path / "demo.coachdesk", to=["Lee"], include_demo=True)
    lee.take(read_bundle_file(tmp_path / "demo.coachdesk"))
    _own_district, own_school = _own_school(lee.profile)
    removal = remove_demo(lee.profile)
    assert removal.found and removal.removed["organization"] == 33
    assert [r.school_name for r in list_caseload(lee.profile)] == []
    with lee.profile.reading() as session:
        assert session.get(Organization, own_school).deleted_at is None
    assert list_caseload(dana.profile)  # Dana's own demo is hers to remove


def test_loading_the_demo_gives_the_coachs_own_schools_no_fictional_records(profile):
    from coachdesk.core.assignments import AssignmentFields, assign
    from coachdesk.core.store.tracking_tables import Indicator

    _district, school = _own_school(profile)
    assign(profile, school, AssignmentFields("NY_RCV", receivership_year=2))
    load_demo(profile)
    assert [v for v in list_visits(profile) if v.school_id == school] == []
    with profile.reading() as session:
        indicators = session.execute(
            select(func.count()).select_from(Indicator).where(Indicator.org_id == school)
        ).scalar_one()
    assert indicators == 0
    remove_demo(profile)
    assert [r.school_id for r in list_caseload(profile)] == [school]

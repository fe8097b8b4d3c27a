"""Importing dated events (OISR sessions, needs-assessment windows) from .ics and CSV files."""

from __future__ import annotations

import datetime as dt

import pytest

from coachdesk.core.errors import RefusedInput
from coachdesk.core.tracking_records.due import due_entries
from coachdesk.core.tracking_records.events_import import audiences, import_events, preview_events

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//OISR//Sessions//EN\r
BEGIN:VEVENT\r
UID:1@oisr\r
DTSTART;VALUE=DATE:20270120\r
SUMMARY:OISR session: Receivership\r
  continuation planning\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:2@oisr\r
DTSTART;TZID=America/New_York:20270303T090000\r
DTEND;TZID=America/New_York:20270303T150000\r
SUMMARY:Needs assessment window opens\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:3@oisr\r
SUMMARY:A session with no date\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _ny_schools(profile) -> list[tuple[str, str, str]]:
    return (
        profile.quick_connection()
        .execute(
            "SELECT o.id, o.name, o.state_id FROM organization o"
            " JOIN assignment a ON a.org_id = o.id"
            " WHERE a.program_code = 'NY_RCV' AND a.status = 'active' ORDER BY o.name"
        )
        .fetchall()
    )


def _obligations(profile) -> int:
    return profile.quick_connection().execute("SELECT count(*) FROM obligation").fetchone()[0]


def test_a_calendar_file_adds_each_event_for_every_school_of_the_program_once(demo, tmp_path):
    path = tmp_path / "oisr.ics"
    path.write_text(ICS, encoding="utf-8")
    schools = _ny_schools(demo)
    with pytest.raises(RefusedInput, match="choose the school or the program"):
        preview_events(demo, path)
    before = _obligations(demo)
    preview = preview_events(demo, path, program="NY_RCV")
    assert _obligations(demo) == before  # a preview writes nothing
    titles = {(r.day, r.title) for r in preview.rows}
    assert titles == {
        (dt.date(2027, 1, 20), "OISR session: Receivership continuation planning"),
        (dt.date(2027, 3, 3), "Needs assessment window opens"),
    }
    assert [e.message for e in preview.errors] == ["“A session with no date” has no start date."]
    assert preview.new_records == 2 * len(schools)
    import_events(demo, preview)
    assert _obligations(demo) == before + 2 * len(schools)
    again = preview_events(demo, path, program="NY_RCV")
    assert not again.rows and again.already == 2  # importing the same file adds nothing
    with pytest.raises(RefusedInput, match="nothing to import"):
        import_events(demo, again)


def test_an_event_is_listed_as_its_day_comes_near_and_never_overdue(demo_on, tmp_path):
    demo = demo_on(dt.date(2026, 11, 30))  # its schools in NY Receivership for 2026-27
    school_id, name, state_id = _ny_schools(demo)[0]
    path = tmp_path / "events.csv"
    path.write_text(f"date,title,school\n2027-01-20,OISR session,{state_id}\n", encoding="utf-8")
    import_events(demo, preview_events(demo, path))

    def listed(day):
        return [
            e
            for e in due_entries(demo, day)
            if e.item.rule_id == "all.event" and e.item.school_id == school_id
        ]

    assert not listed(dt.date(2026, 11, 30))  # seven weeks ahead: not yet
    soon = listed(dt.date(2027, 1, 15))
    assert [e.item.what for e in soon] == ["OISR session"] and e_group(soon) == "This week"
    assert listed(dt.date(2027, 1, 20))[0].item.state.value == "due today"
    assert not listed(dt.date(2027, 1, 21))  # the day has passed: gone, not overdue


def e_group(entries) -> str:
    return entries[0].group.value


def test_csv_rows_are_checked_one_by_one_with_a_sentence_each(demo, tmp_path):
    school_id, name, state_id = _ny_schools(demo)[0]
    path = tmp_path / "events.csv"
    path.write_text(
        "date,title,school,program,kind,room\n"
        f"2027-02-01,Data day,{state_id},,,\n"
        f"01/02/2027,Bad date,{state_id},,,\n"
        "2027-02-02,Nowhere,No Such School,,,\n"
        f"2027-02-03,,{state_id},,,\n"
        "2027-02-04,All NY,,NY_RCV,OISRSession,\n"
        f"2027-02-05,Both,{state_id},NY_RCV,,\n"
        f"2027-02-06,Odd kind,{state_id},,Party,\n"
        f"2027-02-01,Data day,{state_id},,,\n"
        "too,few\n",
        encoding="utf-8",
    )
    preview = preview_events(demo, path)
    assert [(r.line, r.title) for r in preview.rows] == [(2, "Data day"), (6, "All NY")]
    assert preview.rows[1].kind == "OISRSession"
    messages = {e.line: e.message for e in preview.errors}
    assert "room" in messages[1] and "ignored" in messages[1]
    assert "YYYY-MM-DD" in messages[3]
    assert "not in the caseload" in messages[4]
    assert "no title" in messages[5]
    assert "both a school and a program" in messages[7]
    assert "Party" in messages[8] and "OISRSession" in messages[8]
    assert "repeats line 2" in messages[9]
    assert "cells" in messages[10]


def test_files_coachdesk_cannot_read_are_refused_in_a_sentence(demo, tmp_path):
    missing = tmp_path / "nope.ics"
    with pytest.raises(RefusedInput, match="could not be read"):
        preview_events(demo, missing, program="NY_RCV")
    fake = tmp_path / "fake.ics"
    fake.write_text("hello", encoding="utf-8")
    with pytest.raises(RefusedInput, match="not an iCalendar file"):
        preview_events(demo, fake, program="NY_RCV")
    broken = tmp_path / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:garbage\n", encoding="utf-8")
    with pytest.raises(RefusedInput):
        preview_events(demo, broken, program="NY_RCV")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("date,title,school\n2027-01-01,Caf\xe9,x\n".encode("latin-1"))
    with pytest.raises(RefusedInput, match="UTF-8"):
        preview_events(demo, latin)
    headless = tmp_path / "headless.csv"
    headless.write_text("when,what\n2027-01-01,x\n", encoding="utf-8")
    with pytest.raises(RefusedInput, match="date, title and school"):
        preview_events(demo, headless)
    with pytest.raises(RefusedInput, match="no schools here"):
        preview_events(demo, _ics(tmp_path), program="TX_TEA")


def _ics(tmp_path):
    path = tmp_path / "ok.ics"
    path.write_text(ICS, encoding="utf-8")
    return path


def test_audiences_offer_each_program_then_each_school(demo):
    found = audiences(demo)
    programs = [a for a in found if a.program]
    assert {a.program for a in programs} == {"NY_RCV", "MA_SSOS", "OH_NNPS"}
    assert found[: len(programs)] == programs
    assert all(a.label.startswith("Every ") for a in programs)
    names = [a.label for a in found if a.school]
    assert names == sorted(names, key=str.casefold) and len(names) == len(set(names))


def test_the_calendar_shows_an_event_for_many_schools_once_near_or_far(demo, tmp_path):
    from coachdesk.core.tracking_records.calendar import month_events

    schools = _ny_schools(demo)
    path = tmp_path / "events.csv"
    path.write_text(
        "date,title,program\n2027-01-20,OISR session,NY_RCV\n2027-04-14,Convening,NY_RCV\n",
        encoding="utf-8",
    )
    import_events(demo, preview_events(demo, path))
    near = dt.date(2027, 1, 15)  # the session is listed on Today for each school
    january = month_events(demo, 2027, 1, due_entries(demo, near))
    lines = [e.text for e in january[dt.date(2027, 1, 20)]]
    assert lines.count(f"Event: OISR session ({len(schools)} schools)") == 1
    assert not any(line.startswith("Due: OISR") for line in lines)
    april = month_events(demo, 2027, 4, due_entries(demo, near))  # far ahead: not on Today
    assert [e.text for e in april[dt.date(2027, 4, 14)] if e.kind == "event"] == [
        f"Event: Convening ({len(schools)} schools)"
    ]

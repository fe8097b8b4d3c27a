"""Indicator status from the profile, recording a measurement, and the CSV import."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from coachdesk.core.errors import RefusedInput
from coachdesk.core.store.schema import Assignment, Coach, Organization
from coachdesk.core.store.tracking_tables import Indicator, Target
from coachdesk.core.tracking_records.csv_import import import_rows, preview_csv, preview_text
from coachdesk.core.tracking_records.facts_query import read_indicators
from coachdesk.core.tracking_records.indicators import (
    parse_value,
    program_summaries,
    record_measurement,
    school_indicators,
)

TODAY = dt.date.today()
YEAR_START = TODAY.year if TODAY.month >= 7 else TODAY.year - 1
EARLY = dt.date(YEAR_START, 7, 1)  # the first day of this school year, never after today


@pytest.fixture
def school(profile):
    """A NY school with a percent DII, a yes/no DII and a stage DII, targets for this year."""
    cps = json.dumps(
        [
            {
                "name": "early",
                "from": EARLY.isoformat(),
                "to": (EARLY + dt.timedelta(days=30)).isoformat(),
                "goal": 40,
            }
        ]
    )
    with profile.writing() as write:
        s = write.session
        coach = Coach(name="Dana")
        org = Organization(
            kind="school", name="Lincoln Park ES", state="NY", state_id="660409010021"
        )
        s.add_all([coach, org])
        s.flush()
        s.add(
            Assignment(
                coach_id=coach.id,
                org_id=org.id,
                program_code="NY_RCV",
                school_year=f"{YEAR_START}-{(YEAR_START + 1) % 100:02d}",
            )
        )
        ids = {}
        for code, vtype, direction, tset, target in (
            ("ELA", "percent", "higher", [], 46),
            ("PLC", "boolean", "in_set", ["yes"], None),
            ("DTSDE", "stage", "in_set", ["3", "4"], None),
        ):
            ind = Indicator(
                org_id=org.id,
                program_code="NY_RCV",
                code=code,
                name=code,
                origin="assigned",
                value_type=vtype,
                direction=direction,
                target_set=json.dumps(tset),
            )
            s.add(ind)
            s.flush()
            s.add(
                Target(
                    indicator_id=ind.id,
                    school_year=f"{YEAR_START}-{(YEAR_START + 1) % 100:02d}",
                    baseline_value=json.dumps(38 if target else None),
                    annual_target=json.dumps(target),
                    checkpoints=cps,
                )
            )
            ids[code] = ind.id
    return {"id": org.id, **ids}


def _status(profile, school, code):
    return {v.code: v for v in school_indicators(profile, school["id"], TODAY)}[code]


def test_status_moves_from_no_data_to_on_track_or_at_risk_as_values_arrive(profile, school):
    assert _status(profile, school, "ELA").status == "no data"
    record_measurement(profile, school["ELA"], as_of=EARLY, value="41.5", checkpoint="early", n=220)
    view = _status(profile, school, "ELA")
    assert view.status == "on track" and view.latest().shown() == "41.5"
    record_measurement(profile, school["PLC"], as_of=EARLY, value="No", checkpoint="early")
    assert _status(profile, school, "PLC").status == "at risk"
    record_measurement(profile, school["DTSDE"], as_of=EARLY, value="stage 3", checkpoint="early")
    assert _status(profile, school, "DTSDE").status == "on track"


def test_a_value_from_a_small_group_is_shown_suppressed(profile, school):
    record_measurement(profile, school["ELA"], as_of=EARLY, value=44, checkpoint="early", n=7)
    latest = _status(profile, school, "ELA").latest()
    assert latest.suppressed and "44" not in latest.shown()


@pytest.mark.parametrize(
    ("value_type", "text", "words"),
    [
        ("percent", "forty", "not a number"),
        ("percent", "140", "between 0 and 100"),
        ("count", "3.5", "whole number"),
        ("rate", "-2", "cannot be negative"),
        ("boolean", "maybe", "yes or no"),
        ("stage", "7", "not a stage"),
        ("scale", "", "Enter a value"),
    ],
)
def test_values_that_do_not_fit_the_type_are_refused(value_type, text, words):
    with pytest.raises(RefusedInput, match=words):
        parse_value(value_type, text)


def test_a_refused_measurement_writes_nothing(profile, school):
    with pytest.raises(RefusedInput):
        record_measurement(profile, school["ELA"], as_of=EARLY, value="n/a")
    assert _status(profile, school, "ELA").measurements == ()


def test_program_summary_counts_each_school_once_by_its_weakest_indicator(profile, school):
    (summary,) = program_summaries(profile, TODAY)
    assert (summary.program_code, summary.no_data, summary.total) == ("NY_RCV", 1, 1)
    for code, value in (("ELA", "30"), ("PLC", "yes"), ("DTSDE", "3")):
        record_measurement(profile, school[code], as_of=EARLY, value=value, checkpoint="early")
    (summary,) = program_summaries(profile, TODAY)
    assert (summary.at_risk, summary.on_track) == (1, 0)  # ELA 30 lags the early goal


def test_csv_preview_reports_every_bad_row_and_writes_nothing_until_confirmed(
    profile, school, tmp_path
):
    d = EARLY.isoformat()
    csv_file = tmp_path / "spring.csv"
    csv_file.write_text(
        "School,Indicator,As of,Value,Checkpoint,n\n"
        f"660409010021,ELA,{d},42.5,early,210\n"
        f"Lincoln Park ES,PLC,{d},yes,early,\n"
        f"Lincoln Park ES,ELA,{d},43,early,210\n"  # duplicate of line 2
        f"Nowhere Academy,ELA,{d},40,early,\n"  # unknown school
        f"Lincoln Park ES,MATH,{d},40,early,\n"  # unknown indicator
        f"Lincoln Park ES,DTSDE,{d},three,early,\n"  # bad stage
        f"Lincoln Park ES,DTSDE,31/10/2026,3,early,\n"  # bad date
        f"Lincoln Park ES,DTSDE,{d},3\n",  # wrong number of cells
        encoding="utf-8",
    )
    preview = preview_csv(profile, csv_file)
    assert [r.line for r in preview.rows] == [2, 3]
    assert {e.line: e.message for e in preview.errors}.keys() == {4, 5, 6, 7, 8, 9}
    messages = " ".join(e.message for e in preview.errors)
    for words in (
        "repeats line 2",
        "Nowhere Academy",
        "MATH",
        "not a stage",
        "not a date",
        "cells",
    ):
        assert words in messages
    assert _status(profile, school, "ELA").measurements == ()  # nothing written yet
    import_rows(profile, preview)
    assert _status(profile, school, "ELA").latest().value == 42.5
    again = preview_csv(profile, csv_file)
    assert any("already recorded" in e.message for e in again.errors)


def test_csv_without_the_needed_columns_is_refused_in_one_sentence(profile, school):
    with pytest.raises(RefusedInput, match="no column value"):
        preview_text(profile, "school,indicator,as_of\nX,ELA,2026-10-01\n")


def test_indicators_with_the_same_checkpoints_each_keep_their_own_target(profile, school):
    # read_indicators parses each distinct target once: equal rows share it, others do not.
    year = f"{YEAR_START}-{(YEAR_START + 1) % 100:02d}"
    facts = {f.indicator.code: f for f in read_indicators(profile, year, {school["id"]})}
    ela, plc, dtsde = facts["ELA"].target, facts["PLC"].target, facts["DTSDE"].target
    assert ela is not None and plc is not None and dtsde is not None
    assert (ela.annual_target, ela.baseline_value) == (46, 38)
    assert (plc.annual_target, plc.baseline_value) == (None, None)
    assert plc == dtsde and ela.checkpoints == plc.checkpoints
    assert [c.goal for c in ela.checkpoints] == [40]
    assert {f.indicator.id for f in facts.values()} == {school[c] for c in ("ELA", "PLC", "DTSDE")}

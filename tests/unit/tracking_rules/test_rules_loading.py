from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coachdesk.core.bundled import resources_dir
from coachdesk.core.programs import program
from coachdesk.core.tracking_rules import RULE_IDS, RulesError, load_rules, shipped_rules
from coachdesk.core.tracking_rules.dates import MonthDay

SHIPPED = resources_dir() / "rules"


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(SHIPPED, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_the_shipped_rules_load_with_the_stated_defaults():
    rules = shipped_rules()
    assert rules.ny.monthly_visit.at_risk_after_day == 20
    assert rules.ny.monthly_visit.months == frozenset({9, 10, 11, 12, 1, 2, 3, 4, 5, 6})
    q2023 = rules.ny.quarterly_reports.years["2023-24"]
    assert [d.isoformat() for d in q2023.dates.values()] == [
        "2023-10-30",
        "2024-01-31",
        "2024-04-30",
        "2024-07-22",
    ]
    assert not q2023.assumed
    assert rules.ny.quarterly_reports.years["2025-26"].assumed
    assert rules.ny.quarterly_reports.years["2026-27"].assumed
    assert rules.ma.pm_windows.minimum_minutes == 90
    assert [str(d) for _, d in rules.oh.coaching_logs.dates] == ["10-15", "01-15", "04-15", "07-15"]
    assert rules.oh.action_plan.dates[0][1] == MonthDay(5, 31)


def test_every_default_no_source_states_is_marked_as_an_assumption():
    for name in ("common.toml", "ny_rcv.toml", "ma_ssos.toml", "oh_nnps.toml"):
        text = (SHIPPED / name).read_text()
        assert "assumption" in text, name
    oh = (SHIPPED / "oh_nnps.toml").read_text()
    for line in oh.splitlines():
        if line.startswith('"Installing"') or line.startswith('"Exploring"'):
            assert "assumption" in line


def test_the_ma_phases_agree_with_the_program_definition():
    rules = shipped_rules()
    defined = program("MA_SSOS").phases
    assert [
        (p.name, (p.first.month, p.first.day), (p.last.month, p.last.day)) for p in rules.ma.phases
    ] == [(p.name, p.start, p.end) for p in defined]


def test_every_oh_stage_has_a_check_in_interval():
    assert set(shipped_rules().oh.check_ins.intervals) == set(program("OH_NNPS").stages)


def test_rule_ids_are_unique_and_name_their_program():
    assert len(set(RULE_IDS)) == len(RULE_IDS)
    assert {rule.split(".")[0] for rule in RULE_IDS} == {"ny", "ma", "oh", "all"}


def test_a_misspelt_key_is_refused_with_file_and_key(rules_copy: Path):
    edit(rules_copy / "ny_rcv.toml", "at_risk_after_day = 20", "at_risk_after_days = 20")
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert caught.value.file == "ny_rcv.toml"
    assert caught.value.key == "monthly_visit.at_risk_after_day"
    assert "ny_rcv.toml" in str(caught.value)


def test_a_wrong_type_is_refused_with_file_and_key(rules_copy: Path):
    edit(rules_copy / "ma_ssos.toml", "minimum_minutes = 90", 'minimum_minutes = "ninety"')
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert (caught.value.file, caught.value.key) == ("ma_ssos.toml", "pm_windows.minimum_minutes")
    assert "whole number" in str(caught.value)


def test_an_impossible_day_is_refused_with_file_and_key(rules_copy: Path):
    edit(rules_copy / "ma_ssos.toml", 'to = "02-29"', 'to = "02-30"')
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert caught.value.key == "pm_windows.windows[1].to"


def test_report_dates_out_of_order_or_outside_their_year_are_refused(rules_copy: Path):
    edit(rules_copy / "ny_rcv.toml", "Q3 = 2027-04-30", "Q3 = 2027-01-30")
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert caught.value.key == "quarterly_reports.dates.2026-27.Q4"
    edit(rules_copy / "ny_rcv.toml", "Q3 = 2027-01-30", "Q3 = 2029-04-30")
    with pytest.raises(RulesError, match="outside the 2026-27"):
        load_rules(rules_copy)


def test_an_unknown_stage_interval_and_invalid_toml_are_refused(rules_copy: Path):
    edit(rules_copy / "oh_nnps.toml", '"Installing" = "6 weeks"', '"Installing" = "sometimes"')
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert caught.value.key == "check_ins.intervals.Installing"
    (rules_copy / "oh_nnps.toml").write_text("program = \n")
    with pytest.raises(RulesError, match="not valid TOML"):
        load_rules(rules_copy)


def test_a_missing_file_or_a_file_for_another_program_is_refused(rules_copy: Path):
    shutil.copy(rules_copy / "ma_ssos.toml", rules_copy / "oh_nnps.toml")
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert (caught.value.file, caught.value.key) == ("oh_nnps.toml", "program")
    (rules_copy / "common.toml").unlink()
    with pytest.raises(RulesError, match="common.toml is missing"):
        load_rules(rules_copy)

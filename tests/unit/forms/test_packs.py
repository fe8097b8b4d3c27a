"""Shipped packs, content hashes, the lock file, listing, stored definitions and the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coachdesk.cli import main
from coachdesk.core.bundled import forms_dir
from coachdesk.core.forms import (
    StoredFormError,
    check_forms,
    find_definition,
    forms_for_visit,
    list_forms,
    load_stored_definition,
    parse_form,
    publish_pack,
)

BROKEN = Path(__file__).resolve().parents[2] / "fixtures" / "forms" / "broken"


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    """A writable copy of the shipped form packs."""
    root = tmp_path / "forms"
    shutil.copytree(forms_dir(), root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_shipped_packs_are_clean_and_every_version_is_published():
    reports = check_forms()
    assert {r.folder.name for r in reports} == {"ny_rcv", "ma_ssos", "oh_nnps"}
    for report in reports:
        assert report.ok, [str(p) for p in report.problems]
        assert report.forms and all(f.published for f in report.forms)
    titles = {f.form_id for f in list_forms()}
    assert titles == {
        "ny_rcv_monthly_visit",
        "ma_ssos_visit",
        "ma_learning_walk",
        "ma_pm_meeting",
        "oh_nnps_check_in",
    }


def test_forms_are_listed_per_program_and_visit_type():
    assert [d.form_id for d in forms_for_visit("MA_SSOS", "learning_walk")] == ["ma_learning_walk"]
    assert [d.form_id for d in forms_for_visit("MA_SSOS", "pm_meeting")] == ["ma_pm_meeting"]
    assert [d.form_id for d in forms_for_visit("NY_RCV", "onsite")] == ["ny_rcv_monthly_visit"]
    assert [d.form_id for d in forms_for_visit("OH_NNPS", "check_in")] == ["oh_nnps_check_in"]
    assert forms_for_visit("NY_RCV", "learning_walk") == []


def test_hash_ignores_layout_and_comments_but_not_content():
    path = forms_dir() / "ny_rcv" / "ny_rcv_monthly_visit.v1.yaml"
    text = path.read_text(encoding="utf-8")
    original = parse_form(text, "a").definition.sha256
    relaid = "# a new comment\n" + text.replace("  version: 1\n", "  version:    1   # v1\n")
    assert parse_form(relaid, "b").definition.sha256 == original
    changed = text.replace("label: Agreements\n", "label: Agreements reached\n")
    assert parse_form(changed, "c").definition.sha256 != original


def test_editing_a_published_version_fails_the_check_and_makes_it_unavailable(packs, capsys):
    path = packs / "ma_ssos" / "ma_pm_meeting.v2.yaml"
    path.write_text(path.read_text().replace("title: Progress-monitoring meeting", "title: PM"))
    report = {r.folder.name: r for r in check_forms(packs)}["ma_ssos"]
    assert not report.ok
    assert any("published and its content has changed" in str(p) for p in report.problems)
    edited = next(f for f in report.forms if f.form_id == "ma_pm_meeting" and f.version == 2)
    assert not edited.available and "new version" in edited.reason
    # New meetings get the last version that is still intact.
    offered = forms_for_visit("MA_SSOS", "pm_meeting", root=packs)
    assert [(d.form_id, d.version) for d in offered] == [("ma_pm_meeting", 1)]
    # The other forms of the pack are still offered: a broken form never stops the rest.
    assert [d.form_id for d in forms_for_visit("MA_SSOS", "learning_walk", root=packs)]
    assert main(["--data-dir", str(packs.parent / "p"), "forms", "check", str(packs)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:1: ma_pm_meeting@2: this version is published" in out


def test_a_new_version_is_a_draft_until_published_then_offered(packs):
    old = packs / "ny_rcv" / "ny_rcv_monthly_visit.v1.yaml"
    new = packs / "ny_rcv" / "ny_rcv_monthly_visit.v2.yaml"
    new.write_text(
        old.read_text()
        .replace("version: 1", "version: 2")
        .replace("label: Agreements\n", "label: Agreements reached\n")
    )
    assert [d.version for d in forms_for_visit("NY_RCV", "onsite", root=packs)] == [1]
    assert publish_pack(packs / "ny_rcv") == ["ny_rcv_monthly_visit@2"]
    assert [d.version for d in forms_for_visit("NY_RCV", "onsite", root=packs)] == [2]
    assert find_definition("ny_rcv_monthly_visit", 1, root=packs).version == 1
    assert publish_pack(packs / "ny_rcv") == []


def test_a_broken_file_is_listed_as_unavailable_with_its_reason(packs):
    shutil.copy(BROKEN / "unknown_type.yaml", packs / "ny_rcv" / "zz_broken.yaml")
    forms = list_forms("NY_RCV", root=packs)
    broken = next(f for f in forms if f.path.name == "zz_broken.yaml")
    assert not broken.available
    assert "unknown type 'paragraph'" in broken.reason
    assert [d.form_id for d in forms_for_visit("NY_RCV", "onsite", root=packs)] == [
        "ny_rcv_monthly_visit"
    ]


def test_a_form_in_the_wrong_program_folder_is_reported(packs):
    shutil.copy(packs / "oh_nnps" / "oh_nnps_check_in.v1.yaml", packs / "ny_rcv" / "oh_copy.yaml")
    report = {r.folder.name: r for r in check_forms(packs)}["ny_rcv"]
    assert any("sits in the ny_rcv pack" in str(p) for p in report.problems)


def test_stored_text_renders_a_version_no_longer_shipped(packs):
    path = packs / "oh_nnps" / "oh_nnps_check_in.v1.yaml"
    stored_text = path.read_text()
    shipped = parse_form(stored_text, str(path)).definition
    path.unlink()
    assert find_definition("oh_nnps_check_in", 1, root=packs) is None
    restored = load_stored_definition(stored_text, expected_sha256=shipped.sha256)
    assert restored.key == "oh_nnps_check_in@1"
    assert restored.sha256 == shipped.sha256
    assert restored.field("stage").choices.label_of("full") == "Full implementation"


def test_stored_text_that_does_not_match_its_hash_is_refused():
    text = (forms_dir() / "oh_nnps" / "oh_nnps_check_in.v1.yaml").read_text()
    with pytest.raises(StoredFormError, match="does not match"):
        load_stored_definition(text.replace("Challenges", "Hurdles"), expected_sha256="0" * 64)
    with pytest.raises(StoredFormError, match="cannot be read"):
        load_stored_definition("settings: [", expected_sha256=None)


def test_cli_check_is_clean_on_shipped_forms(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "forms", "check"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert all(line.endswith(": ok") for line in lines)


def test_cli_check_prints_every_error_and_exits_1(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "forms", "check", str(BROKEN)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{BROKEN / 'undefined_choices.yaml'}:12: mood: the choice list 'moods' is not defined."
        in out
    )
    assert out.count("\n") >= 1 + len(list(BROKEN.glob("*.yaml")))


def test_cli_check_on_a_missing_folder_is_a_refused_input(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "forms", "check", str(tmp_path / "nowhere")]) == 1
    assert "is not a folder of form packs" in capsys.readouterr().err

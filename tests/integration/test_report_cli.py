"""`coachdesk report visit` end to end, as a coach (or a script) would run it."""

from __future__ import annotations

import shutil
from pathlib import Path

from pypdf import PdfReader

from coachdesk.core.store.profile import open_profile
from coachdesk.core.visits import list_visits
from tests.support.cli import coachdesk


def a_visit(profile_dir: Path) -> tuple[str, str]:
    """The newest final visit of the demo profile: (id, school)."""
    profile = open_profile(profile_dir)
    try:
        row = next(r for r in list_visits(profile) if r.status == "final")
    finally:
        profile.close()
    return row.id, row.school_name


def test_report_visit_writes_a_summary_pdf(demo_template: Path, tmp_path: Path) -> None:
    profile_dir = tmp_path / "profile"
    shutil.copytree(demo_template, profile_dir)
    visit_id, school = a_visit(profile_dir)
    out = tmp_path / "out" / "summary.pdf"
    out.parent.mkdir()

    done = coachdesk(profile_dir, "report", "visit", visit_id, "-o", str(out))

    assert done.returncode == 0, done.stderr
    assert f"Wrote {out}" in done.stdout and school in done.stdout
    reader = PdfReader(out)
    assert 1 <= len(reader.pages) <= 2
    assert school in reader.pages[0].extract_text()
    assert sorted(p.name for p in out.parent.iterdir()) == ["summary.pdf"]  # no temporary left

    large = tmp_path / "out" / "large.pdf"
    done = coachdesk(profile_dir, "report", "visit", visit_id, "-o", str(large), "--large-print")
    assert done.returncode == 0, done.stderr
    assert len(PdfReader(large).pages) >= len(reader.pages)


def test_report_visit_refuses_an_unknown_visit(demo_template: Path, tmp_path: Path) -> None:
    profile_dir = tmp_path / "profile"
    shutil.copytree(demo_template, profile_dir)
    out = tmp_path / "summary.pdf"

    done = coachdesk(profile_dir, "report", "visit", "no-such-visit", "-o", str(out))

    assert done.returncode == 1
    assert done.stderr.strip() == "coachdesk: There is no visit with id no-such-visit."
    assert not out.exists()
    assert list(tmp_path.glob(".summary.pdf*")) == []


def test_report_visit_refuses_a_file_that_is_not_a_pdf(demo_template: Path, tmp_path: Path):
    profile_dir = tmp_path / "profile"
    shutil.copytree(demo_template, profile_dir)
    visit_id, _ = a_visit(profile_dir)

    done = coachdesk(profile_dir, "report", "visit", visit_id, "-o", str(tmp_path / "x.txt"))

    assert done.returncode == 1
    assert "give a file name ending in .pdf" in done.stderr
    assert not (tmp_path / "x.txt").exists()

"""coachdesk report dilt: the file written (PDF or CSV, whole or not at all) and one sentence for
each refused input, exit 1."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coachdesk.cli import main
from coachdesk.core.store.profile import Profile
from tests.unit.reports.pdftext import read_pdf
from tests.unit.reports.test_ma_dilt_report import harwood


@pytest.fixture
def harwood_dir(profile: Profile, profile_dir: Path) -> Path:
    harwood(profile)
    profile.close()
    return profile_dir


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _run(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), "report", "dilt", *args])


def test_the_pdf_is_written_and_said_in_one_line(
    harwood_dir: Path, out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = out_dir / "harwood.pdf"
    code = _run(
        harwood_dir,
        "--district",
        "Harwood Public Schools",
        "--window",
        "mid",
        "--year",
        "2025-26",
        "-o",
        str(out),
        "--large-print",
    )

    assert code == 0
    said = capsys.readouterr().out.strip()
    assert said.startswith(f"Wrote {out}: the Mid-year 2025-26 progress-monitoring report for")
    assert said.endswith("pages.")
    assert "Harwood Public Schools: Mid-year 2025-26 progress monitoring" in read_pdf(out).flat
    assert [p.name for p in out_dir.iterdir()] == ["harwood.pdf"]  # no temporary file left


def test_the_csv_is_chosen_by_the_suffix(
    harwood_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "harwood.CSV"
    assert (
        _run(
            harwood_dir,
            "--district",
            "01230000",
            "--window",
            "end",
            "--year",
            "2025-26",
            "-o",
            str(out),
        )
        == 0
    )

    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert {r["Checkpoint"] for r in rows if r["Section"] == "Benchmark results"} == {
        "Mid-year",
        "End of year",
    }
    assert "as a CSV table of" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["--window", "middle"], "Choose the window as mid (December to February) or end"),
        (["--window", "mid", "--year", "2025"], "Write the school year as 2026-27, not '2025'."),
        (["--window", "mid", "--year", "2099-00"], "The 2099-00 school year has not begun"),
        (["--window", "mid", "-o", "report.docx"], "ending in .pdf or .csv"),
        (["--window", "mid", "-o", "missing/report.pdf"], "does not exist; create it first"),
        (
            ["--district", "Pemberton Street Elementary School", "--window", "mid"],
            "No district is called or numbered",
        ),
    ],
)
def test_each_refused_input_gets_one_sentence_and_exit_1(
    harwood_dir: Path,
    out_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    sentence: str,
) -> None:
    monkeypatch.chdir(out_dir)
    given = ["--district", "Harwood Public Schools", *args]
    if "--district" in args:
        given = args
    if "-o" not in given:
        given += ["-o", str(out_dir / "dilt.pdf")]
    if "--year" not in given:
        given += ["--year", "2025-26"]

    assert _run(harwood_dir, *given) == 1
    err = capsys.readouterr().err.strip()
    assert sentence in err
    assert len(err.splitlines()) == 1
    assert not list(out_dir.iterdir())

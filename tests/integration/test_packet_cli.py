"""`coachdesk packet | verify --save-pdf | import` end to end, as separate processes, on a
machine with no keyring (keys in passphrase-protected files)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from coachdesk.core.dates_text import medium_date
from tests.support.cli import coachdesk, no_keyring_env, ok


def _cli(tmp: Path, who: str, *args: str):
    return coachdesk(tmp / who, *args, env=no_keyring_env())


@pytest.fixture
def coach_and_supervisor(tmp_path, demo_template):
    """Dana has the demo caseload; Pat, her supervisor, has an empty profile. Each trusts the
    other."""
    shutil.copytree(demo_template, tmp_path / "dana")
    for who in ("dana", "pat"):
        ok(_cli(tmp_path, who, "keys", "export-public", "-o", str(tmp_path / f"{who}.key")))
    ok(_cli(tmp_path, "dana", "keys", "trust", str(tmp_path / "pat.key"), "--name", "Pat"))
    ok(_cli(tmp_path, "pat", "keys", "trust", str(tmp_path / "dana.key"), "--name", "Dana"))
    return tmp_path


def test_packet_verify_save_pdf_and_import(coach_and_supervisor):
    tmp = coach_and_supervisor
    listed = json.loads(ok(_cli(tmp, "dana", "visits", "--json")).stdout)
    rows = listed if isinstance(listed, list) else listed["visits"]
    visit = next(v for v in rows if v["status"] == "draft")
    packet = tmp / "visit.coachdesk"

    out = ok(_cli(tmp, "dana", "packet", visit["id"], "--to", "Pat", "-o", str(packet)))
    assert "encrypted for Pat" in out.stdout and "DRAFT" in out.stdout
    assert packet.exists() and not list(tmp.glob(".*.partial"))

    out = ok(_cli(tmp, "pat", "verify", str(packet), "--json"))
    facts = json.loads(out.stdout)
    assert facts["kind"] == "packet" and facts["signed_by"] == "Dana"
    assert facts["visit"]["visit_id"] == visit["id"]
    assert (
        facts["visit"]["visit_date"] == visit["date"][:10] and facts["visit"]["status"] == "draft"
    )
    assert facts["attachment"]["name"].endswith("visit summary.pdf")

    saved = tmp / "summary.pdf"
    out = ok(_cli(tmp, "pat", "verify", str(packet), "--save-pdf", str(saved)))
    assert "coachdesk packet bundle" in out.stdout
    shown = medium_date(dt.date.fromisoformat(visit["date"][:10]))  # "Dec 25, 2026"; --json: ISO
    assert f"Visit:       {facts['visit']['school']}, {shown}" in out.stdout
    assert f"{facts['attachment']['bytes']:,} bytes" in out.stdout
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) == facts["attachment"]["bytes"]
    assert hashlib.sha256(pdf).hexdigest() == facts["attachment"]["sha256"]
    if shutil.which("pdftotext"):  # poppler: read the saved PDF as a principal would
        text = subprocess.run(
            ["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert facts["visit"]["school"] in text and "Draft (not final)" in text

    out = ok(_cli(tmp, "pat", "import", str(packet)))
    assert "(from Dana)" in out.stdout and re.search(r"\b1 visit[,.]", out.stdout)
    listed = json.loads(ok(_cli(tmp, "pat", "visits", "--json")).stdout)
    rows = listed if isinstance(listed, list) else listed["visits"]
    assert [v["id"] for v in rows] == [visit["id"]]
    out = ok(_cli(tmp, "pat", "import", str(packet)))
    assert "already imported" in out.stdout


def test_packet_refusals(coach_and_supervisor):
    tmp = coach_and_supervisor
    out = _cli(
        tmp, "dana", "packet", "no-such-visit", "--to", "Pat", "-o", str(tmp / "x.coachdesk")
    )
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        "coachdesk: There is no visit with id no-such-visit."
    ]
    assert not (tmp / "x.coachdesk").exists()

    out = _cli(tmp, "dana", "packet", "whatever", "-o", str(tmp / "x.coachdesk"))
    assert out.returncode == 2 and "--to" in out.stderr  # encrypted unless told otherwise

    help_text = ok(_cli(tmp, "dana", "packet", "--help")).stdout
    assert "encrypted by default" in help_text and "--save-pdf" in help_text

    bundle = tmp / "sync.coachdesk"
    ok(_cli(tmp, "dana", "export", "--to", "Pat", "-o", str(bundle)))
    out = _cli(tmp, "pat", "verify", str(bundle), "--save-pdf", str(tmp / "no.pdf"))
    assert out.returncode == 1 and "only a packet carries a PDF" in out.stderr
    assert not (tmp / "no.pdf").exists() and "Traceback" not in out.stderr

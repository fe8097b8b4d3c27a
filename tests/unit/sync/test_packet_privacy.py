"""A visit packet carries no student identifier: its PDF prints them masked, and a field in which
the privacy scan finds one is left out of its records, with its whole history (issue 14)."""

from __future__ import annotations

from coachdesk.core import visits
from coachdesk.reports.masking import MASK
from coachdesk.sync.importer import import_files
from coachdesk.sync.packet import read_packet, write_packet
from coachdesk.sync.reader import open_bundle
from tests.support.sync_world import coach_with_visit
from tests.unit.reports.pdftext import read_pdf

SASID = "1234567890"


def test_a_packet_masks_identifiers_in_its_pdf_and_leaves_them_out_of_its_records(
    pair, tmp_path
) -> None:
    dana, lee = pair
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    # Written first with a student's name, then corrected: the old version is history too.
    visits.save_answer(
        dana.profile, visit_id, "agreements", "Student Jayden reads aloud on Fridays."
    )
    visits.save_answer(
        dana.profile, visit_id, "agreements", "Grade 4 readers read aloud on Fridays."
    )
    visits.save_answer(
        dana.profile, visit_id, "challenges", f"SASID {SASID} was absent again; ask J.M."
    )
    path = tmp_path / "packet.coachdesk"

    result = write_packet(dana.profile, visit_id, path, to=["Lee"])

    said = result.sentence()
    assert (
        "The summary prints possible student identifiers as [withheld] in: "
        "Observations: Implementation challenges." in said
    )
    assert "2 fields with a possible student identifier" in said
    contents = read_packet(lee.profile, open_bundle(lee.profile, path.read_bytes()))
    pdf = read_pdf(contents.attachment.data)
    assert SASID not in pdf.text and "J.M." not in pdf.text and MASK in pdf.flat
    assert "was absent again" in pdf.flat
    for change in contents.changes:
        for secret in (SASID, "Jayden", "J.M."):
            assert secret not in change.value, change
    # The visit still merges on Lee's laptop, with everything else it said.
    report = import_files(lee.profile, [path])
    assert not report.rejected
    received = visits.get_visit(lee.profile, visit_id)
    # The two answers arrive empty: no version of either travelled.
    assert received.response.get("challenges") is None
    assert received.response.get("agreements") is None
    assert [(i.text, i.owner) for i in received.action_items] == [
        ("Share the data wall", "Principal")
    ]


def test_a_packet_without_identifiers_says_nothing_about_them(pair, tmp_path) -> None:
    dana, _lee = pair
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    result = write_packet(dana.profile, visit_id, tmp_path / "p.coachdesk", to=["Lee"])
    assert result.masked == () and result.fields_left_out == 0
    assert "identifier" not in result.sentence()

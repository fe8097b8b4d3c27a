"""Visit packets: one signed file with a visit's records and its summary PDF (DESIGN.md 5)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import zlib

import pytest

from coachdesk.core import visits
from coachdesk.core.errors import NotFound, RefusedInput
from coachdesk.reports.visit_source import build_visit_summary
from coachdesk.reports.visit_summary import render_visit_summary
from coachdesk.sync import trust
from coachdesk.sync.envelope import open_envelope
from coachdesk.sync.errors import BundleError
from coachdesk.sync.export import build_bundle
from coachdesk.sync.importer import import_bytes, import_files
from coachdesk.sync.packet import (
    MAX_ATTACHMENT_BYTES,
    PART_BYTES,
    Attachment,
    build_packet,
    describe_visit,
    read_packet,
    save_attachment,
    write_packet,
)
from coachdesk.sync.reader import open_bundle
from tests.support.sync_world import (
    SECRET,
    coach_with_visit,
    database_bytes_digest,
    hand_made_bundle,
    school_name,
)


def _plain_lines(data: bytes) -> list[dict]:
    """The payload lines of an unencrypted packet."""
    return [
        json.loads(line)
        for line in zlib.decompress(bytes(open_envelope(data).payload)).splitlines()
    ]


def _resigned(keys, lines: list[dict]) -> bytes:
    """A correctly signed packet with these (perhaps hostile) lines."""
    plain = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
    count = sum(1 for line in lines if line["kind"] == "change")
    return hand_made_bundle(keys, plain, change_count=count, kind="packet")


def _unencrypted_packet(device, visit_id: str, tmp_path) -> bytes:
    path = tmp_path / "plain.coachdesk"
    write_packet(device.profile, visit_id, path, to=None, encrypt=False)
    return path.read_bytes()


def test_a_packet_merges_the_visit_on_a_fresh_profile_without_internal_answers(pair, tmp_path):
    dana, lee = pair  # Lee's profile has never seen Dana's caseload
    visit_id, school_id, internal = coach_with_visit(dana.profile)
    path = tmp_path / "packet.coachdesk"
    result = write_packet(dana.profile, visit_id, path, to=["Lee"])
    assert "encrypted for Lee" in result.sentence() and "DRAFT" in result.sentence()
    assert not list(tmp_path.glob(".*.partial"))

    report = import_files(lee.profile, [path])
    assert not report.rejected
    sentence = report.imported[0].sentence()
    assert "(from Dana)" in sentence and "1 visit," in sentence and "1 next step" in sentence
    received = visits.get_visit(lee.profile, visit_id)
    assert received.school_name == school_name(dana.profile, school_id)
    assert received.definition is not None  # the form version travelled with it
    assert received.response["challenges"] == "Substitute coverage kept teams apart."
    assert [(i.text, i.owner) for i in received.action_items] == [
        ("Share the data wall", "Principal")
    ]
    assert internal not in received.response
    # Everything the principal's summary needs is there: the district, the coach, the program.
    summary = build_visit_summary(lee.profile, visit_id)
    assert summary.header.district and summary.header.coach
    assert (
        summary.header.program_name
        == build_visit_summary(dana.profile, visit_id).header.program_name
    )
    # Not merely hidden on arrival: the internal answer is nowhere in what Lee can decrypt.
    contents = read_packet(lee.profile, open_bundle(lee.profile, path.read_bytes()))
    assert all(SECRET not in c.value for c in contents.changes)
    assert contents.visit.visit_id == visit_id and contents.visit.draft


def test_the_saved_pdf_is_the_packed_pdf_byte_for_byte(pair, tmp_path):
    dana, lee = pair
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    drawn = io.BytesIO()
    render_visit_summary(build_visit_summary(dana.profile, visit_id), drawn)
    visit = describe_visit(dana.profile, visit_id)
    recipients = trust.recipients_named(dana.profile, ["Lee"])
    data, header = build_packet(
        dana.profile,
        dana.keys,
        visit,
        Attachment("summary.pdf", "application/pdf", drawn.getvalue()),
        recipients,
    )
    assert header.kind == "packet" and header.encrypted
    contents = read_packet(lee.profile, open_bundle(lee.profile, data))
    saved = save_attachment(contents, tmp_path / "saved.pdf")
    assert saved.read_bytes() == drawn.getvalue()
    assert saved.read_bytes().startswith(b"%PDF")
    assert contents.attachment.name == "summary.pdf"


def test_an_attachment_spread_over_several_lines_comes_back_whole(pair):
    dana, lee = pair
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    big = b"%PDF-1.4\n" + os.urandom(2 * PART_BYTES + 12_345)
    data, _header = build_packet(
        dana.profile,
        dana.keys,
        describe_visit(dana.profile, visit_id),
        Attachment("big.pdf", "application/pdf", big),
        [],
    )
    parts = [line for line in _plain_lines(data) if line["kind"] == "attachment_part"]
    assert len(parts) == 3
    assert read_packet(lee.profile, open_bundle(lee.profile, data)).attachment.data == big


def test_bit_flips_anywhere_are_refused_and_change_nothing(pair, tmp_path):
    dana, lee = pair
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    path = tmp_path / "packet.coachdesk"
    write_packet(dana.profile, visit_id, path, to=["Lee"])
    good = path.read_bytes()
    before = database_bytes_digest(lee.profile)
    rng = random.Random(20261118)
    for _ in range(300):
        damaged = bytearray(good)
        damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
        with pytest.raises(BundleError):
            import_bytes(lee.profile, bytes(damaged))
    assert database_bytes_digest(lee.profile) == before
    assert import_bytes(lee.profile, good).new_changes > 0  # the undamaged packet still merges


def _hostile(lines: list[dict], case: str) -> list[dict]:
    lines = [dict(line) for line in lines]
    described = next(line for line in lines if line["kind"] == "attachment")
    parts = [line for line in lines if line["kind"] == "attachment_part"]
    if case == "hash mismatch":
        described["sha256"] = hashlib.sha256(b"another file").hexdigest()
    elif case == "part altered":
        data = bytearray(parts[0]["data"].encode())
        data[40] = ord("A") if data[40] != ord("A") else ord("B")
        parts[0]["data"] = data.decode()
    elif case == "over the cap":
        described["size"] = MAX_ATTACHMENT_BYTES + 1
        described["parts"] = -(-described["size"] // PART_BYTES)
    elif case == "more than declared":
        described["size"] -= 10
    elif case == "no attachment":
        lines = [line for line in lines if not line["kind"].startswith("attachment")]
    elif case == "unknown item":
        lines.append({"kind": "script", "run": "rm -rf ~"})
    elif case == "path in its name":
        described["name"] = "../../.bashrc.pdf"
    elif case == "another visit":
        lines[0]["visit_id"] = "01a20838-0000-7000-8000-000000000000"
    return lines


@pytest.mark.parametrize(
    "case, code",
    [
        ("hash mismatch", "payload_mismatch"),
        ("part altered", "payload_mismatch"),
        ("over the cap", "payload_too_large"),
        ("more than declared", "payload_mismatch"),
        ("no attachment", "bad_payload"),
        ("unknown item", "bad_payload"),
        ("path in its name", "bad_payload"),
        ("another visit", "bad_payload"),
    ],
)
def test_hostile_attachments_signed_by_a_trusted_key_are_refused(pair, tmp_path, case, code):
    dana, lee = pair
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    lines = _plain_lines(_unencrypted_packet(dana, visit_id, tmp_path))
    before = database_bytes_digest(lee.profile)
    with pytest.raises(BundleError) as refused:
        import_bytes(lee.profile, _resigned(dana.keys, _hostile(lines, case)))
    assert refused.value.code == code
    assert database_bytes_digest(lee.profile) == before
    # The same lines, left alone and signed the same way, do merge: the refusal is the edit's.
    assert import_bytes(lee.profile, _resigned(dana.keys, lines)).new_changes > 0


def test_importing_a_packet_twice_says_already_imported(pair, tmp_path):
    dana, lee = pair
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    path = tmp_path / "packet.coachdesk"
    write_packet(dana.profile, visit_id, path, to=["Lee"])
    assert not import_files(lee.profile, [path]).imported[0].already_imported
    before = database_bytes_digest(lee.profile)
    again = import_files(lee.profile, [path]).imported[0]
    assert again.already_imported and "already imported" in again.sentence()
    assert database_bytes_digest(lee.profile) == before


def test_refusals_when_writing_leave_no_file(pair, tmp_path):
    dana, _lee = pair
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    with pytest.raises(NotFound, match="There is no visit with id nope"):
        write_packet(dana.profile, "nope", tmp_path / "a.coachdesk", to=["Lee"])
    with pytest.raises(RefusedInput, match="encrypted for the people it is for"):
        write_packet(dana.profile, visit_id, tmp_path / "b.coachdesk", to=None)
    with pytest.raises(RefusedInput, match="No trusted key is called 'Kim'"):
        write_packet(dana.profile, visit_id, tmp_path / "c.coachdesk", to=["Kim"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dana", "Lee"]


def test_a_sync_bundle_has_no_pdf_and_a_packet_for_others_cannot_be_read(trio):
    dana, lee, sam = trio
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    sync, _header = build_bundle(dana.profile, dana.keys, [])
    with pytest.raises(BundleError) as refused:
        read_packet(lee.profile, open_bundle(lee.profile, sync))
    assert refused.value.code == "wrong_kind"
    data, _header = build_packet(
        dana.profile,
        dana.keys,
        describe_visit(dana.profile, visit_id),
        Attachment("s.pdf", "application/pdf", b"%PDF-1.4 tiny"),
        trust.recipients_named(dana.profile, ["Lee"]),
    )
    with pytest.raises(BundleError) as refused:
        import_bytes(sam.profile, data)
    assert refused.value.code == "not_for_you"


def test_a_sync_bundle_carrying_an_attachment_is_refused(pair, tmp_path):
    """The reader takes attachment lines only in a packet; a sync bundle stays changes only."""
    dana, lee = pair
    visit_id, _school, _internal = coach_with_visit(dana.profile)
    lines = _plain_lines(_unencrypted_packet(dana, visit_id, tmp_path))
    plain = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
    count = sum(1 for line in lines if line["kind"] == "change")
    before = database_bytes_digest(lee.profile)
    with pytest.raises(BundleError) as refused:
        import_bytes(lee.profile, hand_made_bundle(dana.keys, plain, change_count=count))
    assert refused.value.code == "bad_payload" and "not a change" in str(refused.value)
    assert database_bytes_digest(lee.profile) == before

"""THREATS.md, malicious payload: a trusted device gone bad signs hostile contents. Each is
refused quickly, with little memory, and the profile is unchanged."""

from __future__ import annotations

import json
import time
import tracemalloc
import zlib

import pytest

from coachdesk.sync.errors import BundleError
from tests.support.sync_world import change_line, database_bytes_digest, hand_made_bundle

GIB = 1024**3
MIB = 1024**2


def _zeros(total: int, *, byte: bytes = b"\x00") -> bytes:
    compressor = zlib.compressobj(9)
    block = byte * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(total // len(block))]
    return b"".join(parts) + compressor.flush()


def _lines(*objects) -> bytes:
    return b"".join(
        (o if isinstance(o, bytes) else json.dumps(o).encode()) + b"\n" for o in objects
    )


def _corpus(device_id: str) -> dict[str, tuple[dict, str]]:
    ok = change_line(device=device_id)
    return {
        "1 GB zero stream": (
            dict(plain=b"", compressed=_zeros(GIB), plain_size=GIB),
            "payload_too_large",
        ),
        "200 MB zero stream, declared": (
            dict(plain=b"", compressed=_zeros(200 * MIB), plain_size=200 * MIB),
            "bad_payload",
        ),
        "200 MB of newlines": (
            dict(plain=b"", compressed=_zeros(200 * MIB, byte=b"\n"), plain_size=200 * MIB),
            "bad_payload",
        ),
        "a thousand 1 MB changes": (
            dict(plain=b"", compressed=_zeros(GIB, byte=b"a"), plain_size=1000 * MIB),
            "payload_too_large",
        ),
        "one change repeated": (
            dict(plain=_lines(*[ok] * 3), change_count=3),
            "bad_payload",
        ),
        "more than declared": (
            dict(plain=b"", compressed=_zeros(64 * 1024 * 1024, byte=b"\n"), plain_size=10),
            "payload_mismatch",
        ),
        "deep nesting": (dict(plain=_lines(b"[" * 200_000 + b"]" * 200_000)), "bad_payload"),
        "deep nesting in a value": (
            dict(plain=_lines(change_line(device=device_id, value="[" * 100_000 + "]" * 100_000))),
            "invalid_change",
        ),
        "duplicate keys": (
            dict(plain=_lines(json.dumps(ok)[:-1].encode() + b',"kind":"change"}')),
            "bad_payload",
        ),
        "NaN": (dict(plain=_lines(json.dumps(ok)[:-1].encode() + b',"x":NaN}')), "bad_payload"),
        "NaN in a value": (
            dict(plain=_lines(change_line(device=device_id, value="NaN"))),
            "invalid_change",
        ),
        "invalid UTF-8": (dict(plain=_lines(b'{"kind":"\xff\xfe"}')), "bad_payload"),
        "a lone surrogate in a line": (
            dict(plain=_lines({**ok, "value": "\ud800"})),
            "bad_payload",
        ),
        "a lone surrogate in a value": (
            dict(plain=_lines(change_line(device=device_id, value=json.dumps("note \udfff")))),
            "invalid_change",
        ),
        "unknown record type": (
            dict(plain=_lines(change_line(device=device_id, type="spaceship"))),
            "unknown_record",
        ),
        "unknown field": (
            dict(plain=_lines(change_line(device=device_id, field="password"))),
            "unknown_record",
        ),
        "wrong value type": (
            dict(plain=_lines(change_line(device=device_id, value="42"))),
            "invalid_change",
        ),
        "clock reading of another device": (
            dict(plain=_lines(change_line(device=device_id, hlc="000000000000001-00000-x"))),
            "invalid_change",
        ),
        "extra field": (dict(plain=_lines({**ok, "admin": True})), "bad_payload"),
        "not a change": (dict(plain=_lines([1, 2, 3])), "bad_payload"),
        "fewer changes than declared": (dict(plain=_lines(ok), change_count=5), "payload_mismatch"),
        "broken compression": (
            dict(plain=b"x", compressed=b"\x78\x9c" + b"\xff" * 500),
            "bad_payload",
        ),
        "cut-short compression": (
            dict(plain=_lines(ok), compressed=zlib.compress(_lines(ok))[:-6]),
            "bad_payload",
        ),
        "declared far too large": (dict(plain=_lines(ok), plain_size=2 * GIB), "payload_too_large"),
        "newer data format": (
            dict(plain=_lines(ok), schema=99, app_version="7.2.0"),
            "newer_format",
        ),
    }


def test_hostile_payload_corpus(pair):
    dana, lee = pair
    corpus = _corpus(dana.keys.device_id)
    before = database_bytes_digest(lee.profile)
    report = []
    for name, (spec, code) in corpus.items():
        plain = spec["plain"]
        data = hand_made_bundle(
            dana.keys,
            plain,
            change_count=spec.get("change_count", plain.count(b"\n")),
            compressed=spec.get("compressed"),
            schema=spec.get("schema", 1),
            app_version=spec.get("app_version", "0.1.0"),
        )
        if "plain_size" in spec:  # a header that lies about the size: re-made with that size
            data = _with_plain_size(dana.keys, data, spec, plain)
        tracemalloc.start()
        started = time.perf_counter()
        with pytest.raises(BundleError) as caught:
            lee.take(data)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        report.append(
            f"{name}: {caught.value.code} in {seconds:.2f} s, peak {peak / 2**20:.1f} MiB"
        )
        assert caught.value.code == code, f"{name}: {caught.value}"
        assert seconds < 2, name
        assert peak < 64 * 2**20, name
        if code == "newer_format":
            assert "7.2.0 or newer" in str(caught.value)
    print("\nhostile payloads (" + str(len(corpus)) + "):\n  " + "\n  ".join(report))
    assert database_bytes_digest(lee.profile) == before


def _with_plain_size(keys, data: bytes, spec: dict, plain: bytes) -> bytes:
    import hashlib

    from coachdesk.core.ids import new_id
    from coachdesk.sync.envelope import seal
    from coachdesk.sync.header import BundleHeader

    payload = spec.get("compressed") or zlib.compress(plain)
    header = BundleHeader(
        bundle_id=new_id(),
        kind="sync",
        created_hlc=f"{1:015d}-00000-{keys.device_id}",
        author_device=keys.device_id,
        author_name="hand made",
        key_id=keys.key_id,
        schema=1,
        app_version="0.1.0",
        change_count=spec.get("change_count", 1),
        record_counts={},
        coverage={},
        payload_sha256=hashlib.sha256(payload).hexdigest(),
        plain_size=spec["plain_size"],
    )
    return seal(header.encode(), payload, keys.signing)


def test_a_lone_surrogate_in_the_signed_header_is_a_refused_bundle_with_its_sentence():
    from coachdesk.sync.header import parse_header

    with pytest.raises(BundleError, match="lone surrogate") as refused:
        parse_header(b'{"author_name": "Dana \\ud800"}', minor=0)
    assert refused.value.code == "bad_header"

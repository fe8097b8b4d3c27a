"""THREATS.md, tampering: every altered or cut-short copy of a bundle is refused, only with a
BundleError, and the receiving profile does not change."""

from __future__ import annotations

import collections
import os
import random

import pytest

from coachdesk.sync.errors import BundleError
from tests.support.sync_world import add_school, database_bytes_digest, rename

FLIPS = 5_000
OVERWRITES = 5_000


@pytest.fixture
def reference(pair):
    dana, lee = pair
    school = add_school(dana.profile, "Harbor View Elementary")
    rename(dana.profile, school, "Harbor View Elementary School")
    add_school(dana.profile, "Riverside Middle")
    return dana, lee, dana.bundle(encrypt_to=["Lee"])


def _refused(lee, data: bytes, codes: collections.Counter) -> None:
    try:
        lee.take(data)
    except BundleError as exc:
        codes[exc.code] += 1
    else:
        raise AssertionError("an altered bundle was accepted")


def test_random_bit_flips_and_byte_overwrites_are_all_refused(reference):
    dana, lee, good = reference
    seed = int(os.environ.get("COACHDESK_FUZZ_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    before = database_bytes_digest(lee.profile)
    codes: collections.Counter[str] = collections.Counter()
    for _ in range(FLIPS):
        data = bytearray(good)
        position = rng.randrange(len(data))
        data[position] ^= 1 << rng.randrange(8)
        _refused(lee, bytes(data), codes)
    for _ in range(OVERWRITES):
        data = bytearray(good)
        position = rng.randrange(len(data))
        data[position] = rng.choice([b for b in range(256) if b != good[position]])
        _refused(lee, bytes(data), codes)
    print(
        f"\ntampering (seed {seed}): {FLIPS} bit flips + {OVERWRITES} overwrites of a "
        f"{len(good)}-byte bundle, {sum(codes.values())} refused: {dict(codes)}"
    )
    assert sum(codes.values()) == FLIPS + OVERWRITES
    assert database_bytes_digest(lee.profile) == before
    # and the untouched bundle still imports
    assert lee.take(good).new_changes > 0


def test_every_truncation_and_extension_is_refused(reference):
    dana, lee, good = reference
    before = database_bytes_digest(lee.profile)
    codes: collections.Counter[str] = collections.Counter()
    for length in range(len(good)):
        _refused(lee, good[:length], codes)
    for extra in (b"\x00", b"\n", good[-64:], b"x" * 1000):
        _refused(lee, good + extra, codes)
    print(f"\ntruncation: {len(good)} lengths + 4 extensions refused: {dict(codes)}")
    assert sum(codes.values()) == len(good) + 4
    assert set(codes) <= {"not_a_bundle", "damaged"}
    assert database_bytes_digest(lee.profile) == before

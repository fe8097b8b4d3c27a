"""Changes signed by their authors: segments (issue 15, THREATS.md "authority").

A bundle's own signature says who relayed it; it does not make the relayer the author of what
it carries. Each device therefore signs its own changes, in segments: the digests of a run of
its changes under its key and its signing counter. Whoever relays a change relays its segment
unchanged beside it, and a receiver accepts a change only when a segment signed by the change's
own device, with a key it trusts for that device, lists the change's digest.

A segment's signed bytes:

    4      head length H (big-endian)
    H      head, UTF-8 JSON: {"device": id, "key_id": hex, "seq": counter, "count": n}
    32*n   SHA-256 digests of the changes (core fields joined by NUL; see change_digest)
    64     Ed25519 signature over DOMAIN + SHA-256(everything above)

A bundle for someone else may leave some of a segment's changes out (internal notes, the
demo): the segment still proves each change it carries, and digests reveal nothing of a value.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from coachdesk.core.ids import UUID_TEXT
from coachdesk.sync import strict_json
from coachdesk.sync.errors import BundleError

DOMAIN = b"coachdesk segment signature v1\x00"
ITEM_KIND = "segment"
# Each segment fits one bundle line (2 MiB, core/sync_limits.py) in base64 with room to spare.
MAX_SEGMENT_CHANGES = 20_000
_LENGTH = struct.Struct(">I")
_DIGEST = 32
_SIGNATURE = 64
_MAX_HEAD = 1024


def change_digest(change: Sequence[str]) -> bytes:
    """The digest of a change's eight carried fields (IncomingChange order).

    NUL cannot occur inside any of them: ids, types, fields and clock readings are checked
    shapes, and a value is JSON text, which spells NUL as an escape.
    """
    return hashlib.sha256("\x00".join(change).encode("utf-8")).digest()


def change_digests(changes: Iterable[Sequence[str]]) -> list[bytes]:
    """change_digest of each change, in order (one loop, no call per change: an import hashes
    every change it reads)."""
    sha256 = hashlib.sha256
    return [sha256("\x00".join(c).encode("utf-8")).digest() for c in changes]


@dataclass(frozen=True)
class Segment:
    """A parsed segment; `verify` checks its signature against a key."""

    device_id: str
    key_id: str
    seq: int
    digests: bytes  # n digests of 32 bytes
    signed: bytes  # exactly as the author wrote it, to store and relay

    def digest_list(self) -> list[bytes]:
        d = self.digests
        return [d[i : i + _DIGEST] for i in range(0, len(d), _DIGEST)]

    def verify(self, signing_key: bytes) -> None:
        """Raises BundleError("damaged") unless `signing_key` signed exactly these bytes."""
        body = self.signed[:-_SIGNATURE]
        try:
            Ed25519PublicKey.from_public_bytes(signing_key).verify(
                self.signed[-_SIGNATURE:], DOMAIN + hashlib.sha256(body).digest()
            )
        except (InvalidSignature, ValueError):
            raise BundleError(
                "damaged", "One of the signatures of the changes it carries does not verify."
            ) from None


def sign_segment(
    *, device_id: str, key_id: str, seq: int, changes: Iterable[Sequence[str]], sign: Signer
) -> bytes:
    """A segment's signed bytes for these changes (at most MAX_SEGMENT_CHANGES of them)."""
    digests = b"".join(change_digest(c) for c in changes)
    count = len(digests) // _DIGEST
    if count > MAX_SEGMENT_CHANGES:
        raise ValueError("too many changes for one segment")
    head = strict_json.dumps(
        {"device": device_id, "key_id": key_id, "seq": seq, "count": count}
    ).encode("utf-8")
    body = _LENGTH.pack(len(head)) + head + digests
    return body + sign(DOMAIN + hashlib.sha256(body).digest())


Signer = Callable[[bytes], bytes]


def parse_segment(signed: bytes) -> Segment:
    """A segment from its bytes, every field checked for shape; raises BundleError."""
    try:
        (head_length,) = _LENGTH.unpack_from(signed)
        if head_length > _MAX_HEAD:
            raise ValueError("head too long")
        head = strict_json.loads(signed[_LENGTH.size : _LENGTH.size + head_length].decode("utf-8"))
        if not isinstance(head, dict) or head.keys() != {"device", "key_id", "seq", "count"}:
            raise ValueError("head has the wrong fields")
        device, key_id, seq, count = head["device"], head["key_id"], head["seq"], head["count"]
        if not isinstance(device, str) or not UUID_TEXT.match(device):
            raise ValueError("bad device id")
        if not isinstance(key_id, str) or len(key_id) != 32:
            raise ValueError("bad key id")
        for number in (seq, count):
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise ValueError("bad counter")
        if not 1 <= count <= MAX_SEGMENT_CHANGES:
            raise ValueError("bad count")
        start = _LENGTH.size + head_length
        if len(signed) != start + count * _DIGEST + _SIGNATURE:
            raise ValueError("wrong length")
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise BundleError(
            "bad_payload", f"One of its signed segments is malformed ({exc})."
        ) from None
    return Segment(device, key_id, seq, signed[start : start + count * _DIGEST], signed)


def segment_item(signed: bytes) -> dict[str, str]:
    """The payload line that carries a segment."""
    return {"kind": ITEM_KIND, "signed": base64.b64encode(signed).decode("ascii")}


class SegmentItems:
    """Collects the segment lines of a payload as decode_changes meets them; every other kind
    of line goes to `then` (a visit packet's own lines), or is refused."""

    def __init__(self, then: Callable[[dict], None] | None = None) -> None:
        self.segments: list[Segment] = []
        self._then = then
        self._seen: set[tuple[str, int]] = set()

    def take(self, item: dict) -> None:
        if item.get("kind") != ITEM_KIND:
            if self._then is None:
                raise BundleError(
                    "bad_payload",
                    "It holds a line that is not a change (an item of kind "
                    f"{str(item.get('kind'))[:40]!r}).",
                )
            self._then(item)
            return
        signed = item.get("signed")
        if item.keys() != {"kind", "signed"} or not isinstance(signed, str):
            raise BundleError("bad_payload", "One of its signed segments is malformed.")
        try:
            raw = base64.b64decode(signed, validate=True)
        except ValueError:
            raise BundleError("bad_payload", "One of its signed segments is malformed.") from None
        segment = parse_segment(raw)
        if (segment.device_id, segment.seq) in self._seen:
            raise BundleError("bad_payload", "It holds one signed segment twice.")
        self._seen.add((segment.device_id, segment.seq))
        self.segments.append(segment)

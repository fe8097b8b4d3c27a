"""Which of a bundle's changes this profile accepts: those their own authors signed.

Runs after the bundle's signature, header and payload have been checked, before the merge.
A change is accepted when a segment (sync/segments.py) signed by a key this profile trusts for
the change's device lists the change's digest. Changes whose author this profile does not
trust, or whose author's key was revoked or retired, are left out with a sentence; the rest of
the bundle still merges, because the relayer did nothing wrong by carrying them. A change that
no segment signs, or a segment a trusted key signed for another device, refuses the bundle.

Bundles written before 0.4.0 carry no segments: from those, only the signer's own changes are
accepted (its signature is its author's), and anything relayed from other laptops is left out;
those laptops' own bundles bring it, signed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coachdesk.sync import trust
from coachdesk.sync.errors import BundleError
from coachdesk.sync.segments import Segment, change_digests

if TYPE_CHECKING:
    from coachdesk.sync.payload import IncomingChange


@dataclass
class Authority:
    """What a bundle may change here, and what it carried that is left out (and why)."""

    accepted: list[IncomingChange]
    segment_of: dict[str, int]  # change id -> its segment's counter (absent: before 0.4.0)
    segments: list[Segment]  # the segments that sign accepted changes, to keep and relay
    left_out: Counter[str] = field(default_factory=Counter)  # sentence -> changes
    # Of those, how many may be accepted later (an author not trusted yet, a disputed key): the
    # bundle may then be imported again. Revoked, retired and unsigned relays stay out.
    may_change: int = 0

    def left_out_sentence(self) -> str:
        """'12 changes by Lee's laptop were left out: its key was revoked on Nov 23, 2026.'"""
        parts = []
        for why, count in sorted(self.left_out.items()):
            parts.append(f"{count} change{'s' if count != 1 else ''} {why}")
        return " ".join(p + "." for p in parts)


def authorize(
    session: Any,
    changes: list[IncomingChange],
    segments: list[Segment],
    *,
    signer_device: str,
    signer_name: str,
    legacy: bool,
) -> Authority:
    """Split `changes` into what their authors signed and what is left out; BundleError when
    the bundle carries a change nobody signed or a segment forged by a trusted key."""
    usable: dict[bytes, int] = {}  # digest -> the index of the usable segment listing it
    refused: dict[bytes, tuple[str, str, bool]] = {}  # digest -> (device, sentence, may change)
    for at, segment in enumerate(segments):
        refusal = _refusal(session, segment)
        if refusal is None:
            usable.update(dict.fromkeys(segment.digest_list(), at))
        else:
            refused.update(dict.fromkeys(segment.digest_list(), (segment.device_id, *refusal)))
    outcome = Authority(accepted=[], segment_of={}, segments=[])
    accept, segment_of = outcome.accepted.append, outcome.segment_of
    devices = [s.device_id for s in segments]
    seqs = [s.seq for s in segments]
    used: dict[int, None] = {}  # the indexes of the segments that sign accepted changes
    for change, digest in zip(changes, change_digests(changes), strict=True):
        index = usable.get(digest)
        if index is not None and devices[index] == change.device_id:
            accept(change)
            segment_of[change.change_id] = seqs[index]
            used[index] = None
        elif digest in refused and refused[digest][0] == change.device_id:
            _device, why, may_change = refused[digest]
            outcome.left_out[why] += 1
            outcome.may_change += may_change
        elif legacy and change.device_id == signer_device:
            outcome.accepted.append(change)
        elif legacy:
            outcome.left_out[
                f"relayed by {signer_name} from other laptops were left out: a bundle from "
                "coachdesk 0.3 or older cannot prove who wrote them; those laptops' own bundles "
                "bring them"
            ] += 1
        else:
            raise BundleError(
                "unsigned_change",
                f"(a change to {change.record_type}.{change.field} that its author did not sign)",
            )
    outcome.segments = [segments[i] for i in used]
    return outcome


def _refusal(session: Any, segment: Segment) -> tuple[str, bool] | None:
    """None when the segment's key may sign for its device; else why its changes are left out,
    and whether that may change (trusting the author, settling a dispute).

    Raises BundleError for a segment that a trusted key signed for another device, or whose
    signature does not verify."""
    standing = trust.key_standing(session, segment.key_id)
    if standing is None:
        return (
            "by a laptop this profile does not trust were left out (trust its key, then "
            "import this again)",
            True,
        )
    if standing.device_id != segment.device_id:
        raise BundleError("signer_mismatch", "One of its signed segments names another laptop.")
    segment.verify(standing.signing_key)
    if standing.refusal is not None:
        return f"by {standing.name} were left out: {standing.refusal}", standing.disputed
    if standing.signed_up_to is not None and segment.seq > standing.signed_up_to:
        return (
            f"by {standing.name} were left out: they are signed with its old key after "
            "that key was replaced",
            False,
        )
    return None

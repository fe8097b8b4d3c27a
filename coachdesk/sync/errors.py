"""BundleError: the one failure a bundle can cause, with a stable code and a coach's sentence.

Codes are a contract (scripts and tests match on them); sentences may be reworded. Every code
means the profile was left exactly as it was.
"""

from __future__ import annotations

from coachdesk.core.errors import RefusedInput

# code -> the sentence shown when the caller gives no more specific one
MESSAGES: dict[str, str] = {
    "unreadable": "The file could not be read.",
    "too_large": "The file is too large to be a coachdesk bundle.",
    "not_a_bundle": "The file is not a coachdesk bundle.",
    "newer_format": "The bundle was made by a newer coachdesk.",
    "damaged": "The bundle is damaged or has been altered since it was signed "
    "(or it is cut short). Ask the sender for a fresh copy.",
    "unknown_signer": "The bundle is signed by a device this profile does not trust. "
    "Trust the sender's key first (Trust page, or `coachdesk keys trust`).",
    "revoked_signer": "The bundle is signed by a key that was revoked on this profile.",
    "signer_mismatch": "The bundle claims to come from a different device than the key "
    "that signed it.",
    "bad_header": "The bundle's description is malformed.",
    "payload_mismatch": "The bundle's contents do not match its description.",
    "not_for_you": "The bundle is encrypted for other people; this profile cannot open it.",
    "cannot_decrypt": "The bundle could not be decrypted with this device's key.",
    "bad_payload": "The bundle's contents are malformed.",
    "payload_too_large": "The bundle's contents are larger than coachdesk accepts.",
    "unknown_record": "The bundle holds kinds of records this coachdesk does not know.",
    "invalid_change": "The bundle holds a change that does not fit this profile.",
    "rewrites_history": "The bundle tries to rewrite changes already in this profile.",
    "incomplete": "The bundle refers to records that neither it nor this profile holds.",
    "wrong_kind": "The file is a coachdesk bundle of a kind that cannot be used here.",
    "no_keys": "This device's keys are not available.",
    "rotation_unproven": "The key change file does not prove that its sender holds the new "
    "key, so the new key is not trusted.",
    "already_replaced": "That key was already replaced by a different new key on this profile; "
    "a second replacement is refused. Compare fingerprints with its owner and trust the right "
    "key file by its fingerprint.",
    "revoked_key": "The key change introduces a key that was revoked on this profile.",
    "unsigned_change": "The bundle carries a change that the laptop it names as the author "
    "did not sign; it was altered or made by a broken or hostile coachdesk.",
    "signer_not_accepted": "This profile does not accept bundles signed by that key now.",
    "retired_key": "The bundle is signed with a key its owner replaced; bundles signed with "
    "that key after the change are refused. Ask the sender for a bundle from their new key.",
}


class BundleError(RefusedInput):
    """A bundle was refused; the profile is unchanged. `code` is stable, the text is for people."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown bundle error code {code!r}")
        self.code = code
        self.detail = detail
        text = MESSAGES[code] if detail is None else f"{MESSAGES[code]} {detail}"
        super().__init__(text)


class KeyAccessError(RefusedInput):
    """This device's private keys could not be reached (keyring refused, wrong passphrase...)."""


class PassphraseNeeded(KeyAccessError):
    """No keyring works here, and the key file needs a passphrase nobody has given yet."""

"""`coachdesk keys | export | verify | import` end to end, as separate processes, on a machine
with no keyring: the keys live in passphrase-protected files (COACHDESK_PASSPHRASE)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import PASSPHRASE, coachdesk, no_keyring_env


def _cli(tmp: Path, who: str, *args: str, passphrase: str | None = PASSPHRASE):
    return coachdesk(tmp / who, *args, env=no_keyring_env(passphrase))


@pytest.fixture
def coaches(tmp_path):
    for who in ("dana", "lee"):
        out = _cli(tmp_path, who, "keys", "export-public", "-o", str(tmp_path / f"{who}.key"))
        assert out.returncode == 0, out.stderr
    out = _cli(tmp_path, "dana", "keys", "trust", str(tmp_path / "lee.key"), "--name", "Lee")
    assert out.returncode == 0, out.stderr
    out = _cli(tmp_path, "lee", "keys", "trust", str(tmp_path / "dana.key"), "--name", "Dana")
    assert out.returncode == 0 and "Fingerprint:" in out.stdout
    return tmp_path


def test_export_verify_import_and_refusals(coaches):
    tmp = coaches
    bundle = tmp / "for-lee.coachdesk"
    out = _cli(tmp, "dana", "export", "--to", "Lee", "-o", str(bundle))
    assert out.returncode == 0, out.stderr
    assert "encrypted for Lee" in out.stdout
    assert bundle.exists() and not list(tmp.glob(".*.partial"))

    out = _cli(tmp, "lee", "verify", str(bundle), "--json")
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout)
    assert facts["signed_by"] == "Dana" and facts["changes"] > 0
    assert "Lee" in facts["encrypted_for"]

    out = _cli(tmp, "lee", "import", str(bundle))
    assert out.returncode == 0, out.stderr
    assert "(from Dana)" in out.stdout
    out = _cli(tmp, "lee", "import", str(bundle))
    assert out.returncode == 0 and "already imported" in out.stdout

    damaged = tmp / "damaged.coachdesk"
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x10
    damaged.write_bytes(bytes(data))
    out = _cli(tmp, "lee", "import", str(bundle), str(damaged), "--json")
    assert out.returncode == 1
    report = json.loads(out.stdout)
    assert [r["code"] for r in report["rejected"]] == ["damaged"]
    assert "damaged.coachdesk: not imported" in out.stderr
    assert "Traceback" not in out.stderr

    out = _cli(tmp, "lee", "verify", str(damaged))
    assert out.returncode == 1 and "altered" in out.stderr

    out = _cli(tmp, "lee", "keys", "show", "--json")
    dana_key = next(k for k in json.loads(out.stdout)["keys"] if k["name"] == "Dana")
    assert "passphrase" in json.loads(out.stdout)["this_laptop"]["private_keys"]
    out = _cli(tmp, "lee", "keys", "revoke", dana_key["fingerprint"])
    assert out.returncode == 0 and "Revoked Dana" in out.stdout
    fresh = tmp / "after-revoke.coachdesk"
    assert _cli(tmp, "dana", "export", "--to", "Lee", "-o", str(fresh)).returncode == 0
    out = _cli(tmp, "lee", "import", str(fresh))
    assert out.returncode == 1 and "revoked" in out.stderr


def test_without_a_passphrase_nothing_is_written_in_plaintext(tmp_path):
    out = _cli(tmp_path, "kim", "keys", "show", passphrase=None)
    assert out.returncode == 1
    assert "COACHDESK_PASSPHRASE" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "kim" / "device-keys.enc").exists()
    out = _cli(tmp_path, "kim", "keys", "show", passphrase="pw")  # too weak to be chosen
    assert out.returncode == 1 and out.stderr.startswith("coachdesk: This passphrase is too easy")
    assert len(out.stderr.splitlines()) == 1
    assert not (tmp_path / "kim" / "device-keys.enc").exists()
    out = _cli(tmp_path, "kim", "keys", "show")
    assert out.returncode == 0 and "passphrase" in out.stdout
    out = _cli(tmp_path, "kim", "keys", "show", passphrase="not it")
    assert out.returncode == 1 and "does not unlock" in out.stderr


def test_usage_errors_exit_2(tmp_path):
    out = _cli(tmp_path, "kim", "export", "-o", str(tmp_path / "x"))
    assert out.returncode == 2


def test_keys_rotate_then_trust_the_key_change_without_a_name(coaches):
    tmp = coaches
    before = tmp / "before.coachdesk"
    assert _cli(tmp, "dana", "export", "--to", "Lee", "-o", str(before)).returncode == 0
    change = tmp / "dana-new-key.coachdesk-key"
    out = _cli(tmp, "dana", "keys", "rotate", "-o", str(change))
    assert out.returncode == 0, out.stderr
    assert "new keys" in out.stdout and change.exists()
    assert "still opens bundles sent to it until" in out.stdout and "(90 days" in out.stdout
    shown = _cli(tmp, "dana", "keys", "show").stdout
    assert "The replaced encryption key still opens bundles sent to it until" in shown
    after = tmp / "after.coachdesk"
    assert _cli(tmp, "dana", "export", "--to", "Lee", "-o", str(after)).returncode == 0

    out = _cli(tmp, "lee", "keys", "trust", str(change))
    assert out.returncode == 0, out.stderr
    assert "Dana changed keys" in out.stdout and "without comparing fingerprints" in out.stdout
    out = _cli(tmp, "lee", "import", str(before), str(after), "--json")
    assert out.returncode == 0, out.stderr
    assert [r["from"] for r in json.loads(out.stdout)["imported"]] == ["Dana", "Dana"]

    listed = json.loads(_cli(tmp, "lee", "keys", "show", "--json").stdout)["keys"]
    danas = [k for k in listed if k["name"] == "Dana"]
    assert len(danas) == 2 and sum(k["replaced_by"] is not None for k in danas) == 1
    text = _cli(tmp, "lee", "keys", "show").stdout
    assert "replaced by a newer key" in text
    assert "When this laptop changes its keys" in text and "for 90 days" in text

    # A key change from someone Lee does not trust is refused, exit 1, one clear line.
    stranger = tmp / "kim-new-key.coachdesk-key"
    assert _cli(tmp, "kim", "keys", "rotate", "-o", str(stranger)).returncode == 0
    out = _cli(tmp, "lee", "keys", "trust", str(stranger))
    assert out.returncode == 1 and "does not trust" in out.stderr and "Traceback" not in out.stderr
    # A public key file still needs a name.
    assert _cli(tmp, "lee", "keys", "export-public", "-o", str(tmp / "l.key")).returncode == 0
    out = _cli(tmp, "dana", "keys", "trust", str(tmp / "l.key"))
    assert out.returncode == 2 and "--name" in out.stderr

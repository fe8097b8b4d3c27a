"""Device keys in a real Secret Service keyring (gnome-keyring under dbus-run-session).

Skips, saying why, where gnome-keyring or dbus-run-session is not installed; CI installs both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

_SCRIPT = textwrap.dedent(
    """
    import os, sys, subprocess
    # Start an unlocked keyring daemon inside this private D-Bus session.
    out = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                         input=b"test-password\\n", capture_output=True, check=True).stdout
    for line in out.decode().splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            os.environ[k] = v
    import keyring
    from keyring.backends import SecretService
    keyring.set_keyring(SecretService.Keyring())
    from pathlib import Path
    from coachdesk.core.store.profile import Profile, open_profile
    from coachdesk.sync import keys
    folder = Path(sys.argv[1])
    profile = open_profile(folder)
    first = keys.device_keys(profile)
    assert keys.storage_of(profile).kind == "keyring", keys.storage_of(profile)
    assert not (folder / keys.KEY_FILE).exists()
    profile.close()
    again = keys.device_keys(Profile(folder))
    assert again.key_id == first.key_id
    print("SECRET-SERVICE-OK", first.fingerprint)
    """
)


@pytest.mark.skipif(
    shutil.which("dbus-run-session") is None or shutil.which("gnome-keyring-daemon") is None,
    reason="needs dbus-run-session and gnome-keyring-daemon (apt install dbus gnome-keyring)",
)
def test_keys_round_trip_through_a_real_secret_service(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACHDESK_")}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    result = subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-c", _SCRIPT, str(tmp_path / "profile")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert "SECRET-SERVICE-OK" in result.stdout, result.stderr

"""Export: whom a bundle is for, and a file that appears only when whole."""

from __future__ import annotations

import pytest

from coachdesk.sync import trust
from coachdesk.sync.errors import BundleError
from coachdesk.sync.export import export_bundle
from coachdesk.sync.reader import read_bundle_file
from tests.support.sync_world import add_school, make_devices


def test_export_all_is_for_my_own_laptops_only(tmp_path):
    dana, dana_home, lee = make_devices(tmp_path, ["Dana", "Dana at home", "Lee"])
    # Dana's office laptop marks her home laptop as her own.
    offer = trust.read_public_key_file(trust.public_key_file(dana_home.profile, dana_home.keys))
    trust.trust_key(dana.profile, offer, name="Dana at home", own=True)
    add_school(dana.profile, "Harbor View Elementary")
    path = tmp_path / "out" / "mine.coachdesk"
    path.parent.mkdir()
    result = export_bundle(dana.profile, path)
    assert result.encrypted and set(result.recipients) == {
        "Dana at home",
        next(k.name for k in trust.list_keys(dana.profile) if k.this_device),
    }
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    data = read_bundle_file(path)
    assert dana_home.take(data).created["organization"] == 1
    with pytest.raises(BundleError) as caught:
        lee.take(data)
    assert caught.value.code == "not_for_you"


def test_an_unencrypted_export_says_so(pair, tmp_path):
    dana, lee = pair
    result = export_bundle(dana.profile, tmp_path / "plain.coachdesk", encrypt=False)
    assert not result.encrypted and "NOT encrypted" in result.sentence()
    assert lee.take(read_bundle_file(tmp_path / "plain.coachdesk")).new_changes > 0


def test_export_to_an_unknown_name_is_refused_and_writes_nothing(pair, tmp_path):
    dana, _lee = pair
    with pytest.raises(Exception, match="No trusted key is called 'Nobody'"):
        export_bundle(dana.profile, tmp_path / "x.coachdesk", to=["Nobody"])
    assert not (tmp_path / "x.coachdesk").exists()

"""`coachdesk hub init | trust | import | rollup`, run as a state office would: separate processes
on a real PostgreSQL server, with bundles made by coach profiles."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from coachdesk.core.store.hub import HubProfile
from coachdesk.core.store.schema import Organization, ThisDevice
from coachdesk.reports.rollup_csv import write_rollup_csv
from coachdesk.reports.rollup_data import build_rollup
from coachdesk.sync import trust
from tests.support.cli import cli_env
from tests.support.sync_world import WHEN, add_school, coach_with_visit, make_devices, newcomer

ON = WHEN.date().isoformat()


def hub_cli(tmp_path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "coachdesk",
            "--data-dir",
            str(tmp_path / "hub-log"),
            "hub",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
        env=env or cli_env(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"),
    )


@pytest.fixture
def coaches(tmp_path):
    """Dana (the demo caseload and a visit) and Lee (one school), their key files and bundles."""
    dana, lee = make_devices(tmp_path / "laptops", ["Dana", "Lee"])
    coach_with_visit(dana.profile)
    add_school(lee.profile, "Riverside Middle")
    out = tmp_path / "from-coaches"
    out.mkdir()
    for device in (dana, lee):
        (tmp_path / f"{device.name}.key").write_bytes(
            trust.public_key_file(device.profile, device.keys)
        )
        (out / f"{device.name}.coachdesk").write_bytes(device.bundle())
    # A folder's other files are named as not imported, as on the desktop (sync/bundle_files.py,
    # tests/integration/rollup/test_rollup_from_bundles.py): this one holds only bundles.
    yield dana, lee
    for device in (dana, lee):
        device.profile.close()


def test_init_creates_the_hub_then_finds_it_up_to_date(tmp_path, postgres_url):
    first = hub_cli(tmp_path, "init", "--db", postgres_url, "--name", "State office hub")
    assert first.returncode == 0, first.stderr
    assert " was created; its device id is " in first.stdout
    assert "postgresql://postgres@/" in first.stdout and "+psycopg" not in first.stdout
    again = hub_cli(tmp_path, "init", env=cli_env(COACHDESK_HUB_DB=postgres_url))
    assert again.returncode == 0, again.stderr
    assert " is up to date; " in again.stdout
    hub = HubProfile(postgres_url)
    with hub.reading() as session:
        [name] = session.execute(select(ThisDevice.name)).scalars().all()
    assert name == "State office hub"
    assert first.stdout.split("device id is ")[1] == again.stdout.split("device id is ")[1]
    hub.close()


def test_a_hub_not_set_up_and_a_missing_url_are_refused_in_one_line(tmp_path, postgres_url):
    done = hub_cli(tmp_path, "import", "--db", postgres_url, str(tmp_path))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"coachdesk: The database {postgres_url.replace('+psycopg', '')} holds no coachdesk hub "
        f"yet; run `coachdesk hub init --db {postgres_url.replace('+psycopg', '')}` first."
    ]
    done = hub_cli(tmp_path, "init")
    assert done.returncode == 1
    assert done.stderr == (
        "coachdesk: Name the hub's database with --db postgresql://USER@HOST/NAME "
        "(or set COACHDESK_HUB_DB).\n"
    )


def test_trust_then_import_a_folder_of_bundles(tmp_path, postgres_url, coaches):
    dana, lee = coaches
    assert hub_cli(tmp_path, "init", "--db", postgres_url).returncode == 0
    # Before the hub trusts them, their bundles are refused with the key's fingerprint.
    refused = hub_cli(tmp_path, "import", "--db", postgres_url, str(tmp_path / "from-coaches"))
    assert refused.returncode == 1
    assert refused.stderr.count("not imported") == 2
    for device in (dana, lee):
        done = hub_cli(
            tmp_path,
            "trust",
            "--db",
            postgres_url,
            str(tmp_path / f"{device.name}.key"),
            "--name",
            device.name,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"The hub trusts {device.name} (device ")
    done = hub_cli(tmp_path, "import", "--db", postgres_url, str(tmp_path / "from-coaches"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Dana.coachdesk (from Dana): ")
    assert lines[1] == "Lee.coachdesk (from Lee): 1 coach, 1 school or district."
    assert lines[2] == "2 of 2 imported."
    again = hub_cli(
        tmp_path, "import", "--db", postgres_url, "--json", str(tmp_path / "from-coaches")
    )
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert [r["already_imported"] for r in report["imported"]] == [True, True]
    hub = HubProfile(postgres_url)
    with hub.reading() as session:
        schools = session.execute(select(func.count()).select_from(Organization)).scalar()
    with dana.profile.reading() as session:
        dana_schools = session.execute(select(func.count()).select_from(Organization)).scalar()
    assert schools == dana_schools + 1
    hub.close()


def test_an_encrypted_bundle_and_a_missing_file_are_refused_and_the_rest_imported(
    tmp_path, postgres_url, coaches
):
    dana, lee = coaches
    assert hub_cli(tmp_path, "init", "--db", postgres_url).returncode == 0
    hub = HubProfile(postgres_url)
    for device in (dana, lee):
        offer = trust.read_public_key_file(trust.public_key_file(device.profile, device.keys))
        trust.trust_key(hub, offer, name=device.name)
    hub.close()
    sealed = tmp_path / "for-lee.coachdesk"
    sealed.write_bytes(dana.bundle(encrypt_to=["Lee"]))
    done = hub_cli(
        tmp_path,
        "import",
        "--db",
        postgres_url,
        str(sealed),
        str(tmp_path / "from-coaches" / "Lee.coachdesk"),
        str(tmp_path / "nowhere.coachdesk"),
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == "Lee.coachdesk (from Lee): 1 coach, 1 school or district."
    assert done.stderr.splitlines() == [
        "coachdesk: nowhere.coachdesk: not imported. There is no such file or folder; check the "
        "name and where it is.",
        "coachdesk: for-lee.coachdesk: not imported. The state hub keeps no files of its own (no "
        "keys, no backups): it imports signed, unencrypted bundles only; ask the coach to "
        "export with --unencrypted.",
    ]


def test_the_rollup_on_the_hub_has_the_numbers_of_a_supervisors_laptop(
    tmp_path, postgres_url, coaches
):
    dana, lee = coaches
    assert hub_cli(tmp_path, "init", "--db", postgres_url, "--name", "Hub").returncode == 0
    hub = HubProfile(postgres_url)
    for device in (dana, lee):
        offer = trust.read_public_key_file(trust.public_key_file(device.profile, device.keys))
        trust.trust_key(hub, offer, name=device.name)
    hub.close()
    folder = str(tmp_path / "from-coaches")
    assert hub_cli(tmp_path, "import", "--db", postgres_url, folder).returncode == 0
    supervisor = newcomer(tmp_path / "laptops", "Pat", [dana, lee])
    for path in sorted((tmp_path / "from-coaches").glob("*.coachdesk")):
        supervisor.take(path.read_bytes())
    with supervisor.profile.reading() as session:
        laptop_rollup = build_rollup(session, today=WHEN.date(), prepared_by="Hub")
    supervisor.profile.close()
    on_laptop = laptop_rollup.as_json()

    done = hub_cli(tmp_path, "rollup", "--db", postgres_url, "--on", ON, "--json")
    assert done.returncode == 0, done.stderr
    on_hub = json.loads(done.stdout)
    assert on_hub["prepared_by"] == "Hub"
    # Pat's own (empty) coach record has no schools, so no line: the same roll-up.
    assert on_hub == on_laptop
    assert [c["coach"] for c in on_hub["coaches"]] and on_hub["schools"]

    done = hub_cli(tmp_path, "rollup", "--db", postgres_url, "--on", ON, "--program", "ny_rcv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Roll-up as of ") and "prepared by Hub" in done.stdout
    ny = [line for line in on_hub["schools"] if line["program"] == "NY_RCV"]
    assert ny and all(line["school"] in done.stdout for line in ny)
    assert not [
        ln for ln in on_hub["schools"] if ln["program"] != "NY_RCV" and ln["school"] in done.stdout
    ]
    table = tmp_path / "rollup.csv"
    done = hub_cli(tmp_path, "rollup", "--db", postgres_url, "--on", ON, "-o", str(table))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(table.open(encoding="utf-8-sig")))
    assert len(rows) == len(on_hub["schools"]) + len(on_hub["coaches"])
    assert {r["Prepared by"] for r in rows} == {"Hub"}
    assert done.stdout == f"Wrote {table}: {len(rows)} rows.\n"
    # The very file a supervisor's laptop writes from the same bundles.
    write_rollup_csv(laptop_rollup, tmp_path / "laptop.csv")
    assert table.read_bytes() == (tmp_path / "laptop.csv").read_bytes()
    wrong = hub_cli(tmp_path, "rollup", "--db", postgres_url, "--program", "Nowhere")
    assert wrong.returncode == 1 and wrong.stderr.startswith(
        "coachdesk: “Nowhere” is not a program"
    )

"""The Linux desktop integration files in packaging/ pass the freedesktop.org validators and agree
with each other and with the bundle format: a double-clicked bundle opens in coachdesk."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from coachdesk.sync.envelope import MAGIC
from coachdesk.sync.export import SUFFIX

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
APP_ID = "org.coachdesk.coachdesk"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
MIME = PACKAGING / "coachdesk-mime.xml"
BUNDLE_TYPE = "application/x-coachdesk-bundle"
# Main categories of the Desktop Menu Specification; an entry should name exactly one.
MAIN_CATEGORIES = {
    "AudioVideo",
    "Audio",
    "Video",
    "Development",
    "Education",
    "Game",
    "Graphics",
    "Network",
    "Office",
    "Science",
    "Settings",
    "System",
    "Utility",
}
_MIME_NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    # Not skipped when missing: a check that quietly does not run would pass a broken file.
    assert path is not None, (
        f"{name} is not installed (Debian package {package}; `bash dev test` run as root installs "
        "it, as CI does)"
    )
    return path


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_entry_passes_desktop_file_validate():
    result = subprocess.run(
        [_tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    # Hints (newer releases print some for valid files) are advice; errors and warnings are not.
    problems = [
        line for line in result.stdout.splitlines() if not line.split(": ")[1:2] == ["hint"]
    ]
    assert result.returncode == 0 and problems == [], result.stdout


def test_the_desktop_entry_opens_bundle_files_with_one_main_category():
    entry = _desktop_entry()
    assert entry["Exec"] == "coachdesk %f"
    assert entry["Icon"] == APP_ID
    assert entry["MimeType"].rstrip(";").split(";") == [BUNDLE_TYPE]
    categories = entry["Categories"].rstrip(";").split(";")
    assert len(MAIN_CATEGORIES.intersection(categories)) == 1, categories
    assert categories[0] in ("Office", "Education")


def test_the_metainfo_passes_appstreamcli_validate():
    result = subprocess.run(
        [_tool("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_metainfo_names_the_desktop_entry_and_the_bundle_type():
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert [m.text for m in root.iterfind("provides/mediatype")] == [BUNDLE_TYPE]
    assert root.find("content_rating") is not None
    from coachdesk import __version__

    assert __version__ in [r.get("version") for r in root.iterfind("releases/release")]


def test_the_mime_entry_matches_the_bundle_format():
    mime_type = ET.parse(MIME).getroot().find("m:mime-type", _MIME_NS)
    assert mime_type.get("type") == BUNDLE_TYPE
    assert [g.get("pattern") for g in mime_type.iterfind("m:glob", _MIME_NS)] == [f"*{SUFFIX}"]
    match = mime_type.find("m:magic/m:match", _MIME_NS)
    assert (match.get("type"), match.get("offset")) == ("string", "0")
    assert match.get("value").encode("latin-1").decode("unicode_escape").encode("latin-1") == MAGIC


def test_an_installed_mime_entry_recognises_bundles_by_name_and_by_content(tmp_path):
    """Installed as a distribution would: Qt (like file managers) then knows bundle files."""
    update = _tool("update-mime-database", "shared-mime-info")
    (tmp_path / "mime" / "packages").mkdir(parents=True)
    shutil.copy(MIME, tmp_path / "mime" / "packages")
    subprocess.run([update, str(tmp_path / "mime")], check=True, capture_output=True, timeout=60)
    renamed = tmp_path / "from-dana.bin"  # a bundle saved from e-mail under another name
    renamed.write_bytes(MAGIC + b"\x00\x01\x00\x00" + bytes(64))
    named = tmp_path / f"for-lee{SUFFIX}"
    named.write_bytes(b"")
    probe = (
        "import sys; from PySide6.QtCore import QMimeDatabase; db = QMimeDatabase();"
        "print(' '.join(db.mimeTypeForFile(p).name() for p in sys.argv[1:]))"
    )

    def types(data_dirs: str) -> list[str]:
        env = {**os.environ, "XDG_DATA_DIRS": data_dirs, "XDG_DATA_HOME": str(tmp_path / "h")}
        result = subprocess.run(
            [sys.executable, "-c", probe, str(renamed), str(named)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert BUNDLE_TYPE not in types("/usr/share")  # unknown before the entry is installed
    assert types(f"{tmp_path}:/usr/share") == [BUNDLE_TYPE, BUNDLE_TYPE]


def test_the_macos_app_declares_bundle_files_as_its_documents():
    import importlib.util
    import plistlib

    spec = importlib.util.spec_from_file_location("packaging_macos", PACKAGING / "macos.py")
    macos = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(macos)
    from coachdesk import __version__

    keys = macos.info_plist(version=__version__, suffix=SUFFIX, icon_file="coachdesk.icns")
    keys = plistlib.loads(plistlib.dumps(keys))  # what the .app's Info.plist will hold
    assert keys["CFBundleIdentifier"] == APP_ID
    assert keys["CFBundleShortVersionString"] == __version__
    (exported,) = keys["UTExportedTypeDeclarations"]
    tags = exported["UTTypeTagSpecification"]
    assert tags["public.filename-extension"] == [SUFFIX.lstrip(".")]
    assert tags["public.mime-type"] == [BUNDLE_TYPE]
    (document,) = keys["CFBundleDocumentTypes"]
    assert document["LSItemContentTypes"] == [exported["UTTypeIdentifier"]]
    assert document["LSHandlerRank"] == "Owner"

"""The macOS app's Info.plist: its identity and the bundle files it opens.

Kept out of coachdesk.spec so that tests/integration/test_desktop_files.py can check it on any
operating system; the spec passes it to PyInstaller's BUNDLE.
"""

from __future__ import annotations

from typing import Any

APP_ID = "org.coachdesk.coachdesk"
# The Uniform Type Identifier of coachdesk's bundle files, which the app declares (exports).
BUNDLE_UTI = "org.coachdesk.bundle"
BUNDLE_MIME_TYPE = "application/x-coachdesk-bundle"


def info_plist(*, version: str, suffix: str, icon_file: str) -> dict[str, Any]:
    """Info.plist keys for coachdesk.app; `suffix` is the bundle files' (".coachdesk")."""
    return {
        "CFBundleIdentifier": APP_ID,
        "CFBundleName": "coachdesk",
        "CFBundleDisplayName": "coachdesk",
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "NSHighResolutionCapable": True,
        # Finder opens bundle files with coachdesk; Qt delivers them as FileOpen events.
        "CFBundleDocumentTypes": [
            {
                "CFBundleTypeName": "coachdesk bundle",
                "CFBundleTypeRole": "Viewer",
                "LSHandlerRank": "Owner",
                "LSItemContentTypes": [BUNDLE_UTI],
                "CFBundleTypeIconFile": icon_file,
            }
        ],
        "UTExportedTypeDeclarations": [
            {
                "UTTypeIdentifier": BUNDLE_UTI,
                "UTTypeDescription": "coachdesk bundle",
                "UTTypeConformsTo": ["public.data"],
                "UTTypeIconFile": icon_file,
                "UTTypeTagSpecification": {
                    "public.filename-extension": [suffix.lstrip(".")],
                    "public.mime-type": [BUNDLE_MIME_TYPE],
                },
            }
        ],
    }

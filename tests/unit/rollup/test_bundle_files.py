"""Folders given to an import stand for the bundles directly inside them; everything left out
is named with a sentence saying why."""

from __future__ import annotations

from pathlib import Path

from coachdesk.core.changes import ChangeSummary
from coachdesk.sync.bundle_files import bundle_paths, import_summary
from coachdesk.sync.errors import BundleError
from coachdesk.sync.importer import ImportReport, ImportResult, Rejected


def _folder(root: Path) -> Path:
    folder = root / "From coaches"
    folder.mkdir()
    for name in ("sam.coachdesk", "Dana.coachdesk", "jordan.COACHDESK", "notes.txt", ".DS_Store"):
        (folder / name).write_bytes(b"x")
    (folder / "older").mkdir()
    (folder / "older" / "last-year.coachdesk").write_bytes(b"x")
    return folder


def test_a_folder_gives_its_bundles_sorted_and_names_what_it_left_out(tmp_path):
    folder = _folder(tmp_path)
    files, refused = bundle_paths([folder])
    assert [p.name for p in files] == ["Dana.coachdesk", "jordan.COACHDESK", "sam.coachdesk"]
    # Not recursive: the folder inside is named, with what to do; hidden files are skipped.
    assert [(r.path.name, r.sentence()) for r in refused] == [
        (
            "notes.txt",
            "notes.txt: not imported. Its name does not end in .coachdesk, so it was not taken"
            " for a bundle; import it by name if it is one.",
        ),
        (
            "older",
            "older: not imported. It is a folder inside the one chosen; import reads only the"
            " bundles directly in a folder, so import this one on its own.",
        ),
    ]


def test_files_named_on_their_own_are_read_whatever_their_name_and_only_once(tmp_path):
    folder = _folder(tmp_path)
    named = folder / "notes.txt"
    files, refused = bundle_paths([named, folder / "sam.coachdesk", folder])
    assert [p.name for p in files] == [
        "notes.txt",
        "sam.coachdesk",
        "Dana.coachdesk",
        "jordan.COACHDESK",
    ]
    assert [r.path.name for r in refused] == ["older"]  # notes.txt was asked for by name


def test_a_missing_path_and_a_folder_without_bundles_are_refused_in_a_sentence(tmp_path):
    empty = tmp_path / "Empty"
    empty.mkdir()
    (empty / "readme.md").write_text("nothing here")
    files, refused = bundle_paths([tmp_path / "nowhere.coachdesk", empty])
    assert files == []
    assert [r.sentence() for r in refused] == [
        "nowhere.coachdesk: not imported. There is no such file or folder; check the name and"
        " where it is.",
        "Empty: not imported. The folder has no bundle in it (files ending in .coachdesk);"
        " choose the folder the coaches' bundles were saved in.",
    ]


def test_the_summary_counts_what_merged_what_was_there_already_and_what_was_not_read(tmp_path):
    def result(name: str, already: bool) -> ImportResult:
        return ImportResult(
            source=name,
            bundle_id=name,
            signer_name="Dana",
            already_imported=already,
            changes_in_bundle=5,
            new_changes=0 if already else 5,
        )

    report = ImportReport(
        imported=(result("a", False), result("b", False), result("c", True)),
        rejected=(Rejected("d", BundleError("damaged")),),
        changes=ChangeSummary(),
    )
    _files, refused = bundle_paths([tmp_path / "gone"])
    assert import_summary(report, refused) == (
        "Import finished: 2 bundles imported, 1 already imported, 2 not imported (each is"
        " listed below with its reason)."
    )
    one = ImportReport((result("a", False),), (), ChangeSummary())
    assert import_summary(one, []) == "Import finished: 1 bundle imported."

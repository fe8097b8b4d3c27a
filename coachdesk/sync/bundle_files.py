"""Which files an import reads, when it is given folders as well as files.

    files, refused = bundle_paths([Path("~/Bundles from coaches"), Path("extra.coachdesk")])

A folder stands for the bundle files directly inside it (`*.coachdesk`, sorted by name; the
folders inside it are not opened: it is not recursive), so a supervisor can import every
coach's bundle at once. A file named on its own is read whatever its name: the importer says
whether it is a bundle. Everything else is refused with one sentence: a path that does not
exist, a folder with no bundle in it, and the other files and folders inside a folder (so the
summary lists what was left and why). A file named twice is read once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from coachdesk.sync.export import SUFFIX
from coachdesk.sync.importer import ImportReport


@dataclass(frozen=True)
class RefusedPath:
    """A path an import does not read, and why, in one sentence."""

    path: Path
    reason: str

    def sentence(self) -> str:
        return f"{self.path.name or self.path}: not imported. {self.reason}"


def is_bundle_name(path: Path) -> bool:
    """Whether a file in a folder is taken for a bundle: its name ends in .coachdesk."""
    return path.name.lower().endswith(SUFFIX) and not path.name.startswith(".")


def bundle_paths(paths: Iterable[Path]) -> tuple[list[Path], list[RefusedPath]]:
    """The bundle files to import from `paths` (folders expanded, in order, each file once),
    and the paths refused with their reasons."""
    files: list[Path] = []
    refused: list[RefusedPath] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for given in paths:
        path = given.expanduser()
        if path.is_dir():
            inside = sorted(path.iterdir(), key=lambda p: p.name.casefold())
            bundles = [p for p in inside if p.is_file() and is_bundle_name(p)]
            if not bundles:
                refused.append(
                    RefusedPath(
                        path,
                        f"The folder has no bundle in it (files ending in {SUFFIX}); choose the "
                        "folder the coaches' bundles were saved in.",
                    )
                )
                continue
            for entry in inside:
                if entry in bundles:
                    add(entry)
                elif entry.name.startswith("."):
                    continue  # hidden files (.DS_Store, a partial download) are not news
                elif entry.is_dir():
                    refused.append(
                        RefusedPath(
                            entry,
                            "It is a folder inside the one chosen; import reads only the "
                            "bundles directly in a folder, so import this one on its own.",
                        )
                    )
                else:
                    refused.append(
                        RefusedPath(
                            entry,
                            f"Its name does not end in {SUFFIX}, so it was not taken for a "
                            "bundle; import it by name if it is one.",
                        )
                    )
        elif path.is_file():
            add(path)
        elif path.exists():
            refused.append(RefusedPath(path, "It is neither a file nor a folder."))
        else:
            refused.append(
                RefusedPath(
                    path, "There is no such file or folder; check the name and where it is."
                )
            )
    # A file named on its own as well as left out of a folder beside it is read, not refused.
    return files, [r for r in refused if r.path.resolve() not in seen]


def import_summary(report: ImportReport, refused: list[RefusedPath]) -> str:
    """One sentence for an import of many files: how many merged, were already imported, or
    were not imported (each of those is listed on its own with its reason)."""
    merged = sum(1 for r in report.imported if not r.already_imported)
    already = len(report.imported) - merged
    left = len(report.rejected) + len(refused)
    parts = [f"{merged} bundle{'' if merged == 1 else 's'} imported"]
    if already:
        parts.append(f"{already} already imported")
    if left:
        parts.append(f"{left} not imported (each is listed below with its reason)")
    return "Import finished: " + ", ".join(parts) + "."

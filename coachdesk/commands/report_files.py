"""What the report commands share: the file `-o` names, checked before any work, and written so
that it appears only when complete.

    out = checked_output(args.output, suffixes=PDF_OR_CSV, example="q2.pdf")
    result = write_whole(out, lambda part: render(data, part))
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from coachdesk.core.errors import RefusedInput

PDF_ONLY = (".pdf",)
PDF_OR_CSV = (".pdf", ".csv")

T = TypeVar("T")


def add_output(parser: argparse.ArgumentParser, suffixes: tuple[str, ...] = PDF_OR_CSV) -> None:
    """The -o argument and --large-print, as every report command takes them."""
    if suffixes == PDF_ONLY:
        parser.add_argument(
            "-o", "--output", required=True, type=Path, metavar="F.pdf", help="the PDF to write"
        )
        parser.add_argument(
            "--large-print", action="store_true", help="bigger type, the same content"
        )
        return
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="F.pdf|F.csv",
        help="the file to write: .pdf for the report, .csv for a spreadsheet",
    )
    parser.add_argument(
        "--large-print", action="store_true", help="bigger type, the same content (PDF only)"
    )


def checked_output(
    path: Path, *, suffixes: tuple[str, ...] = PDF_ONLY, example: str = "report.pdf"
) -> Path:
    """The output path, refused with a sentence unless it can be a new file of `suffixes` there."""
    out = path.expanduser()
    if out.is_dir():
        raise RefusedInput(f"{out} is a folder; give a file name such as {out / example}.")
    if out.suffix.lower() not in suffixes:
        kinds = "a PDF" if suffixes == PDF_ONLY else "a PDF or a CSV file"
        endings = " or ".join(suffixes)
        raise RefusedInput(
            f"The report is {kinds}: give a file name ending in {endings} (not {out.name!r})."
        )
    if not out.parent.is_dir():
        raise RefusedInput(
            f"The folder {out.parent} does not exist; create it first or choose another place."
        )
    return out


def write_whole(out: Path, write: Callable[[Path], T]) -> T:
    """Write `out` through a temporary file beside it, renamed once complete, so a reader never
    sees half a report and a failure leaves no file. (A plain file, not mkstemp: the usual
    permissions, not 0600.)"""
    temporary = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        result = write(temporary)
        os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return result


def written_pdf(out: Path, render: Callable[[object], T]) -> T:
    """write_whole for a renderer that takes an open binary file."""

    def write(part: Path) -> T:
        with open(part, "wb") as stream:
            return render(stream)

    return write_whole(out, write)


def pages(count: int) -> str:
    return f"{count} page{'s' if count != 1 else ''}"

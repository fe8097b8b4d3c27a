"""Reading back what a PDF shows, as a principal's eye (or pypdf) would."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader


@dataclass
class ReadPdf:
    reader: PdfReader
    pages: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def flat(self) -> str:
        """The text with line breaks and runs of spaces made single spaces (wrapping ignored)."""
        return " ".join(self.text.split())

    @property
    def lines(self) -> list[str]:
        """Each extracted line, trimmed (right-aligned cells come with a leading space)."""
        return [line.strip() for line in self.text.splitlines()]

    def font_sizes_of(self, needle: str) -> set[float]:
        """The font sizes at which a piece of text was drawn, on any page."""
        sizes: set[float] = set()

        def visit(text, cm, tm, font_dict, font_size) -> None:
            if needle in text:
                sizes.add(round(font_size * tm[0], 1))

        for page in self.reader.pages:
            page.extract_text(visitor_text=visit)
        return sizes


def read_pdf(source: Path | bytes) -> ReadPdf:
    reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source)
    return ReadPdf(reader, [page.extract_text() for page in reader.pages])


def fonts_used(reader: PdfReader) -> dict[str, bool]:
    """Every font the pages name, and whether its program is embedded in the file."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            found[str(font["/BaseFont"])] = embedded
    return found

"""The fonts every coachdesk PDF embeds, and which of them has a glyph for a character.

DejaVu Sans (resources/fonts) is the house font: Latin with every accent, Greek, Cyrillic,
Hebrew and Arabic, whose joined letter forms it carries as the Arabic presentation forms. Where it
has no glyph, text falls back per character to:

1. Coachdesk CJK, a subset of Droid Sans Fallback (Chinese and Japanese names) and Coachdesk
   Emoji, a subset of Symbola, both shipped in resources/fonts (tools/make_fonts.py cuts them);
2. a font of the machine's own, for what those lack (a rarer Han character, Korean): Microsoft
   YaHei, SimSun, Malgun Gothic or Segoe UI Symbol on Windows, Arial Unicode or Apple SD Gothic
   on macOS, what fontconfig names on Linux. Only TrueType outlines can be embedded by reportlab;
   a font with PostScript (CFF) outlines is passed over.

The fallback fonts are read only when a document first needs them, so a Latin-only document pays
nothing for them. A character no font has prints as the house font's empty box, as before.

Copying text out of a PDF: each embedded subset maps its codes back to Unicode (the ToUnicode
table). Joined Arabic letters are drawn with their presentation-form glyphs; those map back to the
letters a reader typed (U+FEE3 "meem, initial form" copies as U+0645 "meem"; a lam-alef ligature
as lam and alef), and characters
beyond the Basic Multilingual Plane (emoji) map to their UTF-16 pairs, which reportlab's own table
writes as invalid four-digit codes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from coachdesk.core.bundled import resources_dir

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"

CJK_FONT = "CoachdeskCJK"
EMOJI_FONT = "CoachdeskEmoji"

# Shipped fallbacks, in the order they are asked for a glyph.
BUNDLED_FALLBACKS = ((CJK_FONT, "CoachdeskCJK.ttf"), (EMOJI_FONT, "CoachdeskEmoji.ttf"))

_state: dict[str, object] = {}
_remembered_subsets: list[Any] = []  # each HouseFont's cache of cut subsets


def forget_remembered() -> None:
    """Drop the subsets, ToUnicode tables and compressed font files kept for re-renders (for
    benchmarks/reports.py, which also times a first render)."""
    for cache in (*_remembered_subsets, _cmap_text, _deflate_remembered, _numbers_text):
        cache.cache_clear()


class HouseFont(TTFont):
    """A TrueType font as reportlab embeds it, with two shortcuts that keep PDFs quick.

    - A plain ASCII string is mapped to its subset codes in one step: reportlab gives every
      printable ASCII character its own code in the first subset of each document
      (ttfAsciiReadable), so the bytes are the text itself. reportlab looks each character up
      in a loop, and every line of a table cell or paragraph goes through it.
    - The embedded subset of the font (the glyphs a document uses, cut out by reportlab) is
      remembered for the last few glyph sets: rendering a summary again (its preview, then the
      file; a second pass to avoid a lonely last page) does not cut the same subset twice.
    """

    def __init__(self, name: str, filename: str, subfontIndex: int = 0) -> None:  # noqa: N803
        super().__init__(name, filename, subfontIndex=subfontIndex)
        cut = self.face.makeSubset

        @lru_cache(maxsize=12)
        def remembered(subset: tuple[int, ...]) -> bytes:
            return bytes(cut(list(subset)))

        self.face.makeSubset = lambda subset: remembered(tuple(subset))
        _remembered_subsets.append(remembered)

    def addObjects(self, doc: Any) -> None:  # noqa: N802 (reportlab's name)
        """The font's subsets as PDF objects; each subset's widths written as one ready array
        (reportlab formats the 256 numbers one object at a time, a fifth of saving a summary)."""
        state = self.state.get(doc)
        names = (
            [self.getSubsetInternalName(n, doc)[1:] for n in range(len(state.subsets))]
            if state is not None
            else []
        )
        super().addObjects(doc)
        fonts = doc.idToObject["BasicFonts"].dict
        for name in names:
            font = fonts.get(name)
            widths = getattr(font, "Widths", None)
            if isinstance(widths, pdfdoc.PDFArray):
                font.Widths = _Numbers(widths.sequence)

    def splitString(  # noqa: N802 (reportlab's name)
        self, text: str | bytes, doc: Any, encoding: str = "utf-8"
    ) -> list[tuple[int, bytes]]:
        if (
            self._asciiReadable
            and isinstance(text, str)
            and text.isascii()
            and text.isprintable()
            and doc in self.state
        ):
            return [(0, text.encode("ascii"))]
        return list(super().splitString(text, doc, encoding))


@dataclass
class Fallback:
    """A font text falls back to: its reportlab name and the characters it has glyphs for."""

    name: str
    path: Path
    index: int = 0  # the font's place in a .ttc collection
    chars: frozenset[int] | None = None  # read on first use

    def has(self, code: int) -> bool:
        if self.chars is None:
            self.chars = _load(self)
        return code in self.chars


def _load(fallback: Fallback) -> frozenset[int]:
    """Register the font with reportlab; the characters it covers (none if it cannot be used)."""
    try:
        font = HouseFont(fallback.name, str(fallback.path), subfontIndex=fallback.index)
    except (TTFError, OSError, ValueError):
        return frozenset()  # PostScript outlines, a damaged file, or no longer there
    pdfmetrics.registerFont(font)
    # One face for all four styles: <b> around a Chinese name keeps the Chinese glyphs.
    name = fallback.name
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return frozenset(font.face.charToGlyph)


def register_fonts() -> None:
    """Register the house font family once per process (the fallbacks wait until needed)."""
    if "house" in _state:
        return
    # Embedded font files as binary streams, not ASCII85 text: a quarter smaller, and encoding
    # them in pure Python took a tenth of a summary's render time. Process-wide; coachdesk is
    # reportlab's only user here.
    rl_config.useA85 = 0
    # Deflate at level 1, not zlib's default 6: the embedded font subsets and the pages compress
    # in a third of the time (a quarter of a summary's render time went there) for a file 4%
    # larger.
    pdfdoc.PDFZCompress.encode = _deflate
    folder = resources_dir() / "fonts"
    regular = HouseFont(FONT, str(folder / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(HouseFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(HouseFont(FONT_ITALIC, str(folder / "DejaVuSans-Oblique.ttf")))
    # No bold-oblique face is shipped; bold stands in for it.
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD
    )
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    _state["house"] = frozenset(regular.face.charToGlyph)
    _state["fallbacks"] = [Fallback(name, folder / file) for name, file in BUNDLED_FALLBACKS]


class _Numbers(pdfdoc.PDFObject):
    """A PDF array of numbers, formatted once."""

    def __init__(self, values: list[float]) -> None:
        self.text = _numbers_text(tuple(values))

    def format(self, document: Any) -> bytes:
        return self.text


@lru_cache(maxsize=12)  # a subset's widths, the same when the summary is rendered again
def _numbers_text(values: tuple[float, ...]) -> bytes:
    return b"[" + fp_str(*values).encode("ascii") + b"]" if values else b"[]"


def _deflate(data: str | bytes) -> bytes:
    raw = data.encode("utf8") if isinstance(data, str) else data
    if len(raw) >= _REMEMBERED_STREAM:
        return _deflate_remembered(raw)
    return zlib.compress(raw, 1)


# Streams this long are embedded font subsets (a page is a few kilobytes): remembered with them.
_REMEMBERED_STREAM = 16384


@lru_cache(maxsize=12)
def _deflate_remembered(raw: bytes) -> bytes:
    return zlib.compress(raw, 1)


def house_chars() -> frozenset[int]:
    """Every character DejaVu Sans (regular) has a glyph for."""
    register_fonts()
    chars = _state["house"]
    assert isinstance(chars, frozenset)
    return chars


def _fallbacks() -> list[Fallback]:
    register_fonts()
    found = _state["fallbacks"]
    assert isinstance(found, list)
    return found


_chosen: dict[int, str | None] = {}


def font_for(char: str) -> str | None:
    """The fallback font that has a glyph for a character DejaVu lacks; None if no font has it."""
    code = ord(char)
    if code in _chosen:
        return _chosen[code]
    choice = next((f.name for f in _fallbacks() if f.has(code)), None)
    if choice is None and "system" not in _state:
        _state["system"] = True
        _fallbacks().extend(system_fallbacks())
        choice = next((f.name for f in _fallbacks() if f.has(code)), None)
    _chosen[code] = choice
    return choice


# --- Fonts of the machine -----------------------------------------------------------------------

_WINDOWS_FONTS = (
    ("msyh.ttc", 0),  # Microsoft YaHei: simplified Chinese
    ("msjh.ttc", 0),  # Microsoft JhengHei: traditional Chinese
    ("simsun.ttc", 0),
    ("malgun.ttf", 0),  # Malgun Gothic: Korean
    ("YuGothR.ttc", 0),
    ("seguisym.ttf", 0),  # Segoe UI Symbol: emoji outlines
    ("seguiemj.ttf", 0),
)
_MAC_FONTS = (
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/AppleSDGothicNeo.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
)
# What fontconfig is asked for on Linux and the BSDs: one family per script.
_FONTCONFIG_QUERIES = (":lang=zh-cn", ":lang=zh-tw", ":lang=ja", ":lang=ko", ":charset=1f600")


def system_fallbacks() -> list[Fallback]:
    """The machine's own fonts worth asking for a glyph, most useful first (may be none)."""
    paths: list[tuple[Path, int]] = []
    if sys.platform == "win32":
        folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        paths = [(folder / name, index) for name, index in _WINDOWS_FONTS]
    elif sys.platform == "darwin":
        paths = [(Path(p), 0) for p in _MAC_FONTS]
    else:
        paths = _fontconfig_paths()
    found: list[Fallback] = []
    seen: set[tuple[Path, int]] = set()
    for path, index in paths:
        if (path, index) in seen or not path.is_file():
            continue
        seen.add((path, index))
        if path.suffix.lower() == ".otf":
            continue  # PostScript outlines: reportlab cannot embed them
        found.append(Fallback(f"CoachdeskSystem{len(found) + 1}", path, index))
    return found


def _fontconfig_paths() -> list[tuple[Path, int]]:
    command = shutil.which("fc-match")
    if command is None:
        return []
    paths: list[tuple[Path, int]] = []
    for query in _FONTCONFIG_QUERIES:
        try:
            done = subprocess.run(
                [command, "--format=%{file}\t%{index}", query],
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        file, _tab, index = done.stdout.partition("\t")
        if file:
            paths.append((Path(file), int(index) if index.isdigit() else 0))
    return paths


# --- Copying text back out ----------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _unicode_of(code: int) -> str:
    """The UTF-16 hex a glyph copies as: presentation forms as the letters they show."""
    char = chr(code)
    if 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        # A ligature (lam-alef) is drawn within a right-to-left run laid out in drawing order,
        # which a reader reverses when copying: its letters are given in that order too.
        char = unicodedata.normalize("NFKC", char)[::-1] or char
    return char.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap for one subset (ttfonts.makeToUnicodeCMap), fixed as above."""
    return _cmap_text(fontname, tuple(subset))


@lru_cache(maxsize=12)  # a summary rendered again names the same subsets
def _cmap_text(fontname: str, subset: tuple[int, ...]) -> str:
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_unicode_of(code)}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)

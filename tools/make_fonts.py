"""Make the fonts in resources/fonts/ that coachdesk embeds in its PDFs.

    python tools/make_fonts.py [--check]

DejaVu Sans (regular, bold, oblique; Debian's fonts-dejavu-core) covers Latin, Greek, Cyrillic,
Arabic and Hebrew. It is shipped without its TrueType hinting instructions: every glyph and
table a PDF uses is kept, and the subset embedded in each PDF is half the size (a summary went
from 51 to 30 kB, and compressing the font files was the largest part of a first render), with
no visible difference in print or on screen (the glyph outlines are the same; PDF viewers do not
hint at these sizes).

Two subsets are cut from Debian's font packages (apt-get install fonts-dejavu-core
fonts-droid-fallback fonts-symbola) and committed, so that a fresh clone prints Chinese and
Japanese names and most emoji with no system font:

- CoachdeskCJK.ttf from Droid Sans Fallback (Apache 2.0): the Han characters of GB 2312 (simplified
  Chinese), Big5 level 1 (traditional) and JIS X 0208 (Japanese), kana, CJK punctuation and
  full-width forms: every character a name is commonly written with, in about a third of the
  original's size.
- CoachdeskEmoji.ttf from Symbola (free for any use): the emoji and pictographs DejaVu lacks.

Both keep TrueType (glyf) outlines, which reportlab needs. fontTools (pip install fonttools) cuts
them; it is a tool of this script, not a dependency of coachdesk. --check only reports what the
committed files cover.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "resources" / "fonts"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
DEJAVU_FACES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
SYMBOLA = Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")

CJK_NAME = "CoachdeskCJK.ttf"
EMOJI_NAME = "CoachdeskEmoji.ttf"


def _two_byte_chars(codec: str, lead: range, trail: range) -> set[int]:
    found: set[int] = set()
    for a in lead:
        for b in trail:
            try:
                found.update(map(ord, bytes((a, b)).decode(codec)))
            except UnicodeDecodeError:
                continue
    return found


def cjk_chars() -> set[int]:
    """GB 2312 + Big5 level 1 + JIS X 0208 + kana, CJK punctuation and full-width forms."""
    chars = _two_byte_chars("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
    chars |= _two_byte_chars("big5", range(0xA4, 0xC7), range(0x40, 0xFF))
    chars |= _two_byte_chars("euc_jp", range(0xA1, 0xF5), range(0xA1, 0xFF))
    for start, end in ((0x3000, 0x30FF), (0x3190, 0x31FF), (0xFF00, 0xFFEF)):
        chars.update(range(start, end + 1))
    return {c for c in chars if c > 0x2E7F}  # Latin, Greek and symbols stay DejaVu's


def emoji_chars() -> set[int]:
    chars: set[int] = set()
    for start, end in (
        (0x2300, 0x23FF),  # watch, hourglass, alarm clock
        (0x2600, 0x27BF),  # weather, stars, check marks, dingbats
        (0x2B00, 0x2BFF),  # large stars and squares
        (0x1F300, 0x1F6FF),  # pictographs, emoticons, transport and map symbols
        (0x1F900, 0x1F9FF),  # supplemental symbols and pictographs
    ):
        chars.update(range(start, end + 1))
    return chars


def subset(source: Path, target: Path, wanted: set[int], skip: set[int], name: str) -> None:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, recalcTimestamp=False)  # the same bytes on every run
    have = set(font.getBestCmap())
    keep = sorted((wanted & have) - skip)
    options = ft_subset.Options()
    options.layout_features = []  # no shaping tables: reportlab draws glyphs one by one
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.notdef_outline = True
    sub = ft_subset.Subsetter(options)
    sub.populate(unicodes=keep)
    sub.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4):
            record.string = name
        elif record.nameID == 6:
            record.string = name.replace(" ", "")
    font.save(target)
    print(f"{target.relative_to(ROOT)}: {len(keep)} characters, {target.stat().st_size} bytes")


def dehint(source: Path, target: Path) -> None:
    """The whole font, every glyph, name and layout table, without its hinting instructions."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, recalcTimestamp=False)  # the same bytes on every run
    options = ft_subset.Options()
    options.glyph_names = True
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.legacy_kern = True
    options.passthrough_tables = True
    options.hinting = False
    sub = ft_subset.Subsetter(options)
    sub.populate(glyphs=font.getGlyphOrder(), unicodes=list(font.getBestCmap()))
    sub.subset(font)
    font.save(target)
    print(f"{target.relative_to(ROOT)}: {target.stat().st_size} bytes (from {source})")


def dejavu_chars() -> set[int]:
    from fontTools.ttLib import TTFont

    return set(TTFont(FONTS / "DejaVuSans.ttf").getBestCmap())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report on the committed files")
    args = parser.parse_args()
    if args.check:
        from fontTools.ttLib import TTFont

        for name in (*DEJAVU_FACES, CJK_NAME, EMOJI_NAME):
            path = FONTS / name
            font = TTFont(path)
            print(f"{name}: {len(font.getBestCmap())} characters, {path.stat().st_size} bytes")
        return 0
    missing = [str(p) for p in (DEJAVU / DEJAVU_FACES[0], DROID, SYMBOLA) if not p.exists()]
    if missing:
        print(
            "Missing source fonts: "
            + ", ".join(missing)
            + " (apt-get install fonts-dejavu-core fonts-droid-fallback fonts-symbola).",
            file=sys.stderr,
        )
        return 1
    for face in DEJAVU_FACES:
        dehint(DEJAVU / face, FONTS / face)
    dejavu = dejavu_chars()
    subset(DROID, FONTS / CJK_NAME, cjk_chars(), dejavu, "Coachdesk CJK")
    subset(SYMBOLA, FONTS / EMOJI_NAME, emoji_chars(), dejavu, "Coachdesk Emoji")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Text in any script made ready for reportlab: font runs, joined Arabic, right-to-left order.

reportlab draws the characters of a string one after another, left to right, in one font. So
before a string reaches it:

- Arabic letters are joined (scripts_arabic picks each letter's initial, medial, final or
  isolated form, drawn from DejaVu Sans) and every right-to-left run is put in the order it is
  seen (`right_to_left`: what the Unicode bidirectional algorithm gives for a right-to-left run
  on a left-to-right line; the documents are in English). A run is kept whole on one line, and
  is fenced by left-to-right marks (U+200E, no width) so that a PDF reader copying the line puts
  the neighbouring " · " back where it was.
- Characters DejaVu Sans has no glyph for go to the fallback font that has them (fonts.py):
  `<font name="CoachdeskCJK">` around a run in a Paragraph, or a run drawn by itself on a canvas.

Everything else, which is nearly every string a coach types, is left as it is: `needs_work` says
which is which with one regular-expression search.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth

from coachdesk.reports import fonts
from coachdesk.reports.scripts_arabic import join_arabic

LRM = "\u200e"
NBSP = "\u00a0"

# Right-to-left letters: Hebrew, Arabic (with its supplements and presentation forms), Syriac,
# Thaana, N'Ko.
_RTL_RANGES = (
    (0x0590, 0x08FF),
    (0xFB1D, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_RTL_CLASS = "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in _RTL_RANGES)
_RTL_RUN = re.compile(f"[{_RTL_CLASS}](?:[{_RTL_CLASS}0-9\\s\u00a0.,:;'()\\-]*[{_RTL_CLASS}])?")

# Runs of an unbroken right-to-left phrase longer than this may break between words.
LONGEST_UNBROKEN_RUN = 48


def _ranges(codes: frozenset[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for code in sorted(codes):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


@lru_cache(maxsize=1)
def _special() -> re.Pattern[str]:
    """A search for any character that is right-to-left or that DejaVu Sans lacks."""
    plain = {c for c in fonts.house_chars() if not any(a <= c <= b for a, b in _RTL_RANGES)}
    plain |= {9, 10, 13}
    parts = []
    for a, b in _ranges(frozenset(plain)):
        parts.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
    return re.compile(f"[^{''.join(parts)}]")


def needs_work(value: str) -> bool:
    """Whether a string holds right-to-left text or a character the house font cannot draw."""
    return not value.isascii() and _special().search(value) is not None


def needs_fallback(value: str) -> bool:
    """Whether a string holds a character DejaVu Sans has no glyph for."""
    house = fonts.house_chars()
    return any(ord(c) not in house and not c.isspace() for c in value)


def has_rtl(value: str) -> bool:
    return _RTL_RUN.search(value) is not None


def visual(line: str) -> str:
    """One line (no line breaks) as drawn: Arabic joined, right-to-left runs in visual order."""
    if not has_rtl(line):
        return line
    return "".join(_visual_pieces(line))


def _visual_pieces(line: str) -> list[str]:
    pieces: list[str] = []
    at = 0
    for match in _RTL_RUN.finditer(line):
        pieces.append(line[at : match.start()])
        for chunk in _chunks(match.group(0)):
            shown = right_to_left(join_arabic(chunk))
            pieces.append(LRM + shown.replace(" ", NBSP) + LRM)
            pieces.append(" ")
        pieces.pop()  # the space after the last chunk
        at = match.end()
    pieces.append(line[at:])
    return pieces


# Numbers inside a right-to-left run keep their own order: digits (European, Arabic-Indic),
# with a single separator between digits (3.5, 12/4, 2026-27), as the bidirectional algorithm
# has them (rules W4 and I2).
_NUMBER = re.compile(
    "[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,:/+\\-][0-9\u0660-\u0669\u06f0-\u06f9]+)*"
)
# Drawn right to left, an opening bracket shows as its mirror image (rule L4).
_MIRRORED = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def right_to_left(run: str) -> str:
    """A run of right-to-left text (letters, spaces, punctuation, numbers) in drawing order.

    What the Unicode bidirectional algorithm gives for such a run on its own: the characters
    reversed, numbers kept in their order, brackets mirrored. `_RTL_RUN` only ever hands it runs
    of those characters, fenced off from the left-to-right text around them.
    """
    pieces: list[str] = []
    at = 0
    for number in _NUMBER.finditer(run):
        pieces += run[at : number.start()].translate(_MIRRORED)
        pieces.append(number.group(0))
        at = number.end()
    pieces += run[at:].translate(_MIRRORED)
    return "".join(reversed(pieces))


def _chunks(run: str) -> list[str]:
    """A right-to-left run in pieces of whole words, each short enough to keep on one line."""
    if len(run) <= LONGEST_UNBROKEN_RUN:
        return [run]
    chunks: list[str] = []
    for word in run.split():
        if chunks and len(chunks[-1]) + 1 + len(word) <= LONGEST_UNBROKEN_RUN:
            chunks[-1] += " " + word
        else:
            chunks.append(word)
    return chunks


def font_runs(value: str, font: str) -> list[tuple[str, str]]:
    """(font, text) runs of a string: `font` where it has the glyph, a fallback elsewhere."""
    house = fonts.house_chars()
    runs: list[tuple[str, str]] = []
    for char in value:
        code = ord(char)
        chosen = font
        if code not in house and not char.isspace():
            chosen = fonts.font_for(char) or font
        if runs and runs[-1][0] == chosen:
            runs[-1] = (chosen, runs[-1][1] + char)
        else:
            runs.append((chosen, char))
    return runs


def markup(value: str, font: str = fonts.FONT) -> str:
    """Plain text as Paragraph markup: escaped, line breaks kept, every script drawable."""
    lines = []
    for line in value.split("\n"):
        shown = visual(line)
        if needs_fallback(shown):
            lines.append(
                "".join(
                    escape(part) if name == font else f'<font name="{name}">{escape(part)}</font>'
                    for name, part in font_runs(shown, font)
                )
            )
        else:
            lines.append(escape(shown))
    return "<br/>".join(lines)


def runs_width(runs: list[tuple[str, str]], size: float) -> float:
    return sum(stringWidth(part, name, size) for name, part in runs)


def text_width(value: str, font: str, size: float) -> float:
    """How wide a line prints, fallback fonts included."""
    if value.isascii() or not needs_fallback(value):
        return stringWidth(value, font, size)
    return runs_width(font_runs(value, font), size)


# A long unbroken token (a URL, an e-mail address) breaks after one of these when it can.
BREAK_AFTER = frozenset("/.@-_?&=#:;,")


def break_lines(value: str, font: str, size: float, width: float, slack: float = 0.0) -> list[str]:
    """Text broken into lines that fit a width: at spaces, and inside a token too long for one.

    A single word may run `slack` points past the width (into a cell's padding) rather than
    break. Works on the text as typed (logical order); `visual` then turns each line into drawing
    order.
    """
    fonts.register_fonts()
    if "\n" not in value and text_width(value, font, size) <= width:
        return [value]  # most cells: they fit once measured
    lines: list[str] = []
    space = stringWidth(" ", font, size)
    for paragraph in value.split("\n"):
        line, line_width = "", 0.0
        for index, word in enumerate(paragraph.split(" ")):
            word_width = text_width(word, font, size)
            if index and line_width + space + word_width <= width:
                line, line_width = f"{line} {word}", line_width + space + word_width
                continue
            if index:
                lines.append(line)
            while word_width > width + slack and len(word) > 1:
                head, rest = _split_token(word, font, size, width)
                if len(rest) == 1 and not rest.isalnum():
                    break  # "Communicating:" overhangs by its colon rather than lose it
                lines.append(head)
                word = rest
                word_width = text_width(word, font, size)
            line, line_width = word, word_width
        lines.append(line)
    return lines


def _split_token(word: str, font: str, size: float, width: float) -> tuple[str, str]:
    """The longest head of a token that fits, cut after a / . @ - _ where one is near the end,
    else hyphenated between two letters."""
    fits, used = 0, 0.0
    for index, char in enumerate(word):
        used += text_width(char, font, size)
        if used > width:
            break
        fits = index + 1
    fits = max(fits, 1)
    for cut in range(fits, max(fits // 3, 1), -1):
        if word[cut - 1] in BREAK_AFTER:
            return word[:cut], word[cut:]
    if fits > 2 and word[fits - 2].isalpha() and word[fits - 1].isalpha():
        # Inside a word (a heading wider than its column): a hyphen where it breaks.
        return word[: fits - 1] + "-", word[fits - 1 :]
    return word[:fits], word[fits:]

"""Arabic letters joined as they are written: each letter in its initial, medial, final or
isolated form, lam and alef as one ligature.

reportlab draws one glyph per character, so the joining a text engine does is done here, by
replacing each letter with its form from the Arabic presentation forms (U+FB50 to U+FEFF), which
DejaVu Sans draws. The forms and which letters join on which side are read from Unicode's own
data (unicodedata's decompositions of the presentation forms: "<initial> 0645" is meem's initial
form), so Persian and Urdu letters join too.

Vowel marks (harakat, rare in names) are left out, as most Arabic print does: placing a mark over
its letter needs the font's positioning tables, which reportlab does not apply, and a PDF reader
copying a right-to-left run would move each mark to the wrong letter.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

TATWEEL = "\u0640"
ZWJ = "\u200d"
LAM = "\u0644"
ALEFS = "\u0622\u0623\u0625\u0627"  # alef with madda, hamza above, hamza below, plain
_FORM_KINDS = ("isolated", "final", "initial", "medial")
ARABIC_MARKS = frozenset(
    chr(code)
    for start, end in ((0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED))
    for code in range(start, end + 1)
)


@lru_cache(maxsize=1)
def _forms() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Each letter's presentation forms by kind, and the lam-alef ligatures by kind."""
    letters: dict[str, dict[str, str]] = {}
    ligatures: dict[str, dict[str, str]] = {}
    for code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)):
        kind, _space, rest = unicodedata.decomposition(chr(code)).partition(" ")
        kind = kind.strip("<>")
        if kind not in _FORM_KINDS or not rest:
            continue
        base = "".join(chr(int(part, 16)) for part in rest.split())
        if len(base) == 1:
            letters.setdefault(base, {}).setdefault(kind, chr(code))
        elif len(base) == 2 and base[0] == LAM and base[1] in ALEFS:
            ligatures.setdefault(base, {}).setdefault(kind, chr(code))
    return letters, ligatures


def _joining_type(char: str, letters: dict[str, dict[str, str]]) -> str:
    """D joins on both sides, R only to the letter before it, C causes joining (tatweel),
    T is transparent (a vowel mark), U does not join."""
    if char in (TATWEEL, ZWJ):
        return "C"
    forms = letters.get(char)
    if forms is None:
        return "T" if unicodedata.category(char) == "Mn" else "U"
    if "initial" in forms or "medial" in forms:
        return "D"
    return "R" if "final" in forms else "U"


def join_arabic(text: str) -> str:
    """The text with its Arabic letters in their joined forms (logical order kept)."""
    letters, ligatures = _forms()
    types = [_joining_type(char, letters) for char in text]
    count = len(text)

    def before(index: int) -> str:
        index -= 1
        while index >= 0 and types[index] == "T":
            index -= 1
        return types[index] if index >= 0 else "U"

    def after(index: int) -> int:
        index += 1
        while index < count and types[index] == "T":
            index += 1
        return index

    shown: list[str] = []
    index = 0
    while index < count:
        char, kind = text[index], types[index]
        if char in ARABIC_MARKS:
            index += 1
            continue
        if kind not in ("D", "R"):
            shown.append(char)
            index += 1
            continue
        joins_before = before(index) in ("D", "C")
        following = after(index)
        pair = char + text[following] if following < count else ""
        if pair in ligatures:  # lam then alef: one glyph
            forms = ligatures[pair]
            shown.append(forms["final"] if joins_before and "final" in forms else forms["isolated"])
            index = following + 1
            continue
        joins_after = kind == "D" and following < count and types[following] in ("D", "R", "C")
        form = {
            (True, True): "medial",
            (True, False): "final",
            (False, True): "initial",
            (False, False): "isolated",
        }[(joins_before, joins_after)]
        forms = letters[char]
        shown.append(forms.get(form) or forms.get("isolated") or char)
        index += 1
    return "".join(shown)

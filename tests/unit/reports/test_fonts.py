"""Every name prints: Latin with accents, Vietnamese, Arabic (joined, right to left) and Chinese,
with real glyphs, and copies out of the PDF in the order it was typed."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from coachdesk.reports import fonts, scripts
from coachdesk.reports.pdf_layout import (
    MARGIN,
    PageFurniture,
    SectionTracker,
    build_pdf,
    make_styles,
    text,
)
from coachdesk.reports.scripts_arabic import join_arabic
from coachdesk.reports.summary_data import Attendee
from coachdesk.reports.tables import data_table, header_band, wrapped
from coachdesk.reports.visit_summary import render_visit_summary
from tests.unit.reports import samples

NAME = "Øyelaran · Nguyễn Thị Minh · محمد الحسيني · 王小明"
WIDTH = LETTER[0] - 2 * MARGIN

# What pdftotext adds around a right-to-left run (embedding marks) and the zero-width
# left-to-right marks coachdesk draws beside one: invisible, and no part of the name.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")


def drawn_characters(pdf: bytes) -> list[tuple[str, str, bool]]:
    """(character, font, has a glyph) for every code the pages draw.

    The character is what the font's ToUnicode table says the code is (what a reader copies);
    the glyph is real when the font the PDF names has that character in its own character map
    (the font file it was embedded from) and the code is not the subset's .notdef (code 0).
    """
    reader = PdfReader(io.BytesIO(pdf))
    found: list[tuple[str, str, bool]] = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()["/Font"]
        current: dict[str, object] = {}
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                font = resources[operands[0]].get_object()
                current["font"] = font
                current["map"] = _to_unicode(font)
            elif operator in (b"Tj", b"TJ"):
                strings = operands[0] if operator == b"TJ" else [operands[0]]
                font = current["font"]
                base = str(font["/BaseFont"]).split("+", 1)[-1]  # type: ignore[index]
                cmap = pdfmetrics.getFont(_registered(base)).face.charToGlyph
                mapping = current["map"]
                assert isinstance(mapping, dict)
                for item in strings:
                    if isinstance(item, (int, float)):
                        continue
                    raw = item.get_original_bytes() if hasattr(item, "get_original_bytes") else item
                    for code in bytes(raw):
                        chars = mapping.get(code, "\x00")
                        real = code != 0 and all(
                            ord(c) in cmap or _presentation_form_in(c, cmap) for c in chars
                        )
                        found.append((chars, base, real))
    return found


def _registered(base_font: str) -> str:
    """The reportlab font name behind a PDF's BaseFont (the embedded face's own name)."""
    for name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
        face = getattr(font, "face", None)
        if face is not None and face.name.decode("latin-1") == base_font:
            return name
    raise AssertionError(f"{base_font} is not a font coachdesk registered")


def _presentation_form_in(char: str, cmap: dict[int, int]) -> bool:
    # A joined Arabic letter copies as the letter; the font draws its presentation form.
    import unicodedata

    return any(
        unicodedata.normalize("NFKC", chr(code)) in (char, char[::-1])
        for code in range(0xFE70, 0xFF00)
        if code in cmap
    )


def _to_unicode(font: object) -> dict[int, str]:
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")  # type: ignore[index]
    mapping = {}
    table = data.split("beginbfchar", 1)[1].split("endbfchar", 1)[0]
    for code, target in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]+)>", table):
        mapping[int(code, 16)] = bytes.fromhex(target).decode("utf-16-be")
    return mapping


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return BIDI_MARKS.sub("", done.stdout)


def _name_everywhere() -> bytes:
    st = make_styles()
    tracker = SectionTracker()
    story = [
        header_band("Visit summary", NAME, "Riverton City School District", WIDTH, st),
        Paragraph(f"<b>Attendee:</b> {text(NAME)}", st.body),
        data_table(["Name", "Role"], [(NAME, "Family")], [WIDTH * 0.75, WIDTH * 0.25], st),
    ]
    furniture = PageFurniture(footer_detail="Generated today", running_title=NAME)
    pdf, _pages = build_pdf(
        story,
        pagesize=LETTER,
        furniture=furniture,
        tracker=tracker,
        styles=st,
        metadata={"title": NAME},
    )
    return pdf


def test_the_name_prints_with_real_glyphs_in_paragraph_table_and_band(tmp_path: Path) -> None:
    pdf = _name_everywhere()
    drawn = drawn_characters(pdf)
    missing = [(c, font) for c, font, real in drawn if not real]
    assert missing == []
    printed = "".join(c for c, _font, _real in drawn)
    for char in NAME.replace(" ", ""):
        assert char in printed
    fonts_of = {c: font for c, font, _real in drawn}
    assert fonts_of["王"] == "CoachdeskCJK"
    assert fonts_of["ễ"] == "DejaVuSans"
    assert fonts_of["م"].startswith("DejaVuSans")

    shown = pdftotext(pdf, tmp_path)
    # Header band, paragraph, table cell: each in reading order, the Arabic as typed.
    assert shown.count(NAME) == 3
    assert f"Attendee: {NAME}" in shown


def test_arabic_is_joined_and_drawn_right_to_left() -> None:
    drawn = scripts.visual("محمد الحسيني")
    letters = drawn.replace(scripts.LRM, "").replace(scripts.NBSP, " ")
    # Joined: the initial, medial and final forms of the letters (U+FExx), not the bare letters.
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in letters.replace(" ", ""))
    # Right to left: the name's first letter (meem, initial form) is drawn last of its word.
    first_word = letters.split(" ")[-1]
    assert first_word[-1] == "\ufee3"
    # A run is kept whole: its inner space does not break a line.
    assert " " not in drawn


def test_a_cell_dejavu_covers_stays_a_plain_string_and_one_with_chinese_becomes_a_paragraph() -> (
    None
):
    st = make_styles()
    assert wrapped("Ana Nuñez", fonts.FONT, 9, 200) == "Ana Nuñez"
    arabic = wrapped("محمد الحسيني", fonts.FONT, 9, 200)
    assert isinstance(arabic, str) and arabic != "محمد الحسيني"
    chinese = wrapped("王小明", fonts.FONT, 9, 200, style=st.cell)
    assert isinstance(chinese, Paragraph)
    assert 'font name="CoachdeskCJK"' in chinese.text


def test_emoji_print_with_a_glyph(tmp_path: Path) -> None:
    st = make_styles()
    line = "Great work 😀 👍 ✅ 🎉 📅"
    pdf, _ = build_pdf(
        [Paragraph(text(line), st.body), data_table(["Note"], [(line,)], [WIDTH], st)],
        pagesize=LETTER,
        furniture=PageFurniture(footer_detail="", running_title=""),
        tracker=SectionTracker(),
        styles=st,
        metadata={"title": "Emoji"},
    )
    drawn = drawn_characters(pdf)
    assert [(c, f) for c, f, real in drawn if not real] == []
    # DejaVu Sans has a few emoticons (😀); the shipped emoji font the rest.
    assert sum(1 for c, f, _ in drawn if c == "👍" and f == "CoachdeskEmoji") == 2
    assert pdftotext(pdf, tmp_path).count(line) == 2


def test_latin_only_text_takes_the_fast_path() -> None:
    for value in ("Harborview Elementary", "Ana Nuñez · Zoë Lindqvist", "Nguyễn Thị Minh – 3rd"):
        assert not scripts.needs_work(value)
        assert text(value) == value.replace("&", "&amp;")
    assert scripts.needs_work("王小明") and scripts.needs_work("محمد")


def test_visit_summary_of_a_school_named_in_three_scripts(tmp_path: Path) -> None:
    data = samples.ny_typical()
    school = "مدرسة الأمل · 王小明 Academy · Trường Nguyễn Du"
    header = replace(
        data.header,
        school=school,
        coach="محمد الحسيني",
        attendees=(
            Attendee("محمد الحسيني", "Principal"),
            Attendee("王小明", "Assistant principal"),
            Attendee("Folake Øyelaran", "Instructional coach"),
            Attendee("Nguyễn Thị Minh", "Teacher"),
        ),
    )
    out = io.BytesIO()
    render_visit_summary(replace(data, header=header), out)
    pdf = out.getvalue()
    assert [(c, f) for c, f, real in drawn_characters(pdf) if not real] == []
    shown = pdftotext(pdf, tmp_path)
    flat = " ".join(shown.split())
    assert school in flat  # the title in the header band
    assert "محمد الحسيني (Principal); 王小明 (Assistant principal)" in flat
    assert "Nguyễn Thị Minh (Teacher)" in flat
    title = PdfReader(io.BytesIO(pdf)).metadata.title
    assert title is not None and school in title


def test_numbers_keep_their_order_and_brackets_mirror_inside_arabic() -> None:
    # Room 12, grade 3.5 (a), the year 2026-27: drawn right to left, a number still reads
    # left to right, and "(" drawn at the run's right end faces the right way.
    assert scripts.right_to_left("غرفة 12") == "12 ةفرغ"
    assert scripts.right_to_left("الصف 3.5 (أ)") == "(أ) 3.5 فصلا"
    assert scripts.right_to_left("عام 2026-27") == "2026-27 ماع"


def test_arabic_letters_take_their_joined_forms_persian_ones_too() -> None:
    # alef (isolated), lam-alef with hamza as one glyph, meem (initial), lam (final)
    assert join_arabic("الأمل") == "\ufe8d\ufef7\ufee3\ufede"
    # Persian peh (initial), dal (final), reh (isolated)
    assert join_arabic("پدر") == "\ufb58\ufeaa\ufead"
    # Vowel marks are left out; the letters around them still join.
    assert join_arabic("مُحَمَّد") == join_arabic("محمد") == "\ufee3\ufea4\ufee4\ufeaa"

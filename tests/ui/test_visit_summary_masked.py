"""Print summary… tells the coach, in words, where possible student identifiers print masked,
and the previewed PDF holds none of them (issue 14)."""

from __future__ import annotations

from pypdf import PdfReader

from coachdesk.core import visits
from coachdesk.core.visits import list_visits
from coachdesk.ui.pdf_preview import PdfPreviewDialog
from coachdesk.ui.visit_summary_actions import MASKED_TITLE, preview_visit_summary


def test_the_preview_says_where_identifiers_are_masked(demo, qtbot, scripted_dialogs) -> None:
    visit_id = next(
        r.id for r in list_visits(demo) if r.visit_type == "onsite" and r.status == "draft"
    )
    visits.save_answer(demo, visit_id, "challenges", "NYSSIS 1234567890 came up in the data.")
    seen: dict[str, str] = {}

    def look(dialog: PdfPreviewDialog) -> int:
        seen["text"] = "".join(p.extract_text() for p in PdfReader(dialog.pdf_path).pages)
        return 0

    scripted_dialogs.dialog_handler = look
    preview_visit_summary(None, demo, visit_id)

    assert scripted_dialogs.shown == [
        (
            "info",
            MASKED_TITLE,
            "Possible student identifiers (an ID number, a birth date, initials or a name) "
            "print as [withheld] in: Observations: Implementation challenges. Edit the note if "
            "it should say something else.",
        ),
        ("dialog", "PdfPreviewDialog", "Visit summary"),
    ]
    assert "1234567890" not in seen["text"] and "[withheld]" in seen["text"]


def test_a_summary_with_nothing_masked_opens_the_preview_alone(
    demo, qtbot, scripted_dialogs
) -> None:
    visit_id = next(r.id for r in list_visits(demo) if r.visit_type == "onsite")
    scripted_dialogs.dialog_handler = lambda dialog: 0
    preview_visit_summary(None, demo, visit_id)
    assert scripted_dialogs.shown == [("dialog", "PdfPreviewDialog", "Visit summary")]

"""The coach's own details: what prints under "Prepared by" on every summary and report."""

import pytest

from coachdesk.core.coach import get_coach, set_coach
from coachdesk.core.errors import RefusedInput


def test_a_coach_sets_a_work_email_and_phone_that_print_as_one_line(profile):
    set_coach(
        profile,
        name="Dana Whitfield",
        employer="Capital Region SSP",
        work_email=" dana.whitfield@capitalssp.org ",
        work_phone="518-555-0142 x12",
    )
    me = get_coach(profile)
    assert (me.work_email, me.work_phone) == ("dana.whitfield@capitalssp.org", "518-555-0142 x12")
    assert me.contact_line == "dana.whitfield@capitalssp.org · 518-555-0142 x12"


def test_a_coach_without_contact_details_prints_no_contact_line(profile):
    set_coach(profile, name="Dana Whitfield", employer=None, work_phone="  ")
    assert get_coach(profile).contact_line == ""


@pytest.mark.parametrize(
    ("field", "value", "sentence"),
    [
        ("work_email", "dana at ssp", "is not an e-mail address"),
        ("work_phone", "call me", "is not a phone number"),
    ],
)
def test_a_contact_detail_that_is_not_one_is_refused_and_nothing_changes(
    profile, field, value, sentence
):
    set_coach(profile, name="Dana Whitfield", employer="SST 11", work_email="dana@sst11.org")
    with pytest.raises(RefusedInput, match=sentence):
        set_coach(profile, name="Someone Else", employer="SST 12", **{field: value})
    me = get_coach(profile)
    assert (me.name, me.employer, me.work_email) == ("Dana Whitfield", "SST 11", "dana@sst11.org")

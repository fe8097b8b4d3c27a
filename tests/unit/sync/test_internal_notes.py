"""A coach's internal notes go to their own laptops, never into a bundle for someone else."""

from __future__ import annotations

import datetime as dt

from coachdesk.core import visits
from coachdesk.core.caseload import list_caseload
from coachdesk.core.demo import caseload as demo_caseload
from coachdesk.core.store.profile import open_profile
from coachdesk.sync import trust
from coachdesk.sync.export import export_bundle
from coachdesk.sync.importer import import_files
from coachdesk.sync.keys import device_keys

SECRET = "Principal seemed overwhelmed; check in privately (zq-internal-7731)"


def test_internal_answers_stay_home_and_everything_else_travels(pair, tmp_path):
    coach, colleague = pair
    second_laptop = open_profile(tmp_path / "second-laptop")
    offer = trust.read_public_key_file(
        trust.public_key_file(second_laptop, device_keys(second_laptop))
    )
    trust.trust_key(coach.profile, offer, name="My second laptop", own=True)
    coach_offer = trust.read_public_key_file(trust.public_key_file(coach.profile, coach.keys))
    trust.trust_key(second_laptop, coach_offer, name="My first laptop", own=True)

    with coach.profile.writing() as write:
        demo_caseload.load(write.session, today=dt.date.today())
    school = next(r for r in list_caseload(coach.profile) if r.program_code == "NY_RCV")
    visit = visits.start_visit(
        coach.profile,
        school.school_id,
        visit_type="onsite",
        starts_at=dt.datetime.now().replace(microsecond=0),
    )
    internal = next(
        f
        for f, r in visits.get_visit(coach.profile, visit).definition.walk()
        if f.privacy == "internal" and r is None
    )
    visits.save_answer(coach.profile, visit, internal.name, SECRET)
    visits.save_answer(coach.profile, visit, "challenges", "Shared challenge text")

    for_colleague = tmp_path / "for-colleague.coachdesk"
    export_bundle(coach.profile, for_colleague, to=[colleague.name])
    import_files(colleague.profile, [for_colleague])
    received = visits.get_visit(colleague.profile, visit)
    assert received.response.get("challenges") == "Shared challenge text"
    assert internal.name not in received.response

    for_me = tmp_path / "for-my-laptops.coachdesk"
    export_bundle(coach.profile, for_me)  # --all: the coach's own laptops
    report = import_files(second_laptop, [for_me])
    assert not report.rejected
    assert visits.get_visit(second_laptop, visit).response[internal.name] == SECRET
    second_laptop.close()

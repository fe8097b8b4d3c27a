"""Learning-walk trends for the DILT report: look-for shares per walk and for the year so far.

Aggregates only, never a classroom: a walk with fewer classrooms than the minimum (common.toml
[privacy] min_walk_classrooms, 3 by default), or a look-for rated in fewer, contributes no share,
since one classroom's 100% is a rating of one teacher. Only finalized notes count; drafts are
counted to be named. Each walk is read with the form it was written in (stored with the
profile), once per form version.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from coachdesk.core.store.profile import Profile
from coachdesk.reports.ma_dilt_data import LookFor, WalkRow, WalkTrends

# The default, when the rules config does not say.
DEFAULT_WALK_MINIMUM = 3


def walk_minimum() -> int:
    """The fewest classrooms a walk (and a look-for in it) needs before a share is shown."""
    from coachdesk.core.tracking_rules import shipped_rules

    found = getattr(shipped_rules().common, "min_walk_classrooms", None)
    return found if isinstance(found, int) and found >= 1 else DEFAULT_WALK_MINIMUM


def walk_trends(
    profile: Profile,
    visits: list[dict[str, Any]],
    names: dict[str, str],
    as_of: dt.date,
    final: Iterable[str],
    held: Iterable[str],
) -> WalkTrends:
    """Look-for shares per walk and for the year so far, from the walks' finalized notes."""
    from coachdesk.core.forms.walks import summarize_walk

    minimum = walk_minimum()
    final, held = frozenset(final), frozenset(held)
    done = [v for v in visits if _day(v["starts_at"]) <= as_of and v["status"] in final]
    drafts = sum(
        1
        for v in visits
        if _day(v["starts_at"]) <= as_of and v["status"] in held and v["status"] not in final
    )
    definitions = _definitions(profile, done)
    answers = _answers(profile, [v["id"] for v in done])
    labels: dict[str, str] = {}  # look-for field -> label, in the order first met
    tallies = []
    for visit in done:
        definition = definitions.get(visit["id"])
        if definition is None or not definition.repeats("classrooms"):
            continue
        summary = summarize_walk(definition, answers.get(visit["id"], {}))
        for each in summary.overall:
            labels.setdefault(each.name, each.label)
        tallies.append((visit, summary))
    order = list(labels)
    pooled = {name: [0, 0, 0, 0] for name in order}  # walks, seen, observed, partly
    rows = []
    for visit, summary in tallies:
        counted = summary.classrooms >= minimum
        by_name = {t.name: t for t in summary.overall}
        shares: list[float | None] = []
        rated: list[int] = []
        for name in order:
            tally = by_name.get(name)
            rated.append(tally.seen if tally is not None else 0)
            # Rated in fewer classrooms than the minimum: its share would rate a teacher.
            if not counted or tally is None or tally.seen < minimum:
                shares.append(None)
                continue
            shares.append(tally.share_observed)
            totals = pooled[name]
            totals[0] += 1
            totals[1] += tally.seen
            totals[2] += tally.observed
            totals[3] += tally.partly
        rows.append(
            WalkRow(
                _day(visit["starts_at"]),
                names.get(visit["org_id"], ""),
                summary.classrooms,
                counted,
                tuple(shares),
                tuple(rated),
            )
        )
    look_fors = tuple(
        LookFor(
            number=index,
            label=labels[name],
            walks=pooled[name][0],
            classrooms=pooled[name][1],
            observed=pooled[name][2] / pooled[name][1] if pooled[name][1] else None,
            partly=pooled[name][3] / pooled[name][1] if pooled[name][1] else None,
        )
        for index, name in enumerate(order, start=1)
    )
    return WalkTrends(minimum, look_fors, tuple(rows), drafts)


def _definitions(profile: Profile, visits: list[dict[str, Any]]) -> dict[str, Any]:
    """Each walk's form as it was written (stored with the profile), read once per version."""
    from coachdesk.core import forms

    keys = {(v["form_id"], v["form_version"], v["form_sha256"]) for v in visits if v["form_id"]}
    loaded: dict[tuple, Any] = {}
    conn = profile.quick_connection()
    for form_id, version, sha in keys:
        row = conn.execute(
            "SELECT text, sha256 FROM stored_form WHERE form_id = ? AND version = ? "
            "AND sha256 = ? AND deleted_at IS NULL LIMIT 1",
            (form_id, version, sha),
        ).fetchone()
        if row is None:
            continue
        try:
            loaded[(form_id, version, sha)] = forms.load_stored_definition(
                row[0], expected_sha256=row[1]
            )
        except forms.StoredFormError:
            continue
    return {
        v["id"]: loaded.get((v["form_id"], v["form_version"], v["form_sha256"])) for v in visits
    }


def _answers(profile: Profile, visit_ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    if not visit_ids:
        return found
    marks = ", ".join("?" * len(visit_ids))
    for visit_id, field, value in profile.quick_connection().execute(
        f"SELECT visit_id, field, value FROM visit_answer WHERE deleted_at IS NULL "  # noqa: S608
        f"AND visit_id IN ({marks})",
        visit_ids,
    ):
        try:
            found.setdefault(visit_id, {})[field] = json.loads(value)
        except ValueError:
            continue
    return found


def _day(stamp: str) -> dt.date:
    return dt.date.fromisoformat(str(stamp)[:10])

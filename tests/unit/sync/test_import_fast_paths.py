"""The import's fast paths (payload.py, merge.py) give exactly what the general code gives:
the strict value parser, decode_value, HLC.parse, json.dumps of head lists, SQLAlchemy's insert.
"""

from __future__ import annotations

import datetime as dt
import gc
import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import insert, select

from coachdesk.core.clock import HLC
from coachdesk.core.ids import new_id
from coachdesk.core.store.changelog import SYNCABLE, decode_value, logged_fields
from coachdesk.core.store.schema import Contact, FieldHead, Organization, table_of
from coachdesk.sync import strict_json
from coachdesk.sync.merge import _ids_json, _insert_many
from coachdesk.sync.payload import _clock_of, collector_paused, column_value, parse_value


def _outcome(call, *args):
    try:
        return ("value", call(*args))
    except (ValueError, TypeError) as exc:
        return ("refused", type(exc), str(exc))


json_texts = st.one_of(
    st.text(max_size=30),
    st.text(max_size=30).map(lambda s: f'"{s}"'),
    st.text(max_size=30).map(json.dumps),
    st.text(max_size=30).map(lambda s: json.dumps(s, ensure_ascii=False)),
    st.sampled_from(
        ["null", "true", "false", "NaN", "1", "1.5", "[]", '{"a":1,"a":2}', '"\\ud800"']
    ),
)


@given(json_texts)
@example('"a\tb"')  # a raw control character: JSON refuses it
@example('"\u2028"')
@example(' "padded" ')
def test_a_value_reads_as_the_strict_parser_reads_it(text):
    assert _outcome(parse_value, text) == _outcome(strict_json.loads_scalar_friendly, text)


json_trees = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text()),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
spellings = st.sampled_from(
    [
        {"ensure_ascii": False, "separators": (",", ":")},  # how coachdesk writes a line
        {"ensure_ascii": True, "separators": (",", ":")},
        {},  # with spaces
        {"ensure_ascii": False, "separators": (",", ":"), "sort_keys": True},
    ]
)


def _line_outcome(call, line):
    try:
        return ("value", call(line))
    except UnicodeDecodeError:
        return ("not UTF-8",)
    except ValueError as exc:
        return ("refused", str(exc))


def _strictly(line: bytes):
    return strict_json.loads(line.decode("utf-8"))


@given(json_trees, spellings)
def test_a_bundle_line_reads_as_the_strict_parser_reads_it(tree, spelling):
    line = json.dumps(tree, **spelling).encode("utf-8")
    assert _line_outcome(strict_json.loads_line, line) == _line_outcome(_strictly, line)


@given(st.binary(max_size=40))
@example(b'{"kind":"change","kind":"packet"}')  # a key twice: orjson keeps the last quietly
@example(b'{"a":NaN}')
@example(b'{"a":Infinity}')
@example(b'{"a":"\\ud800"}')  # a lone surrogate
@example(b'{"a":12345678901234567890123}')  # orjson would read a float
@example(b'{"a":"\xff"}')  # not UTF-8
@example(b'{"a":1} ')
def test_any_bytes_are_read_or_refused_as_the_strict_parser_does(line):
    assert _line_outcome(strict_json.loads_line, line) == _line_outcome(_strictly, line)


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["2026-12-01", "2026-12-01T09:30:00", "Dec 1", 7.0]),
    st.lists(st.integers(), max_size=2),
)
fields = st.sampled_from(
    [(record_type, f) for record_type, model in SYNCABLE.items() for f in logged_fields(model)]
)


@given(fields, values)
def test_a_column_value_is_decode_values(field, value):
    record_type, name = field
    text = json.dumps(value)
    assert _outcome(column_value, record_type, name, json.loads(text)) == _outcome(
        decode_value, SYNCABLE[record_type], name, text
    )


DEVICE = "01a232c5-94b8-7891-8e3b-9aa8e925f7a2"


def _parse_rule(hlc: str, device: str):
    return _outcome(lambda: HLC.parse(hlc).device == device)


@given(
    st.one_of(
        st.text(max_size=60),
        st.builds(
            lambda w, c, d: f"{w}-{c}-{d}",
            st.text(alphabet="0123456789\u0661\u00b2-x", min_size=14, max_size=16),
            st.text(alphabet="0123456789\u0661-", min_size=4, max_size=6),
            st.sampled_from([DEVICE, DEVICE + "\n", "", "other"]),
        ),
    )
)
@example(f"001796148139306-00000-{DEVICE}")
@example(f"\u0661{'0' * 14}-00000-{DEVICE}")  # an Arabic-Indic digit: HLC.parse accepts it
@example(f"00179614813930\u00b2-00000-{DEVICE}")  # a superscript: isdigit, but int() refuses
def test_a_clock_reading_is_checked_as_hlc_parse_checks_it(hlc):
    assert _outcome(_clock_of, hlc, DEVICE) == _parse_rule(hlc, DEVICE)


@given(st.lists(st.one_of(st.uuids().map(str), st.text(max_size=5)), max_size=3))
@example(["01a232c5-952a-713d-bd62-98b7bfa78c5a"])
@example(['01a232c5-952a-713d-bd62-98b7bfa7"c5a'])
def test_a_head_list_is_spelled_as_json_dumps_spells_it(ids):
    assert _ids_json(ids) == json.dumps(ids)


def _rows(session, table):
    return sorted(tuple(row) for row in session.execute(select(table)))


def test_the_driver_insert_writes_what_sqlalchemy_writes(profile):
    """Booleans and dates go through the columns' own conversions; the rows read back equal."""
    org = new_id()
    stamp = f"001796148139306-00000-{DEVICE}"
    contact = dict(
        org_id=org,
        name="Pat Lee",
        role="teacher",
        work_email=None,
        work_phone="555-0100",
        active=False,
        active_from=dt.date(2026, 12, 1),
        active_to=None,
        id=new_id(),
        created_by=DEVICE,
        created_hlc=stamp,
        updated_hlc=stamp,
        deleted_at=None,
    )
    school = dict(
        kind="school", name="Hudson", state="NY", id=org,
        created_by=DEVICE, created_hlc=stamp, updated_hlc=stamp,
    )  # fmt: skip
    heads = [("contact", new_id(), "name", json.dumps([new_id()]), flag) for flag in (True, False)]
    names = ("record_type", "record_id", "field", "head_ids", "in_conflict")
    written = {}
    for way in ("sqlalchemy", "driver"):
        with profile.writing(capture=False) as write:
            conn = write.session.connection()
            org_table, contact_table = table_of(Organization), table_of(Contact)
            for table in (FieldHead.__table__, contact_table, org_table):
                conn.execute(table.delete())
            if way == "sqlalchemy":
                conn.execute(insert(org_table), [school])
                conn.execute(insert(contact_table), [contact])
                conn.execute(
                    insert(FieldHead.__table__), [dict(zip(names, h, strict=True)) for h in heads]
                )
            else:
                # The school leaves out its time zone, a column default: the ordinary insert.
                _insert_many(conn, org_table, tuple(school), [tuple(school.values())])
                _insert_many(conn, contact_table, tuple(contact), [tuple(contact.values())])
                _insert_many(conn, FieldHead.__table__, names, heads)
        with profile.reading() as session:
            written[way] = [
                _rows(session, t) for t in (org_table, contact_table, FieldHead.__table__)
            ]
            raw = session.connection().exec_driver_sql("SELECT active_from FROM contact")
            written[way].append(raw.all())
    assert written["driver"] == written["sqlalchemy"]
    assert "America/New_York" in written["driver"][0][0]
    assert written["driver"][2][0][4] in (True, False) and len(written["driver"][2]) == 2
    assert written["driver"][3] == [("2026-12-01",)]


def test_the_collector_is_back_on_after_a_pass_even_one_that_fails():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("refused")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            during = gc.isenabled()
        assert not during and not gc.isenabled()  # it was off: it stays off
    finally:
        gc.enable()

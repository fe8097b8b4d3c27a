# ruff: noqa: E501  (generated DDL, kept verbatim)
"""Data format 1: the caseload, visits, tracking, sync bookkeeping and the search index.

Revision ID: 0001
Revises:

Frozen with the first release: never edit it (the PostgreSQL branch of the search index, added
for the state hub, leaves what a SQLite profile gets unchanged); change the schema with a new migration (and a
row in versions.py, and a kept profile file in tests/fixtures/profiles).
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# SQLite-only: the full-text index and the triggers that keep it current (search_index.py).
SEARCH_INDEX = [
    "CREATE VIRTUAL TABLE search_visit_answer USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_visit_answer_insert AFTER INSERT ON visit_answer BEGIN INSERT INTO search_visit_answer(rowid, body) SELECT NEW.rowid, CASE WHEN json_valid(NEW.value) THEN (SELECT group_concat(value, ' ') FROM json_tree(NEW.value) WHERE type = 'text') ELSE NEW.value END WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_visit_answer_update AFTER UPDATE ON visit_answer BEGIN DELETE FROM search_visit_answer WHERE rowid = OLD.rowid; INSERT INTO search_visit_answer(rowid, body) SELECT NEW.rowid, CASE WHEN json_valid(NEW.value) THEN (SELECT group_concat(value, ' ') FROM json_tree(NEW.value) WHERE type = 'text') ELSE NEW.value END WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_visit_answer_delete AFTER DELETE ON visit_answer BEGIN DELETE FROM search_visit_answer WHERE rowid = OLD.rowid; END",
    "CREATE VIRTUAL TABLE search_action_item USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_action_item_insert AFTER INSERT ON action_item BEGIN INSERT INTO search_action_item(rowid, body) SELECT NEW.rowid, coalesce(NEW.text, '') || ' ' || coalesce(NEW.owner, '') WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_action_item_update AFTER UPDATE ON action_item BEGIN DELETE FROM search_action_item WHERE rowid = OLD.rowid; INSERT INTO search_action_item(rowid, body) SELECT NEW.rowid, coalesce(NEW.text, '') || ' ' || coalesce(NEW.owner, '') WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_action_item_delete AFTER DELETE ON action_item BEGIN DELETE FROM search_action_item WHERE rowid = OLD.rowid; END",
    "CREATE VIRTUAL TABLE search_visit USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_visit_insert AFTER INSERT ON visit BEGIN INSERT INTO search_visit(rowid, body) SELECT NEW.rowid, coalesce(NEW.purpose, '') WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_visit_update AFTER UPDATE ON visit BEGIN DELETE FROM search_visit WHERE rowid = OLD.rowid; INSERT INTO search_visit(rowid, body) SELECT NEW.rowid, coalesce(NEW.purpose, '') WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_visit_delete AFTER DELETE ON visit BEGIN DELETE FROM search_visit WHERE rowid = OLD.rowid; END",
    "CREATE VIRTUAL TABLE search_contact USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_contact_insert AFTER INSERT ON contact BEGIN INSERT INTO search_contact(rowid, body) SELECT NEW.rowid, NEW.name || ' ' || NEW.role || ' ' || coalesce(NEW.work_email, '') || ' ' || coalesce(NEW.work_phone, '') WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_contact_update AFTER UPDATE ON contact BEGIN DELETE FROM search_contact WHERE rowid = OLD.rowid; INSERT INTO search_contact(rowid, body) SELECT NEW.rowid, NEW.name || ' ' || NEW.role || ' ' || coalesce(NEW.work_email, '') || ' ' || coalesce(NEW.work_phone, '') WHERE NEW.deleted_at IS NULL; END",
    "CREATE TRIGGER search_contact_delete AFTER DELETE ON contact BEGIN DELETE FROM search_contact WHERE rowid = OLD.rowid; END",
]


def upgrade() -> None:
    op.create_table(
        "change",
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("supersedes", sa.Text(), nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("change_id"),
    )
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.create_index("ix_change_hlc", ["hlc"], unique=False)
        batch_op.create_index(
            "ix_change_record_field", ["record_type", "record_id", "field"], unique=False
        )

    op.create_table(
        "coach",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("employer", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "field_head",
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=80), nullable=False),
        sa.Column("head_ids", sa.Text(), nullable=False),
        sa.Column("in_conflict", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("record_type", "record_id", "field"),
    )
    with op.batch_alter_table("field_head", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_field_head_in_conflict"), ["in_conflict"], unique=False
        )

    op.create_table(
        "organization",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("state_id", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("grade_span", sa.String(length=20), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "profile_fact",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "stored_form",
        sa.Column("form_id", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_awaited_change",
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("change_id"),
    )
    op.create_table(
        "sync_imported_bundle",
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("author_device", sa.String(length=36), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("imported_at", sa.String(length=40), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("new_changes", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id"),
    )
    op.create_table(
        "sync_trusted_key",
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("device_name", sa.String(length=200), nullable=False),
        sa.Column("signing_key", sa.String(length=64), nullable=False),
        sa.Column("encryption_key", sa.String(length=64), nullable=False),
        sa.Column("own", sa.Boolean(), nullable=False),
        sa.Column("this_device", sa.Boolean(), nullable=False),
        sa.Column("trusted_at", sa.String(length=40), nullable=False),
        sa.Column("revoked_at", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("key_id"),
    )
    with op.batch_alter_table("sync_trusted_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_trusted_key_device_id"), ["device_id"], unique=False
        )

    op.create_table(
        "this_device",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("device_id"),
    )
    op.create_table(
        "coaching_flag",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("review_by", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coaching_flag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coaching_flag_org_id"), ["org_id"], unique=False)

    op.create_table(
        "contact",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=80), nullable=False),
        sa.Column("work_email", sa.String(length=254), nullable=True),
        sa.Column("work_phone", sa.String(length=40), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("active_from", sa.Date(), nullable=True),
        sa.Column("active_to", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_org_id"), ["org_id"], unique=False)

    op.create_table(
        "element_status",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("school_year", sa.String(length=7), nullable=False),
        sa.Column("element", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("element_status", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_element_status_org_id"), ["org_id"], unique=False)

    op.create_table(
        "indicator",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("program_code", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("subgroup", sa.String(length=40), nullable=False),
        sa.Column("value_type", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("target_set", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("priority_id", sa.String(length=36), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_org_id"), ["org_id"], unique=False)

    op.create_table(
        "instructional_priority",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("school_year", sa.String(length=7), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("inequity_addressed", sa.Text(), nullable=False),
        sa.Column("district_actions", sa.Text(), nullable=False),
        sa.Column("school_actions", sa.Text(), nullable=False),
        sa.Column("classroom_actions", sa.Text(), nullable=False),
        sa.Column("dilt_focus", sa.Text(), nullable=False),
        sa.Column("focus_groups", sa.Text(), nullable=False),
        sa.Column("primary_contact_id", sa.String(length=36), nullable=True),
        sa.Column("checklist_done", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("instructional_priority", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_instructional_priority_org_id"), ["org_id"], unique=False
        )

    op.create_table(
        "obligation",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_obligation_org_id"), ["org_id"], unique=False)

    op.create_table(
        "partnership_goal",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("school_year", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("desired_result", sa.Text(), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("sip_goal_link", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("partnership_goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partnership_goal_org_id"), ["org_id"], unique=False)

    op.create_table(
        "stage_record",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("program_code", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stage_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stage_record_org_id"), ["org_id"], unique=False)

    op.create_table(
        "assignment",
        sa.Column("coach_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("program_code", sa.String(length=16), nullable=False),
        sa.Column("school_year", sa.String(length=7), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("receivership_year", sa.Integer(), nullable=True),
        sa.Column("primary_contact_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
        ),
        sa.ForeignKeyConstraint(
            ["primary_contact_id"],
            ["contact.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_coach_id"), ["coach_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignment_org_id"), ["org_id"], unique=False)

    op.create_table(
        "indicator_target",
        sa.Column("indicator_id", sa.String(length=36), nullable=False),
        sa.Column("school_year", sa.String(length=7), nullable=False),
        sa.Column("baseline_value", sa.Text(), nullable=False),
        sa.Column("baseline_year", sa.String(length=7), nullable=True),
        sa.Column("annual_target", sa.Text(), nullable=False),
        sa.Column("checkpoints", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("indicator_target", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_target_indicator_id"), ["indicator_id"], unique=False
        )

    op.create_table(
        "measurement",
        sa.Column("indicator_id", sa.String(length=36), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("checkpoint", sa.String(length=8), nullable=True),
        sa.Column("n", sa.Integer(), nullable=True),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.create_index(
            "ix_measurement_indicator_as_of", ["indicator_id", "as_of"], unique=False
        )

    op.create_table(
        "plan_activity",
        sa.Column("goal_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("involvement_type", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("grades", sa.String(length=40), nullable=False),
        sa.Column("in_charge", sa.String(length=200), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=True),
        sa.Column("fund_source", sa.String(length=100), nullable=False),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["partnership_goal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_activity_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_activity_org_id"), ["org_id"], unique=False)

    op.create_table(
        "visit",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("assignment_id", sa.String(length=36), nullable=True),
        sa.Column("visit_type", sa.String(length=20), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("finalized_at", sa.String(length=40), nullable=True),
        sa.Column("amended_at", sa.String(length=40), nullable=True),
        sa.Column("form_id", sa.String(length=80), nullable=True),
        sa.Column("form_version", sa.Integer(), nullable=True),
        sa.Column("form_sha256", sa.String(length=64), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_school_start", ["org_id", "starts_at"], unique=False)
        batch_op.create_index("ix_visit_start", ["starts_at"], unique=False)
        batch_op.create_index("ix_visit_status", ["status"], unique=False)

    op.create_table(
        "action_item",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reviewed_in_visit_id", sa.String(length=36), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organization.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.create_index("ix_action_item_school_status", ["org_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_item_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "visit_answer",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("privacy", sa.String(length=12), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("created_hlc", sa.String(length=80), nullable=False),
        sa.Column("updated_hlc", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("visit_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_answer_visit_id"), ["visit_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite-only spot: FTS5 tables and triggers (unchanged since the first release).
        for statement in SEARCH_INDEX:
            op.execute(statement)
    else:
        # PostgreSQL (the state hub): its own full-text search, expression indexes kept
        # current by the server itself (search_index.py, server_ddl).
        from coachdesk.core.store.search_index import server_ddl

        for statement in server_ddl():
            op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("coachdesk never downgrades a profile; restore a backup instead")

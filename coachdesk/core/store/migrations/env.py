"""Alembic environment: migrations always run on the connection coachdesk hands over."""

from alembic import context

from coachdesk.core.store.schema import Base

connection = context.config.attributes["connection"]
# render_as_batch: SQLite cannot ALTER most things in place; batch mode copies the table.
# SQLite-only in effect: on PostgreSQL (the state hub) Alembic's batch mode runs plain ALTERs.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

"""Alembic environment: migrations always run on the connection coachdesk hands over."""

from alembic import context

from coachdesk.core.store.schema import Base

# PostgreSQL-only spot (the state hub). A bundle may carry a record before its parent, so an
# import checks foreign keys at commit: SQLite's PRAGMA defer_foreign_keys, PostgreSQL's
# SET CONSTRAINTS ALL DEFERRED, which only defers constraints declared DEFERRABLE. Every
# foreign key, whichever migration made it, is made so after the migrations (still checked
# row by row unless a transaction defers them: INITIALLY IMMEDIATE).
# (%% for the driver: the statement goes through its parameter formatting.)
DEFERRABLE_FOREIGN_KEYS = """
DO $$
DECLARE fk record;
BEGIN
  FOR fk IN
    SELECT c.conname, t.relname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE c.contype = 'f' AND NOT c.condeferrable AND n.nspname = current_schema()
  LOOP
    EXECUTE format('ALTER TABLE %%I ALTER CONSTRAINT %%I DEFERRABLE INITIALLY IMMEDIATE',
                   fk.relname, fk.conname);
  END LOOP;
END $$
"""

connection = context.config.attributes["connection"]
# render_as_batch: SQLite cannot ALTER most things in place; batch mode copies the table.
# SQLite-only in effect: on PostgreSQL Alembic's batch mode runs plain ALTER TABLE statements.
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(DEFERRABLE_FOREIGN_KEYS)

"""The profile: one SQLite file per coach, its schema, change log and backups."""

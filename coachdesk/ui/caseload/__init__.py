"""The caseload area: the table of schools and each school's page."""

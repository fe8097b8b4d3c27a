"""The Reports menu: the caseload report and the reports coaches send their state, previewed."""

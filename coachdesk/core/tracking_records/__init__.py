"""Program tracking on the profile's data (Qt-free): the caseload's facts for the cadence rules
(facts_query), what is due and how it is grouped (due), indicators and measurements
(indicators), CSV import (csv_import), the MA IP and the OH action plan (plans), and the Today
view's month calendar (calendar). Import the submodule you need; this package imports nothing.
"""

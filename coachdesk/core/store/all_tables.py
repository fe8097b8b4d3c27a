"""Imports every module that defines tables, so that Base.metadata is complete.

Each area keeps its tables in its own module under coachdesk/core/store/; add the import here.
"""

from coachdesk.core.store import (
    schema,  # noqa: F401  the caseload, change log, profile facts
    sync_tables,  # noqa: F401  trusted keys, bundle ledger
    tracking_tables,  # noqa: F401  indicators, targets, plans, duties
    visit_tables,  # noqa: F401  visits, answers, next steps, stored forms
)

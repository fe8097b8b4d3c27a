"""Every module that defines tables, so that Base.metadata is complete, and the syncable models
they hold.

Each area keeps its tables in its own module under coachdesk/core/store/; add the import here.
The table modules import schema (for Base and Syncable) and nothing else of each other's, so
that each reads on its own: a foreign key names its table by string.
"""

from __future__ import annotations

from coachdesk.core.store import (
    schema,  # the caseload, change log, profile facts
    sync_tables,  # noqa: F401  trusted keys, bundle ledger
    tracking_tables,  # noqa: F401  indicators, targets, plans, duties
    visit_tables,  # noqa: F401  visits, answers, next steps, stored forms
)


def syncable_models() -> dict[str, type[schema.Syncable]]:
    """Every syncable model by record type, across all table modules."""
    return {
        mapper.class_.record_type: mapper.class_
        for mapper in schema.Base.registry.mappers
        if issubclass(mapper.class_, schema.Syncable)
    }

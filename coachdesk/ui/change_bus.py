"""One path from a write to the views that show it.

Every write made in the window ends in `bus_for(profile).publish(changes, initiator=self)`, with
the `ChangeSummary` the core write returned. A view that shows records says once which record
types it shows, `bus_for(profile).subscribe(self.on_changed, watching=("visit", ...))`, and is
called with `(changes, initiator)` whenever a published summary touches one of them. So adding a
card is one place: the card subscribes itself; nothing relays changes up or down by hand.

- The initiator's own echo is skipped: a view that made a write has already shown it. A view
  whose child made the write still hears it, with that child as `initiator`, and can tell its own
  page's writes from others' (`initiator_is_inside(self, initiator)`).
- A subscription ends by itself when its widget is destroyed (Vorta's `track_signal`).
- `watchers(record_type)` lists who listens for a type: what a test checks to prove, for example,
  that an autosaved answer does not make the caseload judge every school's due list again.

Modelled on Anki's `CollectionOp(...).run_in_background(initiator=self)` and
`gui_hooks.operation_did_execute(changes, handler)`.
"""

from __future__ import annotations

import logging
import sys
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject
from shiboken6 import isValid

from coachdesk.core.changes import ChangeSummary
from coachdesk.core.record_types import ALL_RECORD_TYPES
from coachdesk.core.store.profile import Profile

logger = logging.getLogger(__name__)

Callback = Callable[[ChangeSummary, object], None]


@dataclass(eq=False)
class _Subscription:
    owner: weakref.ref[QObject]
    method: weakref.WeakMethod
    watching: frozenset[str]
    name: str
    live: bool = field(default=True)

    def target(self) -> tuple[QObject, Callback] | None:
        owner, method = self.owner(), self.method()
        if not self.live or owner is None or method is None or not isValid(owner):
            return None
        return owner, method


class ChangeBus:
    """The profile's change bus: `publish` what a write changed, `subscribe` to what you show."""

    def __init__(self) -> None:
        self._subscriptions: list[_Subscription] = []

    def subscribe(self, callback: Callback, *, watching: Iterable[str]) -> None:
        """Call `callback(changes, initiator)` after writes touching any of these record types.

        `callback` is a method of a QObject (a widget); the subscription ends when it is destroyed.
        """
        owner = getattr(callback, "__self__", None)
        if not isinstance(owner, QObject):
            raise TypeError("subscribe a widget's method, so the subscription ends with the widget")
        kinds = frozenset(watching)
        unknown = kinds - ALL_RECORD_TYPES
        if unknown or not kinds:
            raise ValueError(f"unknown record types to watch: {sorted(unknown) or 'none given'}")
        subscription = _Subscription(
            owner=weakref.ref(owner),
            method=weakref.WeakMethod(callback),
            watching=kinds,
            name=f"{type(owner).__name__}.{callback.__name__}",
        )
        self._subscriptions.append(subscription)
        # The lambda holds the subscription, not the widget, so it does not keep the widget alive.
        owner.destroyed.connect(lambda *_: self._end(subscription))

    def publish(self, changes: ChangeSummary, initiator: object | None = None) -> None:
        """Tell every subscriber watching what `changes` touches, except `initiator` itself."""
        if not changes:
            return
        for subscription in list(self._subscriptions):  # a callback may subscribe or end others
            if not subscription.live or not changes.touches(*subscription.watching):
                continue
            target = subscription.target()
            if target is None:
                self._end(subscription)
                continue
            owner, callback = target
            if owner is initiator:
                continue
            try:
                callback(changes, initiator)
            except Exception:  # noqa: BLE001 - one broken view must not stop the others refreshing
                logger.exception("%s failed to show a change", subscription.name)
                sys.excepthook(*sys.exc_info())  # the crash report (and pytest-qt) see it too

    def watchers(self, record_type: str) -> list[str]:
        """Who listens for changes to this record type ("CaseloadView.on_changed", ...), sorted."""
        return sorted(
            s.name
            for s in self._subscriptions
            if s.live and record_type in s.watching and s.target() is not None
        )

    def _end(self, subscription: _Subscription) -> None:
        subscription.live = False
        if subscription in self._subscriptions:
            self._subscriptions.remove(subscription)


_BUSES: weakref.WeakKeyDictionary[Profile, ChangeBus] = weakref.WeakKeyDictionary()


def bus_for(profile: Profile) -> ChangeBus:
    """The one change bus of this open profile (a window, and any test, share it)."""
    bus = _BUSES.get(profile)
    if bus is None:
        bus = _BUSES[profile] = ChangeBus()
    return bus


def initiator_is_inside(view: QObject, initiator: object) -> bool:
    """True when `initiator` is `view` or one of its children: the write came from this view."""
    node = initiator if isinstance(initiator, QObject) else None
    while node is not None:
        if node is view:
            return True
        node = node.parent()
    return False

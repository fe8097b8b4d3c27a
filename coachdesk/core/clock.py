"""A hybrid logical clock: timestamps that order every change, even when wall clocks disagree.

An HLC reading is wall milliseconds, a counter and the device id. It never goes backwards on a
device, even if the laptop's clock is set back, and it moves past every reading the device has
seen from other devices, so "happened after" is preserved across bundles.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import NamedTuple

_COUNTER_LIMIT = 100_000


class HLC(NamedTuple):
    wall_ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        # Fixed-width fields so that the text form sorts in the same order as the tuple.
        return f"{self.wall_ms:015d}-{self.counter:05d}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> HLC:
        """Read the text form; raises ValueError on anything else."""
        wall, counter, device = text.split("-", 2)
        if len(wall) != 15 or len(counter) != 5 or not wall.isdigit() or not counter.isdigit():
            raise ValueError(f"not a clock reading: {text!r}")
        if not device:
            raise ValueError(f"clock reading without a device: {text!r}")
        return cls(int(wall), int(counter), device)


class HybridClock:
    """The clock of one device. Thread-safe; start it from the newest reading the profile holds."""

    def __init__(
        self,
        device: str,
        *,
        last: HLC | None = None,
        wall: Callable[[], int] | None = None,
    ) -> None:
        self.device = device
        self._wall = wall or (lambda: time.time_ns() // 1_000_000)
        self._last_wall = last.wall_ms if last else 0
        self._last_counter = last.counter if last else 0
        self._lock = threading.Lock()

    def now(self) -> HLC:
        """A reading later than every reading this clock has issued or observed."""
        with self._lock:
            wall = self._wall()
            if wall > self._last_wall:
                self._last_wall, self._last_counter = wall, 0
            else:
                self._advance_counter()
            return HLC(self._last_wall, self._last_counter, self.device)

    def observe(self, remote: HLC) -> None:
        """Move past a reading that arrived from another device."""
        with self._lock:
            if (remote.wall_ms, remote.counter) >= (self._last_wall, self._last_counter):
                self._last_wall, self._last_counter = remote.wall_ms, remote.counter

    def _advance_counter(self) -> None:
        self._last_counter += 1
        if self._last_counter >= _COUNTER_LIMIT:
            # A burst of more readings than the counter holds in one millisecond: borrow the next
            # millisecond rather than overflow the fixed-width text form.
            self._last_wall += 1
            self._last_counter = 0

"""Reading a rules TOML file with errors that name the file and the key.

Each rule module reads its own table through a `Reader`, which refuses unknown keys (a typo in
a key would otherwise silently leave a default in force) and wrong types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from coachdesk.core.errors import CoachdeskError
from coachdesk.core.tracking_rules.dates import Interval, MonthDay

T = TypeVar("T")


class RulesError(CoachdeskError):
    """A rules file is missing, unreadable or holds a value the rules cannot use."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        where = f"{file}, key {key}:" if key else file
        super().__init__(f"The rules file {where} {problem}")
        self.file = file
        self.key = key
        self.problem = problem


class Reader:
    """One table of a rules file. Read every key you accept, then call `done()`."""

    def __init__(self, file: str, data: dict[str, Any], path: str = "") -> None:
        if not isinstance(data, dict):
            raise RulesError(file, path, "should be a table of keys.")
        self.file = file
        self.data = data
        self.path = path
        self._seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, problem: str) -> RulesError:
        return RulesError(self.file, self.key(name), problem)

    def has(self, name: str) -> bool:
        return name in self.data

    def _get(self, name: str, default: Any, kind: type | tuple[type, ...], words: str) -> Any:
        self._seen.add(name)
        if name not in self.data:
            if default is _REQUIRED:
                raise self.fail(name, "is missing.")
            return default
        value = self.data[name]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(name, f"should be {words}, not true/false.")
        if not isinstance(value, kind):
            raise self.fail(name, f"should be {words}, not {value!r}.")
        return value

    def text(self, name: str, default: Any = ...) -> str:
        return self._get(name, _REQUIRED if default is ... else default, str, "text")

    def flag(self, name: str, default: Any = ...) -> bool:
        return self._get(name, _REQUIRED if default is ... else default, bool, "true or false")

    def integer(self, name: str, default: Any = ..., *, minimum: int | None = None) -> int:
        value = self._get(name, _REQUIRED if default is ... else default, int, "a whole number")
        if minimum is not None and value is not None and value < minimum:
            raise self.fail(name, f"should be at least {minimum}, not {value}.")
        return value

    def texts(self, name: str, default: Any = ...) -> tuple[str, ...]:
        value = self._get(name, _REQUIRED if default is ... else default, list, "a list of text")
        if any(not isinstance(v, str) for v in value):
            raise self.fail(name, "should be a list of text values.")
        return tuple(value)

    def integers(self, name: str, default: Any = ...) -> tuple[int, ...]:
        value = self._get(name, _REQUIRED if default is ... else default, list, "a list of numbers")
        if any(isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise self.fail(name, "should be a list of whole numbers.")
        return tuple(value)

    def month_day(self, name: str, default: Any = ...) -> MonthDay:
        return self._parsed(name, default, MonthDay.parse)

    def interval(self, name: str, default: Any = ...) -> Interval:
        return self._parsed(name, default, Interval.parse)

    def date(self, name: str, default: Any = ...) -> dt.date:
        self._seen.add(name)
        if name not in self.data:
            if default is ...:
                raise self.fail(name, "is missing.")
            return default
        value = self.data[name]
        # TOML has a date type (2026-10-30); accept that form only.
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self.fail(name, f"should be a date written like 2026-10-30, not {value!r}.")
        return value

    def table(self, name: str, default: Any = ...) -> Reader:
        value = self._get(name, _REQUIRED if default is ... else default, dict, "a table")
        return Reader(self.file, value, self.key(name))

    def tables(self, name: str) -> list[Reader]:
        value = self._get(name, [], list, "a list of tables ([[...]])")
        readers = []
        for index, item in enumerate(value):
            readers.append(Reader(self.file, item, f"{self.key(name)}[{index + 1}]"))
        return readers

    def each(self) -> list[tuple[str, Any]]:
        """Every key of an open-ended table (for example one entry per school year)."""
        self._seen.update(self.data)
        return list(self.data.items())

    def _parsed(self, name: str, default: Any, parse: Callable[[str], T]) -> T:
        text = self._get(name, _REQUIRED if default is ... else default, str, "text")
        if not isinstance(text, str):
            return text  # the default, already parsed
        try:
            return parse(text)
        except ValueError as exc:
            raise self.fail(name, f"{exc}.") from None

    def done(self) -> None:
        """Refuse keys nobody read: they are typos or settings this version does not know."""
        unknown = sorted(set(self.data) - self._seen)
        if unknown:
            raise self.fail(unknown[0], "is not a setting these rules know (a typo?).")


_REQUIRED = object()


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; RulesError naming the file (and line) when it is not valid TOML."""
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise RulesError(path.name, "", f"cannot be read ({exc.strerror}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(path.name, "", f"is not valid TOML ({exc}).") from None

"""No date format code that works on one platform only (`%-d` raises ValueError on Windows).

Python hands strftime formats to the platform's C library, so only the codes Python documents
for every platform are safe. The scan reads the source with `ast` and looks only where a date
format can be: strftime arguments (datetime's, date's, time's, `time.strftime`), the `datefmt` of
logging, `format(value, spec)`, and format specs after a colon in f-strings and in `.format`
templates. Ordinary `%` formatting and logging's "%s" are not date formats and are not read.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("coachdesk", "tests", "benchmarks")

# The codes of the table in Python's datetime docs ("strftime() and strptime() Format Codes"),
# which every platform supports; anything else (flags like - # _ ^ 0, the E and O modifiers,
# %e %k %l %P %s %N %+ ...) depends on the C library.
PORTABLE = set("aAwdbBmyYHIpMSfzZjUWcxXGuV%")
_DIRECTIVE = re.compile(r"%([^a-zA-Z%]*)([EO]?[a-zA-Z%+]?)")


def unportable_codes(fmt: str) -> list[str]:
    """The platform-specific codes in a strftime format string."""
    found = []
    for match in _DIRECTIVE.finditer(fmt):
        flags, code = match.groups()
        if flags or code not in PORTABLE:
            found.append(match.group(0))
    return found


def _looks_like_date_spec(spec: str) -> bool:
    # "{x:.0%}" and "{x:5.1%}" are percentages, not dates: a date spec has a code after a %.
    return bool(re.search(r"%[^\s%]", spec)) or "%%" in spec


def _constant_strings(module: ast.Module) -> dict[str, str]:
    """Module- and function-level names bound once to a string (such as _STAMP = "%Y%m%d")."""
    names: dict[str, str] = {}
    for node in ast.walk(module):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            if isinstance(node.value.value, str):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        names[target.id] = node.value.value
    return names


def _text_of(node: ast.AST, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.JoinedStr):  # an f-string used as a format: its literal parts
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def _format_template_specs(template: str) -> list[str]:
    try:
        return [spec for _, _, spec, _ in string.Formatter().parse(template) if spec]
    except ValueError:
        return []


def scan_source(source: str, filename: str = "<source>") -> list[str]:
    """Every platform-specific date format in `source`, as "line N: code in 'format'"."""
    module = ast.parse(source, filename)
    names = _constant_strings(module)
    problems: list[str] = []

    def check(fmt: str | None, node: ast.AST) -> None:
        if fmt is None:
            return
        for code in unportable_codes(fmt):
            problems.append(f"line {node.lineno}: {code} in {fmt!r}")

    for node in ast.walk(module):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called == "strftime":
                for arg in node.args:
                    check(_text_of(arg, names), node)
                for keyword in node.keywords:
                    if keyword.arg in ("format", "fmt"):
                        check(_text_of(keyword.value, names), node)
            if called == "format" and isinstance(func, ast.Name) and len(node.args) == 2:
                spec = _text_of(node.args[1], names)
                if spec is not None and _looks_like_date_spec(spec):
                    check(spec, node)
            if called == "format" and isinstance(func, ast.Attribute):
                template = _text_of(func.value, names)
                for spec in _format_template_specs(template or ""):
                    if _looks_like_date_spec(spec):
                        check(spec, node)
            for keyword in node.keywords:
                if keyword.arg == "datefmt":  # logging.Formatter / basicConfig use time.strftime
                    check(_text_of(keyword.value, names), node)
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = _text_of(node.format_spec, names)
            if spec is not None and _looks_like_date_spec(spec):
                check(spec, node)
    return problems


def test_no_platform_specific_date_formats_anywhere_in_the_tree():
    found = []
    files = [p for folder in SCANNED for p in sorted((ROOT / folder).rglob("*.py"))]
    assert len(files) > 100  # the scan really reads the tree
    for path in files:
        for problem in scan_source(path.read_text(encoding="utf-8"), str(path)):
            found.append(f"{path.relative_to(ROOT)} {problem}")
    assert found == [], "Use coachdesk.core.dates_text instead:\n" + "\n".join(found)


def test_the_scan_finds_each_kind_of_unportable_format():
    source = """
import datetime as dt, logging, time
d = dt.date(2026, 12, 1)
STAMP = "%s"
a = f"{d:%-d %b %Y}"
b = d.strftime("%e %B")
c = time.strftime("%#d/%m")
e = "{:%A %-d}".format(d)
f = format(d, "%k:%M")
g = dt.datetime.strftime(d, "%l %P")
h = logging.Formatter("%(message)s", datefmt="%Ey")
i = d.strftime(STAMP)
j = f"{d:%Od %N %+}"
"""
    problems = scan_source(source)
    lines = sorted({int(p.split(":")[0].removeprefix("line ")) for p in problems})
    assert lines == [5, 6, 7, 8, 9, 10, 11, 12, 13]
    codes = " ".join(problems)
    for code in ("%-d", "%e", "%#d", "%k", "%l", "%P", "%Ey", "%s", "%Od", "%N", "%+"):
        assert f"{code} in" in codes


def test_the_scan_leaves_ordinary_formatting_and_portable_dates_alone():
    source = """
import datetime as dt, logging
logger = logging.getLogger(__name__)
d = dt.date(2026, 12, 1)
logger.info("saved %s in %d ms", "x", 3)
a = "%s of %s" % (1, 2)
b = f"{0.25:.0%} done, {3:>5} items, {d:%Y-%m-%d}, {d:%a %d %b %Y %H:%M %p}"
c = d.strftime("%Y%m%dT%H%M%SZ")
e = "{:%Y-%m-%d} and {:.1%}".format(d, 0.5)
f = "100%% sure".replace("%%", "%")
"""
    assert scan_source(source) == []

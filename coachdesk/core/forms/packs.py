"""Form packs on disk: one folder per program, one YAML file per form version, a lock file.

`published.lock` lists every published version as `form_id@version sha256`. A published version
is immutable: if its file's content no longer hashes to the lock entry, the pack fails
`forms check` and the form is unavailable (responses already store the old hash). Versions that
are not in the lock are drafts: checked, but not offered for new visits.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from coachdesk.core.bundled import forms_dir
from coachdesk.core.errors import RefusedInput
from coachdesk.core.forms.loader import PROGRAM_CODES, parse_form
from coachdesk.core.forms.model import FormDefinition, FormProblem

logger = logging.getLogger(__name__)

LOCK_NAME = "published.lock"
_LOCK_LINE = re.compile(r"^([a-z][a-z0-9_]*@[1-9][0-9]*)\s+([0-9a-f]{64})$")
_LOCK_HEADER = (
    "# Published form versions: form_id@version sha256 of the canonical content.\n"
    "# A published version never changes; put edits in a new version and publish it.\n"
)


@dataclass(frozen=True)
class AvailableForm:
    """One form file of a pack, whether it can be used, and why not."""

    path: Path
    form_id: str
    version: int
    title: str
    program: str
    applies_to: tuple[str, ...]
    sha256: str
    published: bool
    definition: FormDefinition | None
    problems: tuple[FormProblem, ...]

    @property
    def available(self) -> bool:
        return self.definition is not None and not self.problems

    @property
    def reason(self) -> str:
        """Why the form cannot be used (empty when it can)."""
        return "; ".join(str(p) for p in self.problems)


@dataclass(frozen=True)
class PackReport:
    folder: Path
    forms: tuple[AvailableForm, ...]
    problems: tuple[FormProblem, ...]  # every problem, the forms' own included

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line: the pack, how many forms and versions, published and drafts."""
        published = sum(1 for f in self.forms if f.published)
        drafts = len(self.forms) - published
        form_ids = len({f.form_id for f in self.forms})
        state = "ok" if self.ok else f"{len(self.problems)} problem(s)"
        return (
            f"{self.folder.name}: {form_ids} form(s), {len(self.forms)} version(s), "
            f"{published} published, {drafts} draft(s): {state}"
        )


def read_lock(path: Path) -> tuple[dict[str, tuple[str, int]], list[FormProblem]]:
    """The lock file's entries (key -> (sha256, line)) and any malformed lines."""
    entries: dict[str, tuple[str, int]] = {}
    problems: list[FormProblem] = []
    if not path.exists():
        return entries, problems
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LOCK_LINE.match(line)
        if match is None:
            problems.append(
                FormProblem(str(path), number, "lock", "expected `form_id@version sha256`.")
            )
            continue
        key, digest = match.groups()
        if key in entries:
            problems.append(FormProblem(str(path), number, key, "this version is listed twice."))
        entries[key] = (digest, number)
    return entries, problems


@lru_cache(maxsize=256)
def _parse_file(path: str, _mtime_ns: int, _size: int):  # noqa: ANN202 - cached LoadResult
    text = Path(path).read_text(encoding="utf-8")
    return parse_form(text, path)


def _load_file(path: Path):  # noqa: ANN202
    try:
        stat = path.stat()
        return _parse_file(str(path), stat.st_mtime_ns, stat.st_size)
    except (OSError, UnicodeDecodeError) as exc:
        from coachdesk.core.forms.loader import LoadResult

        reason = getattr(exc, "strerror", None) or "the file is not UTF-8 text"
        return LoadResult(
            None, (FormProblem(str(path), 1, "form", f"cannot read the file ({reason})."),)
        )


def form_files(folder: Path) -> list[Path]:
    """The form files of a pack folder, sorted."""
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def check_pack(folder: Path) -> PackReport:
    """Load and check every form file of one program folder against its lock file."""
    lock, problems = read_lock(folder / LOCK_NAME)
    expected_program = folder.name.upper()
    forms: list[AvailableForm] = []
    seen: dict[str, Path] = {}
    for path in form_files(folder):
        result = _load_file(path)
        own = list(result.problems)
        definition = result.definition
        if definition is None:
            forms.append(
                AvailableForm(
                    path, path.stem, 0, path.stem, expected_program, (), "", False, None, tuple(own)
                )
            )
            problems.extend(own)
            continue
        if expected_program in PROGRAM_CODES and definition.program != expected_program:
            own.append(
                FormProblem(
                    str(path),
                    1,
                    "program",
                    f"this form is for {definition.program} but sits in the {folder.name} pack.",
                )
            )
        if definition.key in seen:
            own.append(
                FormProblem(
                    str(path),
                    1,
                    "version",
                    f"{definition.key} is also defined in {seen[definition.key].name}.",
                )
            )
        seen.setdefault(definition.key, path)
        published = definition.key in lock
        if published and lock[definition.key][0] != definition.sha256:
            own.append(
                FormProblem(
                    str(path),
                    1,
                    definition.key,
                    "this version is published and its content has changed since "
                    f"(lock {lock[definition.key][0][:12]}…, now {definition.sha256[:12]}…); "
                    "put your changes in a new version instead.",
                )
            )
        forms.append(
            AvailableForm(
                path,
                definition.form_id,
                definition.version,
                definition.title,
                definition.program,
                definition.applies_to,
                definition.sha256,
                published,
                definition,
                tuple(own),
            )
        )
        problems.extend(own)
    return PackReport(folder, tuple(forms), tuple(problems))


def pack_folders(root: Path) -> list[Path]:
    """The pack folders under root; root itself when it holds form files or a lock file."""
    if not root.is_dir():
        raise RefusedInput(f"{root} is not a folder of form packs.")
    if (root / LOCK_NAME).exists() or any(root.glob("*.yaml")):
        return [root]
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def check_forms(root: Path | None = None) -> list[PackReport]:
    """Check every pack under root (default: the shipped forms/)."""
    return [check_pack(folder) for folder in pack_folders(root or forms_dir())]


def list_forms(
    program: str | None = None,
    visit_type: str | None = None,
    *,
    root: Path | None = None,
) -> list[AvailableForm]:
    """Every form version (usable or not, with the reason) for a program and visit type."""
    found = []
    for report in check_forms(root):
        for form in report.forms:
            if program is not None and form.program != program:
                continue
            if visit_type is not None and visit_type not in form.applies_to:
                continue
            found.append(form)
    for form in found:
        if not form.available:
            logger.warning("form %s is unavailable: %s", form.path, form.reason)
    return found


def forms_for_visit(
    program: str, visit_type: str, *, root: Path | None = None
) -> list[FormDefinition]:
    """The newest published, usable version of each form for a new visit of this type."""
    newest: dict[str, FormDefinition] = {}
    for form in list_forms(program, visit_type, root=root):
        if not (form.available and form.published) or form.definition is None:
            continue
        current = newest.get(form.form_id)
        if current is None or form.version > current.version:
            newest[form.form_id] = form.definition
    return sorted(newest.values(), key=lambda d: d.title)


def find_definition(
    form_id: str, version: int, *, root: Path | None = None
) -> FormDefinition | None:
    """A shipped, usable version of a form, or None if it is not shipped (or broken)."""
    for form in list_forms(root=root):
        if form.form_id == form_id and form.version == version and form.available:
            return form.definition
    return None


def publish_pack(folder: Path) -> list[str]:
    """Add every clean draft of a pack to its lock file; returns the keys published."""
    report = check_pack(folder)
    lock_path = folder / LOCK_NAME
    lock, _problems = read_lock(lock_path)
    added = []
    for form in report.forms:
        if form.published or not form.available or form.definition is None:
            continue
        added.append(f"{form.definition.key} {form.sha256}")
    if added:
        existing = lock_path.read_text(encoding="utf-8") if lock_path.exists() else _LOCK_HEADER
        if not existing.endswith("\n"):
            existing += "\n"
        lock_path.write_text(existing + "\n".join(added) + "\n", encoding="utf-8")
    return [line.split()[0] for line in added]

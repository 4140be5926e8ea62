"""The document-number register: `document-numbers.yaml` at the repository root, beside qms.yaml, maps each
generated document's key to the number it carries, so a number never moves when records are added.

    # one line per document: "type:subject": number
    protocol:OQ-001: "NWM-VP-003"
    capa:CAPA-2026-001: "NWM-CAPR-001"
    risk:report: "NWM-RMR-001"

The key is the document type (qms.yaml numbering.types) and its subject: the record a per-record document
reports on (a protocol, a CAPA, a change control), or a fixed name for the one document of its type.
Numbers are assigned append-only: the next free number of the type (one above the highest registered).
`qms build` does not write the register: a document whose key is not registered gets a provisional number
(the one `qms numbers assign` would give it), marked as not registered on its title page, in the index
and in the manifest; `qms numbers assign` appends those entries under the repository lock.

Once committed, an entry keeps its number: the register's committed versions (git log) are read, and an
entry whose number differs from the first it was committed with, one that was removed, or a number that
passed to another key, is an error (QMS652) unless an approved change control (status approved or later)
names the key or the earlier number in its title, reason or implementation plan.

The register sits at the root rather than under specs/ because every YAML file under specs/ is read as a
record. It is read like every record: size-checked, safe YAML, each problem located at its line.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..codes.numbers import NUMBER_TWICE, REGISTER_ENTRY, RENUMBERED
from ..codes.schema import UNREADABLE
from ..config import RepoConfig
from ..findings import Finding, Location, QmsError
from ..load.files import read_regular
from ..load.yamlfile import MAX_BYTES, YamlProblem, parse_yaml

if TYPE_CHECKING:
    from ..config import RepoConfig
    from ..recordset import RecordSet

REGISTER = "document-numbers.yaml"
KEY = re.compile(r"\A[a-z][a-z_]*:[A-Za-z0-9][A-Za-z0-9._-]*\Z")
APPROVED_CHANGE = frozenset({"approved", "implemented", "verified", "closed"})
HEADER = ("# Document number register: the number each generated document carries, assigned once and never\n"
          "# changed (see `qms numbers assign`). A changed or removed entry needs an approved change control\n"
          "# naming the document's key or its earlier number.\n")


def key(doc_type: str, subject: str) -> str:
    return f"{doc_type}:{subject}"


@dataclass
class Register:
    entries: dict[str, str] = field(default_factory=dict)  # key -> document number
    lines: dict[str, int] = field(default_factory=dict)  # key -> line in the file
    exists: bool = False


def parse_register(raw: bytes, rel: str = REGISTER) -> tuple[Register, list[Finding]]:
    """The entries of one version of the register and the findings on it (a malformed entry is left out)."""
    try:
        doc = parse_yaml(raw, rel)
    except YamlProblem as problem:
        return Register(exists=True), [problem.finding]
    register, found = Register(exists=True), []
    owner: dict[str, str] = {}
    for name, value in doc.data.items():
        line = doc.anchors.get((name,), (1, -1))[0]
        where = Location(rel, line)
        if not KEY.match(name):
            found.append(REGISTER_ENTRY.finding(where, f"'{name}' is not a document key 'type:subject'",
                                                hint="e.g. protocol:OQ-001 or risk:report"))
        elif not isinstance(value, str) or not value.strip() or "\n" in value:
            found.append(REGISTER_ENTRY.finding(where, f"{name}: the number must be one line of text, not {value!r}",
                                                hint='write it in quotes, e.g. "NWM-VP-003"'))
        elif value in owner:
            found.append(NUMBER_TWICE.finding(where, f"{name}: number {value} is already {owner[value]}'s "
                                              f"(line {register.lines[owner[value]]})",
                                              hint="give this document the next free number of its type"))
        else:
            owner[value] = name
            register.entries[name] = value
            register.lines[name] = line
    return register, found


def read_register(root: Path) -> tuple[Register, list[Finding]]:
    path = root / REGISTER
    if not path.exists() and not path.is_symlink():
        return Register(), []
    try:
        raw = read_regular(path, MAX_BYTES, nofollow=True)
    except OSError as err:
        return Register(exists=True), [UNREADABLE.finding(Location(REGISTER), f"cannot be read: {err.strerror or err}")]
    return parse_register(raw)


# Codes for the generated documents qms.yaml's numbering.types usually leaves out; numbering.types wins.
DEFAULT_TYPE_CODES = {
    "rmp": "RMP",  # risk management plan (summary)
    "change": "CCR",  # change control record
    "kpi": "MRI",  # management review input
    "recall": "RIR",  # recall impact report
    "device": "DDS",  # device description
    "labelling": "ISR",  # information supplied register
    "manufacturing": "MSP",  # manufacturing sites and process
    "pms": "PMSP",  # post-market surveillance plan
    "psur": "PSUR",  # periodic safety update report
    "declaration": "DOC",  # EU declaration of conformity
}


def type_code(config: RepoConfig, doc_type: str) -> str:
    """The code of a document type in document numbers: numbering.types, then the generator's own default
    for its documents (DEFAULT_TYPE_CODES), else the key upper-cased."""
    return config.numbering.types.get(doc_type) or DEFAULT_TYPE_CODES.get(doc_type, doc_type.upper())


def document_number(config: RepoConfig, doc_type: str, number: int) -> str:
    """The document number from numbering.format, e.g. ACME-DTM-001."""
    pattern = config.numbering.format
    try:
        return pattern.format(company=config.company.code, type=type_code(config, doc_type), number=number)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise QmsError(f"qms.yaml numbering.format {pattern!r} cannot be filled "
                       f"(fields: {{company}}, {{type}}, {{number}}): {exc}") from None


# --- numbers within a type --------------------------------------------------------------------------------

def _pattern(config: Any, doc_type: str) -> re.Pattern[str] | None:
    """A pattern matching the numbers of `doc_type` under qms.yaml's numbering.format, the number captured."""
    parts = []
    try:
        for literal, name, spec, _conv in string.Formatter().parse(config.numbering.format):
            parts.append(re.escape(literal))
            if name == "company":
                parts.append(re.escape(format(config.company.code, spec or "")))
            elif name == "type":
                parts.append(re.escape(format(type_code(config, doc_type), spec or "")))
            elif name == "number":
                parts.append(r"\s*(\d+)")
            elif name is not None:
                return None
    except (ValueError, TypeError):
        return None
    return re.compile(r"\A" + "".join(parts) + r"\Z")


class Numbers:
    """The register applied to the documents of one repository: each document's registered number, or the
    provisional one `qms numbers assign` would register for it. `expected` are the keys of every document
    the dossier makes (render.dossier_sections.document_keys); their provisional numbers are given in key
    order, so a build and `qms numbers assign` agree. Any other document (an on-demand recall report) gets
    the next free number of its type when it is made."""

    def __init__(self, config: Any, register: Register | None = None, expected: Iterable[tuple[str, str]] = ()):
        self.config = config
        self.register = register or Register()
        self.provisional: dict[str, str] = {}
        self.used: dict[str, str] = {}  # key -> number of every document made, for the manifest
        self._top: dict[str, int] = {}
        for k, number in self.register.entries.items():
            self._raise_top(k.split(":", 1)[0], number)
        for doc_type, subject in sorted(set(expected), key=lambda ts: (ts[0], key(*ts))):
            self._provide(doc_type, subject)

    def _raise_top(self, doc_type: str, number: str) -> None:
        pattern = _pattern(self.config, doc_type)
        found = pattern.match(number) if pattern is not None else None
        if found is not None:
            self._top[doc_type] = max(self._top.get(doc_type, 0), int(found.group(1)))

    def _provide(self, doc_type: str, subject: str) -> str:
        k = key(doc_type, subject)
        if k in self.register.entries:
            return self.register.entries[k]
        if k not in self.provisional:
            taken = set(self.register.entries.values()) | set(self.provisional.values())
            n = self._top.get(doc_type, 0) + 1
            while document_number(self.config, doc_type, n) in taken:
                n += 1
            self.provisional[k] = document_number(self.config, doc_type, n)
            self._top[doc_type] = n
        return self.provisional[k]

    def number(self, doc_type: str, subject: str) -> str:
        """The number of the document `doc_type:subject`, registered or provisional."""
        number = self._provide(doc_type, subject)
        self.used[key(doc_type, subject)] = number
        return number

    def registered(self, doc_type: str, subject: str) -> bool:
        return key(doc_type, subject) in self.register.entries

    @property
    def unregistered(self) -> dict[str, str]:
        """Every document made so far whose number is provisional: key -> number."""
        return {k: n for k, n in sorted(self.used.items()) if k not in self.register.entries}


# --- renumbering ------------------------------------------------------------------------------------------

def _committed_versions(root: Path) -> list[bytes] | None:
    """Every committed version of the register, oldest first; None outside git (or when git fails)."""
    import subprocess

    def run(*args: str) -> bytes | None:
        try:
            proc = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None
        return proc.stdout if proc.returncode == 0 else None

    log = run("log", "--format=%H", "--reverse", "HEAD", "--", REGISTER)
    if log is None:
        return None
    versions = []
    for commit in log.decode().split():
        raw = run("show", f"{commit}:{REGISTER}")
        if raw is not None and len(raw) <= MAX_BYTES:
            versions.append(raw)
    return versions


def _changes_named(records: Any) -> str:
    """The text of every approved change control, where a renumbering must be named."""
    texts = []
    for cc in records.of_kind("change"):
        if cc.status in APPROVED_CHANGE:
            texts.append(" ".join(str(x) for x in (cc.title, cc.reason, cc.implementation_plan) if x))
    return "\n".join(texts)


def _named(text: str, token: str) -> bool:
    return re.search(r"(?<![\w:.-])" + re.escape(token) + r"(?![\w:-])", text) is not None


def renumbered(root: Path, register: Register, records: RecordSet) -> list[Finding]:
    """QMS652 for each committed entry changed, removed or its number given to another key, unless an
    approved change control names the key or the earlier number."""
    versions = _committed_versions(root)
    if not versions:
        return []
    first: dict[str, str] = {}  # key -> the number it was first committed with
    holder: dict[str, str] = {}  # number -> the key that first held it
    for raw in versions:
        version, _ = parse_register(raw)
        for k, number in version.entries.items():
            first.setdefault(k, number)
            holder.setdefault(number, k)
    changes = _changes_named(records)
    found = []

    def excused(*tokens: str) -> bool:
        return any(_named(changes, t) for t in tokens)

    for k, was in first.items():
        now = register.entries.get(k)
        where = Location(REGISTER, register.lines.get(k, 1) if now is not None else 1)
        if now is None and not excused(k, was):
            found.append(RENUMBERED.finding(where, f"{k} ({was}) was removed from the register",
                                            hint=f"put it back, or name {k} or {was} in an approved change control"))
        elif now is not None and now != was and not excused(k, was):
            found.append(RENUMBERED.finding(where, f"{k} was {was} when first committed and is now {now}",
                                            hint=f"restore {was}, or name {k} or {was} in an approved change control"))
    for k, now in register.entries.items():
        other = holder.get(now)
        if other is not None and other != k and not excused(k, now):
            found.append(RENUMBERED.finding(Location(REGISTER, register.lines[k]),
                                            f"{k}: number {now} was first assigned to {other}; a number is never reused",
                                            hint="give it the next free number of its type (`qms numbers assign`)"))
    return found


def register_findings(root: Path, records: RecordSet) -> list[Finding]:
    """Every finding on the register: malformed or duplicated entries, and renumberings."""
    register, found = read_register(root)
    return found + renumbered(root, register, records)


# --- assigning ----------------------------------------------------------------------------------------------

def assign(root: Path, config: RepoConfig, expected: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Append a number for every expected document the register lacks (under the repository lock, written
    atomically); the entries added. A register with errors is refused (QmsError) and left as it is."""
    from ..atomic import write_bytes
    from ..lock import repository_lock

    with repository_lock(root, "qms numbers assign"):
        register, found = read_register(root)
        errors = [f for f in found if f.severity == "error"]
        if errors:
            raise QmsError(f"{errors[0].location}: {errors[0].message}; mend {REGISTER} before assigning numbers "
                           f"({len(errors)} problem(s), see `qms validate`)")
        numbers = Numbers(config, register, expected)
        added = dict(sorted(numbers.provisional.items(), key=lambda kv: (kv[0].split(":", 1)[0], kv[0])))
        if not added:
            return {}
        path = root / REGISTER
        text = path.read_bytes() if register.exists else HEADER.encode()
        if text and not text.endswith(b"\n"):
            text += b"\n"
        text += "".join(f"{k}: {json.dumps(n, ensure_ascii=False)}\n" for k, n in added.items()).encode("utf-8")
        write_bytes(path, text)
        return added

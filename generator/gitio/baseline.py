"""Release baselines: annotated git tags `baseline/NAME` that record the dossier's manifest hash.

A baseline names a commit and seals what was built from it: the tag message carries the commit, the
SHA-256 of the dossier's manifest.json (which itself lists the SHA-256 of every file), the as-of date
and the generator version, as `Key: value` lines. A baseline is never moved or replaced: creating one
whose name exists is refused, so a tag once shown to an auditor keeps meaning the same content.

Besides gitio.commit (approvals), this is the only module that writes to git: it creates tags.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..findings import QmsError
from .commit import git

if TYPE_CHECKING:
    from ..model.raw import JsonObject

TAG_PREFIX = "baseline/"
_TRAILER = re.compile(r"^([A-Za-z][A-Za-z0-9-]*): (.*)$")
MANIFEST_KEY = "Manifest-SHA256"


@dataclass(frozen=True)
class Baseline:
    name: str  # without the baseline/ prefix
    commit: str
    date: str  # the tagger date (ISO 8601), "" for a lightweight tag
    tagger: str
    manifest_sha256: str | None  # None when the tag message records none (e.g. a lightweight tag)
    message: str
    annotated: bool

    @property
    def tag(self) -> str:
        return TAG_PREFIX + self.name

    @property
    def facts(self) -> dict[str, str]:
        return trailers(self.message)

    def as_json(self) -> JsonObject:
        facts = self.facts
        return {"name": self.name, "tag": self.tag, "commit": self.commit, "date": self.date or None,
                "tagger": self.tagger or None, "manifest_sha256": self.manifest_sha256,
                "as_of": facts.get("As-of"), "releasable": (facts.get("Releasable") or "").split(" ")[0] or None,
                "annotated": self.annotated}


def short_name(name: str) -> str:
    """The baseline's own name, whether given as NAME or as baseline/NAME."""
    return name.removeprefix(TAG_PREFIX)


def check_name(root: Path, name: str) -> str:
    """The tag `baseline/NAME` for a valid NAME; QmsError for a name git would not accept as a tag."""
    name = short_name(name.strip())
    if not name or name.startswith("-") or any(c.isspace() for c in name):
        raise QmsError(f"'{name}' is not a baseline name: use letters, digits, '.', '-', '_' (e.g. 1.0 or v2-rc1)")
    proc = git(root, "check-ref-format", f"refs/tags/{TAG_PREFIX}{name}", check=False)
    if proc.returncode != 0:
        raise QmsError(f"'{name}' is not a baseline name: git does not accept refs/tags/{TAG_PREFIX}{name}")
    return TAG_PREFIX + name


def baseline_ref(root: Path, name: str) -> str | None:
    """`refs/tags/baseline/NAME` when that baseline exists, else None."""
    if not name or name.startswith("-"):
        return None
    ref = f"refs/tags/{TAG_PREFIX}{short_name(name)}"
    proc = git(root, "rev-parse", "--verify", "--quiet", ref, check=False)
    return ref if proc.returncode == 0 else None


SHOWN_REASONS = 5


def tag_message(name: str, commit: str, manifest_sha256: str, as_of: dt.date, generator: str,
                refusals: list[str]) -> str:
    """The tag message: `Key: value` lines, and "Releasable: yes" only when nothing refuses the release
    (`refusals` are `qms build --release`'s reasons, one a line); otherwise the count and the first few."""
    n = len(refusals)
    verdict = "yes" if not refusals else f"no — {n} reason{'' if n == 1 else 's'}"
    shown = "".join(f"- {' '.join(r.split())}\n" for r in refusals[:SHOWN_REASONS])
    more = f"- … and {n - SHOWN_REASONS} more (qms build --release lists them all)\n" if n > SHOWN_REASONS else ""
    return (f"Baseline {short_name(name)}\n\n"
            f"Commit: {commit}\n"
            f"{MANIFEST_KEY}: {manifest_sha256}\n"
            f"As-of: {as_of.isoformat()}\n"
            f"Generator: {generator}\n"
            f"Releasable: {verdict}\n{shown}{more}")


def trailers(message: str) -> dict[str, str]:
    """The `Key: value` lines of a tag message (the first occurrence of each key)."""
    out: dict[str, str] = {}
    for line in message.splitlines():
        match = _TRAILER.match(line.strip())
        if match:
            out.setdefault(match.group(1), match.group(2).strip())
    return out


def create(root: Path, name: str, commit: str, message: str, *, sign: bool = False) -> str:
    """Tag `commit` as baseline NAME with `message` (annotated; signed with -s); the tag name."""
    tag = check_name(root, name)
    if baseline_ref(root, name) is not None:
        raise QmsError(f"baseline {short_name(name)} exists already (tag {tag}); a baseline is never moved: "
                       "choose a new name")
    git(root, "-c", "tag.forceSignAnnotated=false", "tag", "-a", *(["-s"] if sign else []),
        "--cleanup=verbatim", "-m", message, tag, commit)
    return tag


def find(root: Path, name: str) -> Baseline:
    """The baseline NAME; QmsError (exit 2) when there is no such tag, or it records no manifest hash."""
    wanted = short_name(name.strip())
    found = next((b for b in baselines(root) if b.name == wanted), None) if wanted else None
    if found is None:
        known = ", ".join(b.name for b in baselines(root)) or "none"
        raise QmsError(f"no baseline '{wanted}' (tag {TAG_PREFIX}{wanted}) in {root} (baselines: {known})")
    if found.manifest_sha256 is None:
        why = "is a lightweight tag" if not found.annotated else "has no Manifest-SHA256 line in its message"
        raise QmsError(f"baseline {found.name} {why}: it records no manifest to verify against")
    return found


def baselines(root: Path) -> list[Baseline]:
    """Every baseline tag, oldest first (by tagger date, then name)."""
    fields = ("%(refname:strip=3)", "%(objecttype)", "%(*objectname)", "%(objectname)",
              "%(taggerdate:iso-strict)", "%(taggername) %(taggeremail)", "%(contents)")
    proc = git(root, "for-each-ref", "--format=" + "%00".join(fields) + "%00", f"refs/tags/{TAG_PREFIX}",
               check=False)
    if proc.returncode != 0:
        return []
    parts = proc.stdout.split("\0")
    out = []
    for i in range(0, len(parts) - len(fields) + 1, len(fields)):
        name, kind, peeled, obj, date, tagger, contents = (p.lstrip("\n") if j == 0 else p
                                                           for j, p in enumerate(parts[i:i + len(fields)]))
        annotated = kind == "tag"
        message = contents if annotated else ""
        sha = trailers(message).get(MANIFEST_KEY)
        out.append(Baseline(name, peeled if annotated else obj, date, tagger.strip() if annotated else "",
                            sha if sha and re.fullmatch(r"[0-9a-f]{64}", sha) else None, message, annotated))
    return sorted(out, key=lambda b: (_instant(b.date), b.name))


def _instant(date: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(date).astimezone(dt.UTC)
    except ValueError:  # a lightweight tag has no date of its own
        return dt.datetime.min.replace(tzinfo=dt.UTC)


# What a dossier is built from: if any of it is not committed, the dossier is not the commit's.
SOURCES = ("records", "specs", "protocols", "features", "qms.yaml")


def unclean(root: Path) -> list[str]:
    """Why the working tree is not exactly its HEAD commit, one reason a line; [] when it is.

    Tracked files changed (staged or not) anywhere in the repository, and untracked files among the
    dossier's sources (a new record file would be built into the dossier but is in no commit).
    Outside a git work tree: one reason saying so.
    """
    proc = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=no", check=False)
    if proc.returncode != 0:
        return [f"{root} is not in a git work tree: a baseline or release is built from a commit"]
    reasons = []
    changed = sorted(path for _, path in _porcelain(proc.stdout))
    if changed:
        reasons.append(f"working tree has uncommitted changes to {len(changed)} tracked file(s): "
                       f"{_some(changed)}; commit or revert them first")
    present = [s for s in SOURCES if (root / s).exists()]
    if present:
        proc = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *present, check=False)
        new = sorted(path for status, path in _porcelain(proc.stdout) if status == "??")
        if new:
            reasons.append(f"working tree has {len(new)} untracked file(s) among the records: {_some(new)}; "
                           "commit or remove them first")
    return reasons


def _porcelain(out: str) -> list[tuple[str, str]]:
    """(XY status, path) of `git status --porcelain=v1 -z` output (a rename's source entry skipped)."""
    entries = out.split("\0")
    found = []
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        found.append((entry[:2], entry[3:]))
        if entry[0] in "RC":
            i += 1  # the path it was renamed or copied from
    return found


def _some(paths: list[str], shown: int = 5) -> str:
    more = f" and {len(paths) - shown} more" if len(paths) > shown else ""
    return ", ".join(paths[:shown]) + more

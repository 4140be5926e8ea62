"""What git knows about approvals: the commit that added each approval file, its signature, and who
last changed each record file.

Two git calls, whatever the number of records: one `git log` over the approval folders (only the
commits that added a file there, with their signature status), and the shared streaming history
reader (gitio.log.iter_commits) over the record folders for the author of every change and what each
git identity changed (names only, no signature checks, so it stays cheap). Rules never run git:
`collect` fills a `GitFacts` that the caller hands to them.

SSH signatures are checked against an allowed-signers file written from the users' `signing_keys`,
so a key counts only if some user record registers it; whether it is the approval's signer's key is
the rules' question (`GitFacts.key_owners`). GPG signatures are checked against the local keyring;
the key's fingerprint must likewise be registered on the signer's record.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings import QmsError
from ..load.repo import RECORD_ROOTS
from ..model import User
from ..recordset import RecordSet
from .commit import git, is_work_tree
from .shallow import HistoryGap, history_gaps

if TYPE_CHECKING:
    from .stages import StageEntry

# %G? letters (git-log(1)): G good, B bad, U good but validity unknown, X expired signature, Y made by an
# expired key, R made by a revoked key, E cannot be checked (e.g. missing key), N no signature.
STATUS_TEXT = {
    "G": "good", "B": "bad (the content does not match the signature)", "U": "good, key not trusted",
    "X": "expired", "Y": "made by an expired key", "R": "made by a revoked key",
    "E": "cannot be checked (key or tool missing)", "N": "unsigned",
}
SSH_KEY_TYPES = ("ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                 "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com")
_GPG_HEX = re.compile(r"^(?:[0-9A-F]{16}|[0-9A-F]{40}|[0-9A-F]{64})$")
# Field and entry separators in git log output, and the placeholders that print them.
_SEP, _END = "\x1f", "\x00"
_F, _E = "%x1f", "%x00"


@dataclass(frozen=True)
class CommitSignature:
    commit: str
    status: str  # one %G? letter
    key: str  # %GK: SSH key fingerprint (SHA256:...) or GPG key ID
    fingerprint: str  # %GF: fingerprint of the signing key
    primary: str  # %GP: fingerprint of the primary key (GPG subkeys)
    author: str  # author email
    authored: str = ""  # %aI: author date, strict ISO 8601 with offset (kept by rebase and cherry-pick)

    @property
    def signed(self) -> bool:
        return self.status != "N"

    @property
    def good(self) -> bool:
        """Cryptographically good; whose key it is, is a separate question."""
        return self.status in ("G", "U")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k in (self.fingerprint, self.primary, self.key) if k)


def keyring_dependent(facts: GitFacts | None) -> bool:
    """Whether a signature verdict came from a keyring outside the repository (an OpenPGP or X.509
    signature); SSH signatures are checked against the keys the records register."""
    return facts is not None and any(sig.signed and not sig.key.startswith("SHA256:")
                                     for sig in facts.approvals.values())


@dataclass(frozen=True)
class Authorship:
    """What one git author identity (email, lower case) did to the record files."""

    email: str
    name: str  # the author name of its first commit
    commits: int  # commits that changed at least one record file
    first: str  # oldest such commit
    last: str  # newest such commit
    files: tuple[str, ...]  # record files it changed, in the order it first changed them (commit, then path)


@dataclass(frozen=True)
class GitFacts:
    # Approval file (path relative to the repository root) -> the commit that added it.
    approvals: dict[str, CommitSignature] = field(default_factory=dict)
    # Commit -> position in history, 0 = newest.
    order: dict[str, int] = field(default_factory=dict)
    # Record file -> (commit, author email) of every change to it, newest first.
    changes: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # Signing key (SSH SHA256 fingerprint, GPG fingerprint or key ID, upper case) -> user IDs registering it.
    key_owners: dict[str, frozenset[str]] = field(default_factory=dict)
    # Author email (lower case) -> what that identity changed in the record folders.
    authors: dict[str, Authorship] = field(default_factory=dict)
    # Record ID -> when it entered its current status (gitio.stages), for kinds with stage deadlines.
    stages: dict[str, StageEntry] = field(default_factory=dict)
    # Why the history is not whole (a shallow clone, grafts, replace refs): empty when it is.
    gaps: tuple[HistoryGap, ...] = ()

    def change_before(self, rel: str, commit: str | None) -> tuple[str, str] | None:
        """(commit, author email) of the last change to `rel` made in or before `commit` (None: the newest)."""
        limit = self.order.get(commit, -1) if commit is not None else -1
        for change in self.changes.get(rel, ()):
            if self.order.get(change[0], 0) >= limit:
                return change
        return None

    def owners(self, signature: CommitSignature) -> frozenset[str]:
        found: set[str] = set()
        for key in signature.keys:
            found |= self.key_owners.get(key.upper(), frozenset())
        return frozenset(found)


def ssh_fingerprint(public_key: str) -> str | None:
    """`SHA256:...` of an OpenSSH public key line, as ssh-keygen -l and git's %GK print it."""
    parts = public_key.split()
    if len(parts) < 2 or parts[0] not in SSH_KEY_TYPES:
        return None
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return None
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")


def gpg_fingerprint(text: str) -> str | None:
    compact = re.sub(r"\s+", "", text).upper().removeprefix("0X")
    return compact if _GPG_HEX.match(compact) else None


def registered_keys(records: RecordSet) -> tuple[dict[str, frozenset[str]], dict[str, list[str]]]:
    """(key -> owners, SSH public key 'type blob' -> owners) from every user's signing_keys."""
    owners: dict[str, set[str]] = defaultdict(set)
    ssh: dict[str, list[str]] = defaultdict(list)
    for user in records.of_kind("user"):
        if not isinstance(user, User):
            continue
        for entry in user.signing_keys:
            if (fp := ssh_fingerprint(entry)) is not None:
                owners[fp.upper()].add(user.id)
                ssh[" ".join(entry.split()[:2])].append(user.id)
            elif (fp := gpg_fingerprint(entry)) is not None:
                owners[fp].add(user.id)
                if len(fp) >= 40:
                    owners[fp[-16:]].add(user.id)  # %GK gives the long key ID
    return {k: frozenset(v) for k, v in owners.items()}, dict(ssh)


def allowed_signers(ssh_keys: dict[str, list[str]]) -> str:
    """ssh-keygen ALLOWED SIGNERS text: one line per registered key, its users as principals."""
    return "".join(f"{','.join(sorted(set(users)))} {key}\n" for key, users in sorted(ssh_keys.items()))


def approval_commits(root: Path, folders: Iterable[str], signers: str) -> dict[str, CommitSignature]:
    """For every file under `folders`, the newest commit that added it, with its signature status."""
    folders = sorted(set(folders))
    if not folders:
        return {}
    fd, allowed = tempfile.mkstemp(prefix="qms-allowed-signers-", text=True)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(signers)
        proc = git(root, "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "--no-renames",
                   "--diff-filter=A", "--relative", "--name-only",
                   f"--format={_E}%H{_F}%G?{_F}%GK{_F}%GF{_F}%GP{_F}%ae{_F}%aI", "--", *folders,
                   check=False)
    finally:
        os.unlink(allowed)
    found: dict[str, CommitSignature] = {}
    if proc.returncode != 0:  # no commits yet
        return found
    for header, files in _entries(proc.stdout):
        commit, status, key, fp, primary, author, authored = (header.split(_SEP) + [""] * 7)[:7]
        signature = CommitSignature(commit, status or "N", key, fp, primary, author.lower(), authored)
        for rel in files:
            found.setdefault(rel, signature)  # newest first: a re-added file counts from its last addition
    return found


def file_changes(root: Path, folders: Iterable[str]) -> tuple[dict[str, int],
                                                              dict[str, tuple[tuple[str, str], ...]],
                                                              dict[str, Authorship]]:
    """One pass over the history of `folders`: commit order, every file's changes with their authors, and
    each author identity's commits to record files.

    Names only: the shared streaming reader (gitio.log.iter_commits) without blob reads or rename pairing.
    """
    from .history import record_format  # history imports the load layer's tabular reader, needed only here
    from .log import iter_commits

    folders = sorted(set(folders))
    if not folders:
        return {}, {}, {}
    commits: list[tuple[str, str]] = []  # (commit, author email), oldest first
    changes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    seen: dict[str, dict[str, Any]] = {}
    try:
        for commit in iter_commits(root, paths=folders, renames=False):
            author = commit.author_email.strip().lower()
            commits.append((commit.sha, author))
            paths = sorted({p for change in commit.changes for p in (change.old_path, change.new_path) if p})
            for rel in paths:
                changes[rel].append((commit.sha, author))
            held = [rel for rel in paths if record_format(rel) is not None]
            if not held:
                continue
            facts = seen.setdefault(author, {"name": commit.author_name, "commits": 0, "first": commit.sha,
                                             "files": {}})
            facts["commits"] += 1
            facts["last"] = commit.sha
            for rel in held:
                facts["files"].setdefault(rel, None)
    except QmsError:  # no commits yet, or git cannot run: nothing is known
        return {}, {}, {}
    order = {sha: len(commits) - 1 - i for i, (sha, _) in enumerate(commits)}  # 0 = newest
    authors = {email: Authorship(email, f["name"], f["commits"], f["first"], f["last"], tuple(f["files"]))
               for email, f in sorted(seen.items())}
    return order, {rel: tuple(reversed(v)) for rel, v in changes.items()}, authors


def _entries(out: str) -> Iterable[tuple[str, list[str]]]:
    for chunk in out.split(_END):
        if not chunk.strip():
            continue
        header, _, rest = chunk.partition("\n")
        yield header, [line for line in rest.splitlines() if line.strip()]


def collect(root: Path, records: RecordSet) -> GitFacts | None:
    """What the integrity rules need from git, or None when the repository is not a git work tree."""
    if not is_work_tree(root):
        return None
    key_owners, ssh_keys = registered_keys(records)
    approval_folders = {str(Path(records.sources[a.id].file).parent.as_posix()) for a in records.of_kind("approval")}
    approvals = approval_commits(root, approval_folders, allowed_signers(ssh_keys))
    order, changes, authors = file_changes(root, [top for top in RECORD_ROOTS if (root / top).is_dir()])
    stages: dict[str, StageEntry] = {}
    if _has_stage_policy(records):
        from .stages import stage_entries  # reads record versions from git: only for a stage-day policy

        stages = stage_entries(root, records, STAGED_KINDS)
    return GitFacts(approvals, order, changes, key_owners, authors, stages, history_gaps(root))


# Kinds whose policy may limit the days per lifecycle stage (CapaPolicy.stage_days).
STAGED_KINDS = ("capa",)


def _has_stage_policy(records: RecordSet) -> bool:
    from ..analysis.policies import in_force
    from ..model.policy import CapaPolicy

    policy = in_force(records, CapaPolicy)
    return policy is not None and bool(policy.stage_days)


@dataclass(frozen=True)
class SigningKey:
    """The key git would sign a commit with here (gpg.format, user.signingkey)."""

    format: str  # "ssh", "openpgp" or "x509"
    public: str | None  # SSH: the public key line; GPG/X.509: the configured key ID (None: git's default key)
    fingerprint: str | None  # SSH SHA256:… or GPG fingerprint/ID in upper case; None when it cannot be known


def configured_signing_key(root: Path) -> SigningKey | None:
    """What git in `root` signs with, or None when no key is configured.

    An SSH user.signingkey is a literal `key::ssh-ed25519 …`, a public key file, or a private key file with its
    `.pub` beside it (as ssh-keygen writes them); a private key alone is not opened, so no passphrase is asked.
    A relative path is taken from the repository root, where `qms` runs git.
    """
    from .commit import config_value

    fmt = (config_value(root, "gpg.format") or "openpgp").lower()
    key = config_value(root, "user.signingkey")
    if key is None:
        return None
    if fmt != "ssh":
        return SigningKey(fmt, key, gpg_fingerprint(key))
    if key.startswith("key::"):
        public: str | None = key[len("key::"):].strip()
    else:
        path = Path(key).expanduser()
        path = path if path.is_absolute() else root / path
        pub = path if path.name.endswith(".pub") else path.with_name(path.name + ".pub")
        try:
            public = pub.read_text(encoding="utf-8", errors="replace").strip().splitlines()[0] if pub.is_file() else None
        except (OSError, IndexError):
            public = None
    return SigningKey("ssh", public, ssh_fingerprint(public) if public else None)

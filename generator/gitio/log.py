"""The single streaming reader of git history, and a reader of blob contents.

`iter_commits` runs ONE `git log` (raw diffs, NUL-separated, oldest first) and parses its output
incrementally from the pipe, so the first commit is available before git has finished and memory
does not grow with the length of history. `BlobReader` serves file contents through one
`git cat-file --batch` process instead of one `git show` per file version.

Both are general: the record audit trail, document revision histories, approvals' authorship and
baselines all build on `Commit` and `FileChange`.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..findings import QmsError

# Folders the loader reads records from (see load/repo.py RECORD_ROOTS); history is limited to them.
HISTORY_ROOTS = ("records", "specs", "protocols")

_NO_BLOB = "0" * 40
_REGULAR = {"100644", "100755"}  # symbolic links (120000) and submodules (160000) hold no record
_START = b"\x1e"  # marks the first field of each commit in the --format below
# Options that make the output independent of the user's git configuration.
_CONFIG = ("-c", "core.quotepath=off", "-c", "log.showSignature=false", "-c", "color.ui=never",
           "-c", "diff.renames=false", "-c", "log.follow=false")


@dataclass(frozen=True)
class FileChange:
    """One file changed by a commit. `status` is "A" added, "M" modified, "D" deleted or "R" renamed.

    Paths are relative to the quality repository root; blobs are full SHA-1 object names. The side that
    does not exist (old of an add, new of a delete) is None.
    """

    status: str
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None
    similarity: int | None = None  # percent, for renames

    @property
    def path(self) -> str:
        """The path after the change, or before it for a deletion."""
        return self.new_path or self.old_path or ""


@dataclass(frozen=True)
class Commit:
    sha: str
    author_name: str
    author_email: str
    author_date: dt.datetime  # with the author's UTC offset
    message: str  # full message, trailing newlines removed
    changes: tuple[FileChange, ...]
    parents: tuple[str, ...] = ()
    committer_name: str = ""
    committer_email: str = ""
    committer_date: dt.datetime | None = None
    # %G? when asked for: G good, B bad, U good with unknown validity, X/Y expired, R revoked,
    # E cannot be checked, N no signature. None when signatures were not requested.
    signature: str | None = None

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *_CONFIG, *args], capture_output=True,
                              env=_env(), check=False)
    except OSError as err:
        raise QmsError(f"history needs git, which cannot be run here: {err.strerror or err}") from None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", LC_ALL="C")
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


def _first_line(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "git failed"


def require_history(root: Path) -> str:
    """The full SHA of HEAD; a clear QmsError when `root` is not in a git repository or has no commit."""
    probe = _git(root, "rev-parse", "--git-dir")
    if probe.returncode != 0:
        raise QmsError(f"history needs git: {root} is not in a git repository ({_first_line(probe.stderr)})")
    head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if head.returncode != 0:
        raise QmsError(f"history needs git: the repository at {root} has no commits yet")
    return head.stdout.decode().strip()


def resolve(root: Path, ref: str) -> str:
    """Full SHA of the commit `ref` names (branch, tag, SHA, HEAD~3 ...); QmsError if it names none."""
    if not ref or ref.startswith("-"):
        raise QmsError(f"'{ref}' is not a git revision")
    proc = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if proc.returncode != 0:
        raise QmsError(f"unknown git revision '{ref}': no commit by that name in {root}")
    return proc.stdout.decode().strip()


def parents(root: Path, rev: str) -> tuple[str, ...]:
    """The parent commits of `rev` (none for a root commit)."""
    proc = _git(root, "rev-list", "--parents", "-n", "1", resolve(root, rev), "--")
    if proc.returncode != 0:
        raise QmsError(f"git rev-list failed in {root}: {_first_line(proc.stderr)}")
    return tuple(proc.stdout.decode().split()[1:])


def _format(signatures: bool) -> str:
    fields = ["%H", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI"] + (["%G?"] if signatures else []) + ["%B"]
    return "%x1e" + "%x00".join(fields) + "%x00"


def log_command(*, since: str | None = None, rev: str = "HEAD", paths: Iterable[str] | None = None,
                renames: bool = True, signatures: bool = False, follow: bool = False) -> list[str]:
    """The `git log` arguments `iter_commits` runs (after `git -C root`)."""
    # git cannot follow renames while walking in reverse (the path switches as the walk meets the
    # rename), so a followed log is read newest first and reversed by iter_commits.
    args = ["log", *([] if follow else ["--reverse"]), "--date-order", "--full-history", "--raw", "--no-abbrev", "-z", "--relative",
            "--encoding=UTF-8", f"--format={_format(signatures)}"]
    args.append("-M" if renames or follow else "--no-renames")
    if follow:
        args.append("--follow")
    args.append(f"{since}..{rev}" if since else rev)
    args.append("--")
    args.extend(HISTORY_ROOTS if paths is None else paths)
    return args


def iter_commits(root: Path, *, since: str | None = None, paths: Iterable[str] | None = None,
                 rev: str = "HEAD", renames: bool = True, signatures: bool = False,
                 follow: bool = False) -> Iterator[Commit]:
    """Every commit reachable from `rev` (and not from `since`) that changes a record file, oldest first.

    `paths` are pathspecs relative to `root` (git's `:(glob)` magic works); by default the record
    folders. Only changes inside them are listed. Merge commits list no changes: each change is shown
    once, in the commit that made it, as a diff against that commit's parent. `renames` pairs a
    deleted and an added file into one "R" change (git's similarity detection); `signatures` fills
    `Commit.signature` (slow: git verifies every signature). Raises QmsError when there is no history
    or a revision is unknown. `follow` (one path only) follows that file back through its renames,
    as `git log --follow` does.
    """
    require_history(root)
    if since is not None:
        since = resolve(root, since)
    if rev != "HEAD":
        rev = resolve(root, rev)
    paths = list(HISTORY_ROOTS if paths is None else paths)
    cmd = ["git", "-C", str(root), *_CONFIG, *log_command(since=since, rev=rev, paths=paths, renames=renames,
                                                          signatures=signatures, follow=follow)]
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL, env=_env())
        except OSError as err:
            raise QmsError(f"history needs git, which cannot be run here: {err.strerror or err}") from None
        assert proc.stdout is not None  # piped above
        finished = False
        try:
            commits = _parse(_tokens(proc.stdout), 9 if signatures else 8)
            if follow:  # one file's history, read newest first (see log_command)
                yield from reversed(list(commits))
            else:
                yield from commits
            finished = True
        finally:
            if not finished:
                proc.kill()
            proc.stdout.close()
            code = proc.wait()
        if code != 0:
            errors.seek(0)
            raise QmsError(f"git log failed in {root}: {_first_line(errors.read())}")


def _tokens(stream: IO[bytes]) -> Iterator[bytes]:
    """NUL-separated fields of the stream, read in large chunks as git writes them."""
    rest = b""
    read = getattr(stream, "read1", stream.read)
    while True:
        chunk = read(1 << 16)
        if not chunk:
            break
        parts = (rest + chunk).split(b"\0") if rest else chunk.split(b"\0")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _parse(tokens: Iterator[bytes], header_fields: int) -> Iterator[Commit]:
    """Commits from the token stream: a header of fixed fields (the first marked by \\x1e), then raw lines.

    Header fields, paths and messages are read by position, so no content can be mistaken for a marker.
    """
    header: list[bytes] | None = None
    changes: list[FileChange] = []
    for token in tokens:
        if token.startswith(_START):
            if header is not None:
                yield _commit(header, changes)
            header = [token[1:]] + [next(tokens) for _ in range(header_fields)]
            changes = []
            continue
        line = token.lstrip(b"\n")
        if not line.startswith(b":"):
            continue  # the separators between a commit's header and its raw lines
        src_mode, dst_mode, src_blob, dst_blob, status = _text(line[1:]).split(" ")
        letter = status[0]
        if letter in "RC":
            old_path, new_path = _text(next(tokens)), _text(next(tokens))
        else:
            old_path = new_path = _text(next(tokens))
        old = src_blob if src_mode in _REGULAR and src_blob != _NO_BLOB else None
        new = dst_blob if dst_mode in _REGULAR and dst_blob != _NO_BLOB else None
        if old is None and new is None:
            continue
        if letter == "R" and old and new:
            changes.append(FileChange("R", old_path, new_path, old, new, int(status[1:] or 0)))
        elif letter == "C" and new:
            changes.append(FileChange("A", None, new_path, None, new))
        elif old is None:
            changes.append(FileChange("A", None, new_path, None, new))
        elif new is None:
            changes.append(FileChange("D", old_path, None, old, None))
        else:
            changes.append(FileChange("M", old_path, new_path, old, new))
    if header is not None:
        yield _commit(header, changes)


def _commit(header: list[bytes], changes: list[FileChange]) -> Commit:
    sha, parents, an, ae, ad, cn, ce, cd, *rest = (h.decode("utf-8", "replace") for h in header)
    signature = rest[0] if len(rest) == 2 else None
    return Commit(
        sha=sha, author_name=an, author_email=ae, author_date=dt.datetime.fromisoformat(ad),
        message=rest[-1].rstrip("\n"), changes=tuple(changes), parents=tuple(parents.split()),
        committer_name=cn, committer_email=ce, committer_date=dt.datetime.fromisoformat(cd), signature=signature,
    )


class BlobReader:
    """File contents by blob SHA through one `git cat-file --batch` process. Use as a context manager."""

    def __init__(self, root: Path):
        self.root = root
        try:
            self._proc = subprocess.Popen(["git", "-C", str(root), "cat-file", "--batch"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env())
        except OSError as err:
            raise QmsError(f"history needs git, which cannot be run here: {err.strerror or err}") from None

    def read(self, blob: str) -> bytes:
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(blob.encode("ascii") + b"\n")
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise QmsError(f"git cat-file stopped while reading object {blob} in {self.root}") from None
        header = proc.stdout.readline().split()
        if len(header) != 3:
            raise QmsError(f"git object {blob} is missing from the repository at {self.root}")
        size = int(header[2])
        data = proc.stdout.read(size)
        proc.stdout.read(1)  # the newline after each object
        if len(data) != size:
            raise QmsError(f"git object {blob} could not be read completely in {self.root}")
        return data

    def close(self) -> None:
        proc = self._proc
        if proc.poll() is None:
            try:
                if proc.stdin is not None:  # piped when opened
                    proc.stdin.close()
            except OSError:
                pass
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def changed_paths(root: Path, paths: Iterable[str] | None = None) -> list[str]:
    """Every path under `paths` (default: the record folders) that any commit of HEAD's history changed.

    Names only, no contents: one cheap pass, for finding where a record that no longer exists lived.
    """
    args = ["log", "--format=", "--name-only", "-z", "--relative", "--full-history", "--no-renames", "HEAD", "--"]
    proc = _git(root, *args, *(HISTORY_ROOTS if paths is None else paths))
    if proc.returncode != 0:
        raise QmsError(f"git log failed in {root}: {_first_line(proc.stderr)}")
    return sorted({_text(p).lstrip("\n") for p in proc.stdout.split(b"\0") if p.strip(b"\n")})


def tree_files(root: Path, rev: str = "HEAD", paths: Iterable[str] | None = None) -> list[str]:
    """The files (regular, relative to `root`) under `paths` (default: the record folders) in commit `rev`."""
    proc = _git(root, "ls-tree", "-r", "-z", rev, "--",
                *(HISTORY_ROOTS if paths is None else paths))
    if proc.returncode != 0:
        raise QmsError(f"git ls-tree failed in {root}: {_first_line(proc.stderr)}")
    out = []
    for entry in proc.stdout.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        if name and meta.split(b" ")[0].decode() in _REGULAR:
            out.append(_text(name))
    return sorted(out)

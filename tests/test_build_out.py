"""`qms build --out` replaces only what qms made, and file-system faults end cleanly (issue #14).

The dossier's manifest.json carries a marker; a folder without it is refused (exit 2) and nothing in it
deleted. A full disk or a read-only folder is exit 2 with the path and what to do, the previous dossier
intact and no temporary folder left behind; temporary folders of killed builds go on the next build.
The faults are real: a tiny tmpfs and a read-only remount (root ignores chmod, so chmod is no test).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest
from support import run_qms

from generator.render.dossier import DOSSIER_KEY, DOSSIER_MARKER


def tree(folder: Path) -> dict[str, str]:
    """Every entry under `folder`: files by SHA-256, folders as 'dir'."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def build(repo: Path, out: Path) -> subprocess.CompletedProcess[str]:
    proc = run_qms("--repo", str(repo), "build", "--out", str(out), timeout=300)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small example `qms init` lays down (a dossier of about half a megabyte)."""
    path = tmp_path_factory.mktemp("out") / "repo"
    assert run_qms("init", str(path)).returncode == 0
    return path


@pytest.fixture
def tmpfs(tmp_path: Path):
    """A fresh 8 MiB tmpfs; skipped (with the reason) where this machine cannot mount one."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    try:
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mnt)],
                              capture_output=True, text=True, timeout=30)
    except OSError as err:
        pytest.skip(f"cannot run mount: {err}")
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root or CAP_SYS_ADMIN): {proc.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True, timeout=30)


def test_refuses_a_folder_whose_manifest_is_not_a_dossier_and_deletes_nothing(repo: Path, tmp_path: Path) -> None:
    webapp = tmp_path / "webapp"
    (webapp / "src").mkdir(parents=True)
    (webapp / "important.txt").write_text("mine")
    (webapp / "src" / "app.js").write_text("console.log(1)")
    (webapp / "manifest.json").write_text('{"name": "webapp", "files": []}')
    before = tree(webapp)
    proc = build(repo, webapp)
    assert proc.returncode == 2
    assert (f"--out {webapp} is a non-empty folder that is not a dossier written by qms (a manifest.json "
            "without the qms dossier marker); nothing was deleted") in proc.stderr
    assert tree(webapp) == before and leftovers(webapp) == []


def test_refuses_a_file_and_a_symbolic_link(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "real"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    link = tmp_path / "link"
    link.symlink_to(target)
    proc = build(repo, link)
    assert proc.returncode == 2 and f"--out {link} is a symbolic link" in proc.stderr
    assert tree(target) == {"keep.txt": hashlib.sha256(b"mine").hexdigest()}


def test_marked_dossier_is_replaced_byte_identical_and_empty_folder_is_used(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "dossier"
    out.mkdir()  # empty: fine
    assert build(repo, out).returncode == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest[DOSSIER_KEY] == DOSSIER_MARKER
    assert list(manifest)[:3] == [DOSSIER_KEY, "format", "generator"] and manifest["format"] == 1
    first = tree(out)
    assert build(repo, out).returncode == 0
    assert tree(out) == first and leftovers(out) == []
    assert run_qms("verify", str(out)).returncode == 0


def test_stale_folders_of_killed_builds_are_removed_and_a_live_one_is_left(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "dossier"
    assert build(repo, out).returncode == 0
    first = tree(out)
    # A build killed while rendering, and one killed mid-swap (its previous dossier set aside, out gone).
    (tmp_path / ".dossier.build-dead1" / "06-verification-validation").mkdir(parents=True)
    (tmp_path / ".dossier.build-dead1" / "findings.json").write_text("{}")
    os.replace(out, tmp_path / ".dossier.old-dead2")
    (tmp_path / ".dossier.old-dead3").mkdir()
    os.replace(tmp_path / ".dossier.old-dead2", tmp_path / ".dossier.old-dead3" / "dossier")
    # A build still running holds a lock on its folder: it must be left alone.
    live = tmp_path / ".dossier.build-live"
    live.mkdir()
    fd = os.open(live, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        proc = build(repo, out)
        assert proc.returncode == 0, proc.stderr
        assert leftovers(out) == [".dossier.build-live"]
    finally:
        os.close(fd)
    assert tree(out) == first
    assert build(repo, out).returncode == 0 and leftovers(out) == []  # unlocked now: stale, removed


def test_disk_full_is_exit_2_with_the_path_and_the_previous_dossier_intact(repo: Path, tmpfs: Path) -> None:
    out = tmpfs / "dossier"
    assert build(repo, out).returncode == 0
    before = tree(out)
    filler = tmpfs / "filler"
    with open(filler, "wb") as fh:  # fill the file system, then leave room for a part of a dossier
        try:
            while True:
                fh.write(b"\0" * (1 << 16))
                fh.flush()
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - 200_000))
    proc = build(repo, out)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"cannot write the dossier {out}: No space left on device (" in proc.stderr
    assert f"free space on the disk holding {tmpfs}, or build elsewhere with --out" in proc.stderr
    assert tree(out) == before and leftovers(out) == []
    filler.unlink()
    assert build(repo, out).returncode == 0 and tree(out) == before


def test_read_only_folder_is_exit_2_with_the_path_and_the_previous_dossier_intact(repo: Path,
                                                                                  tmpfs: Path) -> None:
    out = tmpfs / "dossier"
    assert build(repo, out).returncode == 0
    before = tree(out)
    remount = subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], capture_output=True, text=True)
    if remount.returncode != 0:
        pytest.skip(f"cannot remount the tmpfs read-only: {remount.stderr.strip()}")
    proc = build(repo, out)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"cannot write the dossier {out}: Read-only file system (" in proc.stderr
    assert f"make {tmpfs} writable, or build elsewhere with --out" in proc.stderr
    assert tree(out) == before and leftovers(out) == []
    proc = build(repo, tmpfs / "new" / "dossier")  # a folder that cannot even be made
    assert proc.returncode == 2 and "Read-only file system" in proc.stderr

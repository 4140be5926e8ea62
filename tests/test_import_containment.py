"""Importers stay inside their source: a symbolic link that leads out of a doorstop tree, or out of the folder
of a strictdoc or ReqIF file, is refused by name (exit 2) and nothing is written; the outside file's text
reaches no file of the repository. Special files are refused before they are opened."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from support import make_repo, run_qms

SECRET = "TOPSECRET-4f1c9a"
ITEM = "active: true\nlevel: 1.{n}\nlinks: []\nnormative: true\nreviewed: null\ntext: {text}\n"
REQUIREMENT = """\
    id: REQ-001
    title: Secret requirement
    status: draft
    statement: {secret}
    """


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink() and ".qms-cache" not in p.parts}


def _refused(repo: Path, before: dict[str, bytes], *args: str) -> str:
    proc = run_qms("--repo", str(repo), "import", *args, timeout=60)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    after = _files(repo)
    assert after == before  # nothing written
    assert not any(SECRET.encode() in data for data in after.values())
    return proc.stderr


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(repository, doorstop tree, outside folder holding a secret doorstop item)."""
    repo = make_repo(tmp_path / "repo")
    tree = tmp_path / "src" / "reqs"
    tree.mkdir(parents=True)
    (tree / ".doorstop.yml").write_text("settings:\n  digits: 3\n  prefix: REQ\n  sep: ''\n")
    (tree / "REQ001.yml").write_text(ITEM.format(n=1, text="The pump shall pump."))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yml").write_text(ITEM.format(n=3, text=SECRET))
    return repo, tree, outside


def test_doorstop_item_linked_outside_the_tree_is_refused(setup):
    repo, tree, outside = setup
    (tree / "REQ003.yml").symlink_to(outside / "secret.yml")
    err = _refused(repo, _files(repo), "doorstop", str(tree))
    assert err == (f"qms: error: {tree}/REQ003.yml: a symbolic link that leads outside the doorstop tree {tree}; "
                   "it is not followed and nothing was imported (copy the file into the source to import it)\n")


def test_doorstop_settings_and_folders_linked_outside_are_refused(setup):
    repo, tree, outside = setup
    before = _files(repo)
    folder = tree / "sub"
    folder.mkdir()
    (folder / ".doorstop.yml").symlink_to(outside / "secret.yml")
    assert _refused(repo, before, "doorstop", str(tree)).startswith(
        f"qms: error: {tree}/sub/.doorstop.yml: a symbolic link that leads outside the doorstop tree {tree};")
    (folder / ".doorstop.yml").unlink()
    folder.rmdir()
    (outside / "more").mkdir()
    (outside / "more" / "REQ004.yml").write_text(ITEM.format(n=4, text=SECRET))
    (tree / "more").symlink_to(outside / "more", target_is_directory=True)
    assert _refused(repo, before, "doorstop", str(tree)).startswith(
        f"qms: error: {tree}/more: a symbolic link that leads outside the doorstop tree {tree};")


def test_doorstop_link_inside_the_tree_is_followed(setup):
    repo, tree, _ = setup
    (tree / ".store").mkdir()  # hidden folders are not searched for items
    (tree / ".store" / "REQ002.yml").write_text(ITEM.format(n=2, text="The pump shall alarm."))
    (tree / "REQ002.yml").symlink_to(Path(".store") / "REQ002.yml")
    proc = run_qms("--repo", str(repo), "import", "doorstop", str(tree))
    assert proc.returncode == 0, proc.stderr
    assert "The pump shall alarm." in (repo / "specs/requirements/REQ-002.yaml").read_text()


def test_doorstop_fifo_item_is_refused_without_opening_it(setup):
    repo, tree, _ = setup
    os.mkfifo(tree / "REQ005.yml")
    err = _refused(repo, _files(repo), "doorstop", str(tree))
    assert err == (f"qms: error: {tree}/REQ005.yml: cannot be imported: it is a named pipe (FIFO), not a regular "
                   "file\n")


def test_strictdoc_file_linked_outside_its_folder_is_refused(tmp_path):
    repo = make_repo(tmp_path / "repo")
    src, outside = tmp_path / "src", tmp_path / "outside"
    src.mkdir()
    outside.mkdir()
    (outside / "secret.sdoc").write_text(f"[DOCUMENT]\nTITLE: Secret\n\n[REQUIREMENT]\nUID: REQ-9\nTITLE: Secret\n"
                                         f"STATEMENT: {SECRET}\n")
    (src / "reqs.sdoc").symlink_to(outside / "secret.sdoc")
    err = _refused(repo, _files(repo), "strictdoc", str(src / "reqs.sdoc"))
    assert err == (f"qms: error: {src}/reqs.sdoc: a symbolic link that leads outside its folder {src}; it is not "
                   "followed and nothing was imported (copy the file into the source to import it)\n")


def test_strictdoc_includes_are_never_opened(tmp_path):
    repo = make_repo(tmp_path / "repo")
    src, outside = tmp_path / "src", tmp_path / "outside"
    src.mkdir()
    outside.mkdir()
    (outside / "secret.sdoc").write_text(f"[DOCUMENT]\nTITLE: Secret\n\n[REQUIREMENT]\nUID: REQ-9\nTITLE: Secret\n"
                                         f"STATEMENT: {SECRET}\n")
    (src / "main.sdoc").write_text("[DOCUMENT]\nTITLE: Main\n\n[DOCUMENT_FROM_FILE]\nFILE: ../outside/secret.sdoc\n"
                                   "\n[REQUIREMENT]\nUID: REQ-1\nTITLE: Flow\nSTATEMENT: The pump pumps.\n")
    proc = run_qms("--repo", str(repo), "import", "strictdoc", str(src / "main.sdoc"))
    assert proc.returncode == 0, proc.stderr
    assert (f"  dropped   item [DOCUMENT_FROM_FILE] ../outside/secret.sdoc ({src}/main.sdoc:4): the fragment is not "
            f"inside the import root {src}; it is not followed (copy it into that folder to import it)") in proc.stdout
    assert not any(SECRET.encode() in data for data in _files(repo).values())
    assert "The pump pumps." in (repo / "specs/requirements/REQ-001.yaml").read_text()


@pytest.mark.parametrize("packed", [False, True], ids=["reqif", "reqifz"])
def test_reqif_file_linked_outside_its_folder_is_refused(tmp_path, packed):
    source = make_repo(tmp_path / "source", {"specs/requirements/REQ-001.yaml": REQUIREMENT.format(secret=SECRET)})
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.reqif"
    proc = run_qms("--repo", str(source), "export", "reqif", "--kinds", "requirement", "--out", str(secret))
    assert proc.returncode == 0, proc.stderr
    if packed:
        with zipfile.ZipFile(outside / "secret.reqifz", "w") as z:
            z.write(secret, "secret.reqif")
        secret = outside / "secret.reqifz"
    repo = make_repo(tmp_path / "repo")
    src = tmp_path / "src"
    src.mkdir()
    link = src / secret.name
    link.symlink_to(secret)
    err = _refused(repo, _files(repo), "reqif", str(link))
    assert err == (f"qms: error: {link}: a symbolic link that leads outside its folder {src}; it is not followed "
                   "and nothing was imported (copy the file into the source to import it)\n")
    # The same file copied into the folder imports: the refusal is the link, not the content.
    link.unlink()
    link.write_bytes(secret.read_bytes())
    proc = run_qms("--repo", str(repo), "import", "reqif", str(link))
    assert proc.returncode == 0, proc.stderr

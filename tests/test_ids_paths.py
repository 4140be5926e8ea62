"""IDs are ASCII and whole; every path built from an ID or a foreign name stays in its folder (issue #14).

Two walls: the ID patterns (a malformed ID or link is a located finding), and generator.paths, which
every join of data into a path goes through (a hostile ID in a repository with errors still cannot
make `qms build` write outside the dossier).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import make_repo, run_qms, validate_json

from generator.model import KINDS
from generator.paths import UnsafePath, child, inside, name

REQ = """\
id: {id}
title: Flow accuracy
status: draft
owner: USR-001
statement: The pump shall deliver the programmed rate within 5 %.
"""

CHANGE = """\
id: {id}
title: Hostile change
status: draft
owner: USR-001
reason: A change whose ID tries to leave the dossier.
"""


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under `folder` (files with their bytes, links with their targets, folders as 'dir')."""
    found: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for entry in dirnames + filenames:
            path = Path(dirpath) / entry
            rel = path.relative_to(folder).as_posix()
            found[rel] = (f"link {os.readlink(path)}" if path.is_symlink() else
                          "dir" if path.is_dir() else path.read_bytes())
    return found


# ---------------------------------------------------------------------------------------------- ID patterns

@pytest.mark.parametrize("kind, record_id", [
    ("requirement", "REQ-٠٠٠٢"),  # Arabic-Indic digits
    ("requirement", "REQ-０００２"),  # full-width digits
    ("requirement", "REQ-0002\n"),  # `$` would match before the newline
    ("requirement", "REQ-0002/../x"),
    ("capa", "CAPA-２０２６-001"),
    ("change", "CC-2026-001/../../../../outside/x"),
    ("lot", "LOT-٠١"),
    ("user", "USR-001\n"),
])
def test_id_patterns_refuse_unicode_digits_newlines_and_separators(kind: str, record_id: str) -> None:
    assert KINDS[kind].id_re.match(record_id) is None


@pytest.mark.parametrize("kind, record_id", [("requirement", "REQ-0002"), ("capa", "CAPA-2026-001"),
                                             ("change", "CC-2026-001"), ("lot", "LOT-01"), ("user", "USR-001")])
def test_id_patterns_accept_ascii_ids(kind: str, record_id: str) -> None:
    assert KINDS[kind].id_re.match(record_id)


def test_every_id_pattern_is_anchored_and_ascii() -> None:
    for kind in KINDS.values():
        pattern = kind.id_re.pattern
        assert pattern.startswith(r"\A") and pattern.endswith(r"\Z") and "\\d" not in pattern, kind.name
        assert kind.id_re.flags & __import__("re").ASCII, kind.name


def test_unicode_digit_id_and_link_are_located_errors(tmp_path: Path) -> None:
    need_link = REQ.format(id="REQ-0001") + "derived_from: [UN-０01]\n"
    repo = make_repo(tmp_path, {
        "specs/requirements/REQ-0001.yaml": need_link,
        "specs/requirements/REQ-٠٠٠٢.yaml": REQ.format(id="REQ-٠٠٠٢"),
    })
    code, doc = validate_json(repo)
    assert code == 1
    found = sorted((f["code"], f["location"], f["record"]) for f in doc["findings"])
    assert ("QMS114", "specs/requirements/REQ-٠٠٠٢.yaml:1", "REQ-٠٠٠٢") in found
    assert ("QMS111", "specs/requirements/REQ-0001.yaml:6", "REQ-0001") in found
    message = next(f["message"] for f in doc["findings"] if f["code"] == "QMS111")
    assert "'UN-０01' is not a record ID" in message


def test_waiver_code_takes_ascii_digits_only(tmp_path: Path) -> None:
    waiver = ("id: WVR-001\ntitle: Accept it\nstatus: draft\ncode: QMS１２５\nrecord: USR-001\n"
              "justification: A justification long enough.\napprover: USR-001\n")
    repo = make_repo(tmp_path, {"records/WVR-001.yaml": waiver})
    code, doc = validate_json(repo)
    assert code == 1
    assert [(f["code"], f["location"]) for f in doc["findings"]] == [("QMS111", "records/WVR-001.yaml:4")]


# ---------------------------------------------------------------------------------------------- the helper

@pytest.mark.parametrize("hostile, why", [
    ("", "it is empty"),
    (".", "not a name of its own"),
    ("..", "not a name of its own"),
    ("CC-2026-001/../../../../outside/x", "path separator"),
    ("/etc/passwd", "path separator"),
    ("a\\b", "path separator"),
    ("REQ-0001\x00", "control characters"),
    ("REQ-0001\n", "control characters"),
    ("REQ\x1b[31m", "control characters"),
    (" REQ-0001", "white space"),
])
def test_child_refuses_hostile_names(tmp_path: Path, hostile: str, why: str) -> None:
    with pytest.raises(UnsafePath, match=why):
        child(tmp_path, hostile, ".docx", "record ID")
    with pytest.raises(UnsafePath, match=why):
        name(hostile)
    assert snapshot(tmp_path) == {}


def test_child_refuses_a_symbolic_link_that_leads_out(tmp_path: Path) -> None:
    folder, outside = tmp_path / "folder", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "CC-2026-001.docx").symlink_to(outside / "x.docx")
    (folder / "loop").symlink_to(folder / "loop")
    with pytest.raises(UnsafePath, match="leads outside"):
        child(folder, "CC-2026-001", ".docx")
    with pytest.raises(UnsafePath):
        child(folder, "loop")
    (folder / "inner.docx").symlink_to(folder / "real.docx")  # a link that stays inside is fine
    assert child(folder, "inner", ".docx") == folder / "inner.docx"
    assert child(folder, "CC-2026-002", ".docx") == folder / "CC-2026-002.docx"


@pytest.mark.parametrize("rel, why", [
    ("/etc/passwd", "not a relative path"),
    ("../outside.csv", "not a name of its own"),
    ("records/../../outside.csv", "not a name of its own"),
    ("records/./x.csv", "not a name of its own"),
    ("records//x.csv", "empty part"),
    ("records\\x.csv", "not a relative path"),
    ("records/x\x00.csv", "control characters"),
    ("", "empty"),
    ("escape/secret.csv", "leads outside"),
])
def test_inside_refuses_paths_that_leave_their_folder(tmp_path: Path, rel: str, why: str) -> None:
    root = tmp_path / "repo"
    (root / "records").mkdir(parents=True)
    (tmp_path / "secret").mkdir()
    (root / "escape").symlink_to(tmp_path / "secret")
    with pytest.raises(UnsafePath, match=why):
        inside(root, rel)
    assert inside(root, "records/data/x.csv") == root / "records" / "data" / "x.csv"


# ---------------------------------------------------------------------------------------------- a real build

def test_build_with_a_hostile_change_id_writes_nothing_outside(tmp_path: Path) -> None:
    hostile = "CC-2026-001/../../../../outside/x"
    repo = make_repo(tmp_path / "a" / "b" / "c" / "repo",
                     {"records/events/change/CC-2026-001.yaml": CHANGE.format(id=hostile)})
    code, doc = validate_json(repo)
    assert code == 1
    assert ("QMS114", "records/events/change/CC-2026-001.yaml:1") in \
        [(f["code"], f["location"]) for f in doc["findings"]]
    before = snapshot(tmp_path)
    proc = run_qms("--repo", str(repo), "build", timeout=300)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert (f"records/events/change/CC-2026-001.yaml:1: record ID '{hostile}' cannot name a file: "
            "it contains a path separator") in proc.stderr
    after = snapshot(tmp_path)
    assert {k for k in after if not k.startswith("a/b/c/repo/.qms-cache")} == \
        {k for k in before if not k.startswith("a/b/c/repo/.qms-cache")}
    assert not (tmp_path / "a" / "outside").exists() and not (repo / "output").exists()


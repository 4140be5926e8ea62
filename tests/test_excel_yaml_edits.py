"""`qms excel import` edits only what changed in a YAML record: every other line stays byte-identical.

A requirement written by hand with a folded block, a literal block, comments in a column, quoted strings,
a flow list and a nested mapping is exported, one or a few cells are changed in openpyxl as a person in Excel
would, and imported; the file must then be the original text with exactly the expected lines changed (the
expected text is written out here by hand).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from support import make_repo, run_qms

ORIGINAL = """\
id: REQ-0001
title: "Flow rate accuracy"
status: draft
owner: USR-001
created: 2024-02-19
description: >-
  A long folded description that goes on for a while so that it would be re-wrapped by anything that
  folds at eighty columns, and here is its second line.
tags: [accuracy, flow]   # short tags
origin:
  tool: reqif        # the legacy tool
  source: legacy.reqif
  uid: '_a1b2'       # its identifier
statement: |
  The pump shall deliver the programmed rate within 5 %.
  Measured over the second hour.
# The category decides the test plan.
type: performance    # category
verification_method: test  # how
"""

REL = "specs/requirements/REQ-0001.yaml"


def import_edited(tmp_path: Path, cells: dict[str, Any], text: str = ORIGINAL) -> str:
    """Export REQ-0001, set `cells` (field -> value) on its row, import the workbook; the file's new text."""
    repo = make_repo(tmp_path / "repo", {REL: text})
    book, edited = tmp_path / "req.xlsx", tmp_path / "edited.xlsx"
    proc = run_qms("--repo", str(repo), "excel", "export", "--kinds", "REQ", "--out", str(book))
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(book)
    ws = wb["requirement"]
    header = {c.value: c.column for c in ws[1]}
    assert ws.cell(2, 1).value == "REQ-0001"
    for name, value in cells.items():
        ws.cell(2, header[name]).value = value
    wb.save(edited)
    proc = run_qms("--repo", str(repo), "excel", "import", str(edited))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    return (repo / REL).read_bytes().decode("utf-8")


def test_one_changed_cell_changes_one_line_and_keeps_its_comment_column(tmp_path: Path) -> None:
    got = import_edited(tmp_path, {"type": "safety"})
    assert got == ORIGINAL.replace("type: performance    # category\n", "type: safety         # category\n")


def test_a_changed_folded_block_stays_folded_and_only_its_changed_line_moves(tmp_path: Path) -> None:
    new = ("A long folded description that goes on for a while so that it would be re-wrapped by anything that "
           "folds at eighty columns, and here is its revised line.")
    got = import_edited(tmp_path, {"description": new})
    assert got == ORIGINAL.replace("here is its second line.\n", "here is its revised line.\n")


def test_a_longer_folded_block_is_broken_again_within_its_width(tmp_path: Path) -> None:
    new = ("A long folded description that goes on for a while so that it would be re-wrapped by anything that "
           "folds at eighty columns, and here is its second line, now followed by a sentence long enough to need "
           "a third line of its own.")
    got = import_edited(tmp_path, {"description": new})
    assert got == ORIGINAL.replace(
        "  folds at eighty columns, and here is its second line.\n",
        "  folds at eighty columns, and here is its second line, now followed by a sentence long enough to\n"
        "  need a third line of its own.\n")  # 98 characters wide, as the block's first line


def test_quoted_literal_list_and_nested_edits_keep_their_styles(tmp_path: Path) -> None:
    got = import_edited(tmp_path, {
        "title": "Flow rate accuracy, revised",
        "statement": "The pump shall deliver the programmed rate within 4 %.\nMeasured over the second hour.",
        "tags": "accuracy; flow; alarm",
        "origin.uid": "_c3",
    })
    expected = (ORIGINAL
                .replace('title: "Flow rate accuracy"\n', 'title: "Flow rate accuracy, revised"\n')
                .replace("rate within 5 %.\n", "rate within 4 %.\n")
                .replace("tags: [accuracy, flow]   # short tags\n", "tags: [accuracy, flow, alarm] # short tags\n")
                .replace("  uid: '_a1b2'       # its identifier\n", "  uid: '_c3'         # its identifier\n"))
    assert got == expected


def test_new_fields_go_in_schema_order_not_at_the_end(tmp_path: Path) -> None:
    # rationale follows statement in the model (and comes before the comment that leads into type);
    # legacy_id follows tags.
    got = import_edited(tmp_path, {"rationale": "Clinicians asked for it.", "legacy_id": "SRS-12"})
    expected = (ORIGINAL
                .replace("tags: [accuracy, flow]   # short tags\n",
                         "tags: [accuracy, flow]   # short tags\nlegacy_id: SRS-12\n")
                .replace("  Measured over the second hour.\n",
                         "  Measured over the second hour.\nrationale: Clinicians asked for it.\n"))
    assert got == expected


def test_a_cleared_cell_removes_only_its_line(tmp_path: Path) -> None:
    got = import_edited(tmp_path, {"verification_method": None})
    assert got == ORIGINAL.replace("verification_method: test  # how\n", "")


def test_a_file_indented_four_and_with_indented_lists_keeps_its_indentation(tmp_path: Path) -> None:
    text = ORIGINAL.replace("  tool: reqif        # the legacy tool\n  source: legacy.reqif\n"
                            "  uid: '_a1b2'       # its identifier\n",
                            "    tool: reqif      # the legacy tool\n    source: legacy.reqif\n"
                            "    uid: '_a1b2'     # its identifier\n")
    text = text.replace("tags: [accuracy, flow]   # short tags\n", "tags:\n    - accuracy\n    - flow\n")
    got = import_edited(tmp_path, {"origin.source": "legacy-2.reqif", "tags": "accuracy; flow; alarm"}, text)
    assert got == (text.replace("    source: legacy.reqif\n", "    source: legacy-2.reqif\n")
                   .replace("    - flow\n", "    - flow\n    - alarm\n"))


def test_lines_ruamel_would_render_otherwise_stay_when_a_neighbour_changes(tmp_path: Path) -> None:
    # ruamel writes flow collections without the inner spaces: the changed list is spliced in as ruamel writes
    # it, the untouched flow mapping keeps its spaces.
    text = ORIGINAL.replace("tags: [accuracy, flow]   # short tags\n", "tags: [ accuracy,  flow ]\n").replace(
        "origin:\n  tool: reqif        # the legacy tool\n  source: legacy.reqif\n  uid: '_a1b2'       # its identifier\n",
        "origin: { tool: reqif,  source: legacy.reqif,  uid: _a1b2 }\n")
    got = import_edited(tmp_path, {"tags": "accuracy; flow; alarm"}, text)
    assert got == text.replace("tags: [ accuracy,  flow ]\n", "tags: [accuracy, flow, alarm]\n")


def test_a_word_changed_in_any_folded_block_of_the_example_changes_that_one_line() -> None:
    """Every folded block in the worked example: the first word replaced by one of the same length moves
    nothing else (the block keeps its breaks, the file every other line)."""
    import difflib
    import re

    from support import ROOT

    from generator.edit.fields import set_fields

    seen = 0
    for path in sorted(p for top in ("records", "specs", "protocols") for p in (ROOT / top).rglob("*.yaml")):
        text = path.read_text()
        lines = text.splitlines()
        for i, line in enumerate(lines[:-2]):
            match = re.fullmatch(r"([a-z_]+): >-", line)
            if not match or not lines[i + 2].startswith("  "):
                continue  # a top-level folded block of at least two lines
            block = [lines[i + 1].strip()]
            for follow in lines[i + 2:]:
                if not follow.startswith("  "):
                    break
                block.append(follow.strip())
            first = block[0].split(" ")[0]
            value = " ".join(["Z" * len(first), *" ".join(block).split(" ")[1:]])
            merged, _ = set_fields(text, {(match.group(1),): value}, name=str(path))
            diff = [d for d in difflib.unified_diff(lines, merged.splitlines(), lineterm="", n=0)
                    if d[:1] in "+-" and not d.startswith(("+++", "---"))]
            assert diff == [f"-{lines[i + 1]}", f"+{lines[i + 1].replace(first, 'Z' * len(first), 1)}"], path
            seen += 1
    assert seen > 20

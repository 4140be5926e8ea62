"""Property-based tests of the Excel round trip: for generated records, export then import without edits
changes nothing, byte for byte; an edit of one cell changes exactly one field in one file, comments kept."""

from __future__ import annotations

import datetime as dt
import io
import json
import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from support import make_repo

from generator.excel.export import Selection, export_bytes
from generator.excel.importer import apply, plan_import
from generator.excel.sheets import content
from generator.gitio.history import diff_fields
from generator.load.repo import load_repository
from generator.model import KINDS
from generator.recordset import RecordSet

AS_OF = dt.date(2026, 11, 1)
NEEDS = ("UN-001", "UN-002", "UN-003")
# Text people type, including what Excel would take for a formula, quotes, YAML indicators and non-ASCII;
# not the control characters an .xlsx cannot hold.
ALPHABET = string.ascii_letters + string.digits + " .,:;!?'\"#=+-@%&*()[]{}|>/\\éüß°±µ→"
text = st.text(ALPHABET, min_size=1, max_size=40).filter(lambda s: s.strip() != "")
word = st.text(string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=12)
dates = st.dates(dt.date(1990, 1, 1), dt.date(2026, 10, 31))


@st.composite
def requirement(draw: st.DrawFn, number: int) -> dict:
    fields = {
        "id": f"REQ-{number:04d}",
        "title": draw(text),
        "status": draw(st.sampled_from(KINDS["requirement"].lifecycle)),
        "created": draw(st.none() | dates),
        "statement": draw(st.lists(text, min_size=1, max_size=3).map("\n".join)),
        "tags": draw(st.lists(word, max_size=3, unique=True)),
        "type": draw(st.none() | st.sampled_from(("functional", "safety", "usability"))),
        "derived_from": draw(st.lists(st.sampled_from(NEEDS), max_size=3, unique=True)),
        "stamped": draw(st.booleans()),
    }
    return fields


def record_yaml(fields: dict) -> str:
    """A record as a person writes it: a comment, quoted text, a flow list, a stamped link."""
    lines = [f"# {fields['id']}: written by hand", f"id: {fields['id']}",
             f"title: {json.dumps(fields['title'], ensure_ascii=False)}  # the title",
             f"status: {fields['status']}"]
    if fields["created"]:
        lines.append(f"created: {fields['created'].isoformat()}")
    lines.append(f"statement: {json.dumps(fields['statement'], ensure_ascii=False)}")
    if fields["tags"]:
        lines.append(f"tags: [{', '.join(json.dumps(t) for t in fields['tags'])}]")
    if fields["type"]:
        lines.append(f"type: {fields['type']}")
    if fields["derived_from"]:
        links = [f"{{{n}: 0a1b2c3d}}" if fields["stamped"] else n for n in fields["derived_from"]]
        lines.append(f"derived_from: [{', '.join(links)}]")
    return "\n".join(lines) + "\n"


def build(base: Path, reqs: list[dict]) -> Path:
    files = {f"specs/needs/{n}.yaml": f"id: {n}\ntitle: Need {n}\nstatus: approved\nstatement: A need.\n"
             for n in NEEDS}
    files.update({f"specs/requirements/{r['id']}.yaml": record_yaml(r) for r in reqs})
    return make_repo(base / "repo", files)


def snapshot(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*.yaml"))}


def export_to(repo: Path, book: Path) -> None:
    loaded = load_repository(repo, use_cache=False)
    records = RecordSet(loaded.records, loaded.config)
    data, _ = export_bytes(records, Selection((KINDS["requirement"],), ()), "")
    book.write_bytes(data)


def import_from(repo: Path, book: Path, write: bool = True):  # type: ignore[no-untyped-def]
    loaded = load_repository(repo, use_cache=False)
    records = RecordSet(loaded.records, loaded.config)
    plan = plan_import(repo, loaded, records, AS_OF, book, book.name)
    if write and not plan.blocked:
        apply(plan, repo)
    return plan


requirement_sets = st.integers(1, 4).flatmap(
    lambda n: st.tuples(*(requirement(i + 1) for i in range(n))).map(list))
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(requirement_sets)
def test_export_then_import_without_edits_changes_nothing(reqs: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = build(Path(tmp), reqs)
        before = snapshot(repo)
        book = Path(tmp) / "export.xlsx"
        export_to(repo, book)
        plan = import_from(repo, book)
        assert (plan.errors, plan.conflicts, plan.changes, plan.writes) == ([], [], [], {})
        assert snapshot(repo) == before


@PROPERTY
@given(requirement_sets, st.data())
def test_one_edited_cell_changes_one_field_in_one_file(reqs: list[dict], data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = build(Path(tmp), reqs)
        before = snapshot(repo)
        book = Path(tmp) / "export.xlsx"
        export_to(repo, book)
        target = data.draw(st.sampled_from(reqs))
        name, value = data.draw(st.sampled_from((
            ("title", text.filter(lambda s: s.strip() != target["title"].strip())),
            ("created", dates.filter(lambda d: d != target["created"])),
            ("tags", st.lists(word, min_size=1, max_size=3, unique=True).filter(lambda t: t != target["tags"])),
        )).flatmap(lambda pair: pair[1].map(lambda v: (pair[0], v))))
        wb = load_workbook(book)
        ws = wb["requirement"]
        column = [c.value for c in ws[1]].index(name) + 1
        row = next(c.row for c in ws["A"] if c.value == target["id"])
        cell = ws.cell(row, column)
        cell.value = "; ".join(value) if name == "tags" else value
        if isinstance(cell.value, str):
            cell.data_type = "s"  # typed as text, as Excel keeps a quoted entry
        out = io.BytesIO()
        wb.save(out)
        book.write_bytes(out.getvalue())
        old_record = {r.id: r for r, _ in load_repository(repo, use_cache=False).records}[target["id"]]
        plan = import_from(repo, book)
        assert (plan.errors, plan.conflicts) == ([], [])
        after = snapshot(repo)
        rel = f"specs/requirements/{target['id']}.yaml"
        assert [k for k in after if after[k] != before.get(k)] == [rel]
        new_record = {r.id: r for r, _ in load_repository(repo, use_cache=False).records}[target["id"]]
        changed = {f.field.split("[")[0] for f in diff_fields(content(old_record), content(new_record))}
        assert changed == {name}
        text_after = after[rel].decode()
        assert text_after.startswith(f"# {target['id']}: written by hand\n")
        if name != "title":
            assert "  # the title\n" in text_after
        if target["derived_from"] and target["stamped"]:
            assert "0a1b2c3d" in text_after  # review stamps on untouched links stay

"""The controlled-document engine (render.document): frame, fields, tables, determinism."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from docx import Document
from docx.shared import Cm

from generator.config import RepoConfig
from generator.findings import QmsError
from generator.render.document import TOC_INSTR, Approval, ControlledDocument, add_table, clean_text, document_number
from generator.render.docx import new_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def config(**numbering) -> RepoConfig:
    return RepoConfig.model_validate({
        "company": {"name": "Acme Medical Ltd", "code": "ACME"},
        "device": {"name": "InfusoMat", "model": "IM-2"},
        "numbering": {"types": {"trace": "DTM"}, **numbering},
    })


def build(approvals=(), records=("REQ-002", "REQ-001", "TC-001", "REQ-001"), approved=False) -> ControlledDocument:
    cd = ControlledDocument(
        config(), "trace", "Design traceability matrix", number=4, revision="B",
        effective=dt.date(2026, 3, 1), records=records, commit=COMMIT, approved=approved,
        history=[("A", dt.date(2025, 1, 10), "Ann Author (QA)", "First issue", "APR-DOC-9-1"),
                 ("B", "2026-03-01", "Bob Builder (QA)", "CC-7 Added\nverification   links", "APR-DOC-9-2")],
        approvals=approvals)
    cd.heading("Matrix")
    cd.paragraph("Body text.")
    cd.table(("Requirement", "Test"), [("REQ-001", "TC-001")])
    return cd


def reread(data: bytes):
    return Document(io.BytesIO(data))


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_document_number_from_config_format_and_type_code():
    assert document_number(config(), "trace", 4) == "ACME-DTM-004"
    assert document_number(config(), "risk", 12) == "ACME-RISK-012"  # no code: upper-case key
    custom = config(format="{type}/{company}/{number:05d}")
    assert document_number(custom, "trace", 7) == "DTM/ACME/00007"
    with pytest.raises(QmsError, match="numbering.format"):
        document_number(config(format="{company}-{kind}-{number}"), "trace", 1)


APPROVED = [("Carol Quality", "Quality assurance", "Approval", "2026-02-28T10:00:00+00:00")]


def test_title_page_and_core_properties_of_a_draft():
    data = build().to_bytes()
    doc = reread(data)
    texts = [p.text for p in doc.paragraphs]
    assert texts[:4] == ["Acme Medical Ltd", "InfusoMat (IM-2)", "Design traceability matrix", "DRAFT — not approved"]
    assert cells(doc.tables[0]) == [
        ["Item", "Value"], ["Document number", "ACME-DTM-004"], ["Revision", "B"],
        ["Approval state", "DRAFT — not approved"], ["Draft of", "2026-03-01"], ["Manufacturer", "Acme Medical Ltd"],
        ["Device", "InfusoMat (IM-2)"], ["Generated from commit", COMMIT]]
    props = doc.core_properties
    assert (props.identifier, props.version, props.title) == ("ACME-DTM-004", "B", "ACME-DTM-004 Design traceability matrix")
    assert props.content_status == "Draft"
    assert not any("Effective" in t for t in texts)


def test_title_page_of_an_approved_document_names_its_approver_and_effective_date():
    doc = reread(build(approvals=APPROVED, approved=True).to_bytes())
    texts = [p.text for p in doc.paragraphs]
    assert texts[:4] == ["Acme Medical Ltd", "InfusoMat (IM-2)", "Design traceability matrix", ""]  # the page break
    assert cells(doc.tables[0])[3:5] == [["Approval state", "Approved by Carol Quality (Quality assurance)"],
                                         ["Effective date", "2026-03-01"]]
    assert doc.core_properties.content_status == "Approved"
    assert not any("DRAFT" in t for t in texts)


def test_a_draft_says_so_in_its_header_and_footer_and_is_never_effective():
    section = reread(build().to_bytes()).sections[0]
    assert [p.text for p in section.header.paragraphs] == [
        "ACME-DTM-004   Rev. B   Draft of 2026-03-01\tDesign traceability matrix", "DRAFT — not approved"]
    assert section.header.paragraphs[1].runs[0].bold
    assert section.footer.paragraphs[0].text == "Acme Medical Ltd   ACME-DTM-004 Rev. B   DRAFT — not approved   Page 1 of 1"


def test_header_and_footer_carry_number_revision_date_and_page_fields():
    data = build(approvals=APPROVED, approved=True).to_bytes()
    doc = reread(data)
    section = doc.sections[0]
    assert [p.text for p in section.header.paragraphs] == [
        "ACME-DTM-004   Rev. B   Effective 2026-03-01\tDesign traceability matrix"]
    footer_xml = section.footer._element.xml
    instr = [e.text.strip() for e in section.footer._element.iter(f"{W}instrText")]
    assert instr == ["PAGE", "NUMPAGES"]
    assert footer_xml.count('w:fldCharType="begin"') == 2 and footer_xml.count('w:fldCharType="end"') == 2
    assert section.footer.paragraphs[0].text == "Acme Medical Ltd   ACME-DTM-004 Rev. B   Page 1 of 1"
    # one section, so header and footer are on every page
    assert len(doc.sections) == 1 and not section.different_first_page_header_footer


def test_toc_field_holds_the_numbered_headings_written_at_build_time():
    data = build().to_bytes()
    body = part(data, "word/document.xml")
    assert "TOC \\o" in body and "Update Field" not in body
    doc = reread(data)
    toc = [e.text for e in doc.element.body.iter(f"{W}instrText")]
    assert toc == [TOC_INSTR]
    assert TOC_INSTR.strip() == 'TOC \\o "1-3" \\h \\z \\u'
    # the field's result is the contents as built: one line per body heading, numbered, between Contents and
    # the first chapter; Word is not asked to refresh anything on opening
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("Contents") + 1
    assert texts[start:start + 2] == ["1\tMatrix", "2\tSource records"]
    assert doc.settings.element.find(f"{W}updateFields") is None


def test_revision_history_signature_lines_records_and_commit():
    doc = reread(build().to_bytes())
    assert cells(doc.tables[1]) == [["Revision", "Date", "Approved by", "Reason for change", "Approval record"],
                                    ["A", "2025-01-10", "Ann Author (QA)", "First issue", "APR-DOC-9-1"],
                                    ["B", "2026-03-01", "Bob Builder (QA)", "CC-7 Added\nverification   links",
                                     "APR-DOC-9-2"]]
    assert "A revision is an approved release of this document's content, signed electronically." in \
        [p.text for p in doc.paragraphs]
    signature = cells(doc.tables[2])
    assert signature[0] == ["Role", "Name", "Signature", "Date"]
    assert [r[0] for r in signature[1:]] == ["Author", "Reviewer", "Quality assurance"]
    assert all("____" in r[2] for r in signature[1:])
    assert cells(doc.tables[3]) == [["Requirement", "Test"], ["REQ-001", "TC-001"]]
    assert cells(doc.tables[4]) == [["Record"], ["REQ-001"], ["REQ-002"], ["TC-001"]]
    texts = [p.text for p in doc.paragraphs]
    assert texts[-1].startswith(f"Generated by QMS Generator from commit {COMMIT}")
    assert "3 record(s)" in texts[-1]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Revision history", "Approvals", "Contents", "Matrix", "Source records"]


def test_approvals_table_when_approved():
    approvals = [("Carol Quality", "Quality assurance", "Approved", dt.date(2026, 2, 28)),
                 Approval("Dan Dev", "Author", "Authored", "2026-02-27")]
    doc = reread(build(approvals=approvals, approved=True).to_bytes())
    assert cells(doc.tables[2]) == [["Name", "Role", "Meaning", "Date"],
                                    ["Carol Quality", "Quality assurance", "Approved", "2026-02-28"],
                                    ["Dan Dev", "Author", "Authored", "2026-02-27"]]
    assert "Not yet approved. Sign below:" not in [p.text for p in doc.paragraphs]
    assert cells(doc.tables[3]) == [["Requirement", "Test"], ["REQ-001", "TC-001"]]  # no signature lines


def test_signatures_that_do_not_release_the_content_leave_signature_lines():
    reviewed = [("Dan Dev", "Engineering", "Review", "2026-02-27")]
    doc = reread(build(approvals=reviewed).to_bytes())
    texts = [p.text for p in doc.paragraphs]
    assert "Not yet approved: the signatures above do not release this content. Sign below:" in texts
    assert cells(doc.tables[2]) == [["Name", "Role", "Meaning", "Date"], ["Dan Dev", "Engineering", "Review", "2026-02-27"]]
    assert cells(doc.tables[3])[0] == ["Role", "Name", "Signature", "Date"]


def test_two_builds_are_byte_identical():
    first, second = build().to_bytes(), build().to_bytes()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_finish_is_idempotent_and_save_writes_the_same_bytes(tmp_path):
    cd = build()
    cd.finish()
    data = cd.to_bytes()
    assert reread(data).paragraphs[-1].text.startswith("Generated by")
    assert sum(1 for p in reread(data).paragraphs if p.text == "Source records") == 1
    cd.save(tmp_path / "doc.docx")
    assert (tmp_path / "doc.docx").read_bytes() == data


def test_add_table_reread_cell_by_cell_with_escaping_and_control_characters():
    doc = new_document("t")
    header = ("ID", "Text & <markup>", 'Say "hi"')
    rows = [("R-1", "a & b < c > d", "it's \"quoted\""),
            ("R-2", "bell\x07 and nul\x00 shown", "  padded  "),
            ("R-3", None, dt.date(2026, 1, 2)),
            ("R-4", "line1\nline2", "col\tumn"),
            ("R-5",)]  # short row: padded
    add_table(doc, header, rows, widths=[Cm(2), Cm(6), Cm(6)])
    buffer = io.BytesIO()
    doc.save(buffer)
    table = Document(io.BytesIO(buffer.getvalue())).tables[0]
    assert cells(table) == [["ID", "Text & <markup>", 'Say "hi"'],
                            ["R-1", "a & b < c > d", "it's \"quoted\""],
                            ["R-2", "bell\ufffd and nul\ufffd shown", "  padded  "],  # U+FFFD: seen, not lost
                            ["R-3", "", "2026-01-02"],
                            ["R-4", "line1\nline2", "col\tumn"],
                            ["R-5", "", ""]]
    assert table.style.name == "Table Grid"
    tr_pr = [tr.find(f"{W}trPr") for tr in table._tbl.iter(f"{W}tr")]
    assert tr_pr[0] is not None and tr_pr[0].find(f"{W}tblHeader") is not None
    # no row, header or body, is split across a page break
    assert all(p is not None and p.find(f"{W}cantSplit") is not None for p in tr_pr)
    assert all(p.find(f"{W}tblHeader") is None for p in tr_pr[1:])
    assert [c.get(f"{W}w") for c in table._tbl.iter(f"{W}gridCol")] == [str(Cm(2) // 635), str(Cm(6) // 635),
                                                                         str(Cm(6) // 635)]


def test_add_table_appends_before_section_properties_and_rejects_bad_shapes():
    doc = new_document("t")
    doc.add_paragraph("before")
    table = add_table(doc, ("a", "b"), [("1", "2")])
    doc.add_paragraph("after")
    body = list(doc.element.body)
    assert body[-1].tag == f"{W}sectPr"
    assert body.index(table._tbl) == len(body) - 3
    assert table.cell(1, 1).text == "2"  # the python-docx proxy works on the one-pass element
    with pytest.raises(ValueError, match="3 values for 2 columns"):
        add_table(doc, ("a", "b"), [("1", "2", "3")])
    with pytest.raises(ValueError, match="widths"):
        add_table(doc, ("a", "b"), [], widths=[Cm(1)])


def test_a_table_that_follows_a_table_is_kept_apart_by_a_paragraph():
    # Word and LibreOffice join two tables with nothing between them: the second then repeats the first's header.
    doc = new_document("t")
    doc.add_paragraph("before")
    first = add_table(doc, ("Item", "Value"), [("Status", "approved")])
    second = add_table(doc, ("Period", "Score"), [("2026-Q1", "100.0")])
    doc.add_paragraph("between")
    third = add_table(doc, ("Audit", "Result"), [("2025-02-11", "Pass")])
    body = [el.tag.rsplit("}", 1)[1] for el in doc.element.body]
    assert body == ["p", "tbl", "p", "tbl", "p", "tbl", "sectPr"]
    spacer = doc.element.body[2]
    assert spacer.getprevious() is first._tbl and spacer.getnext() is second._tbl
    assert "".join(spacer.itertext()) == ""
    assert doc.element.body[5] is third._tbl  # after a paragraph: none added


def test_clean_text_shows_only_forbidden_characters_as_replacement():
    assert clean_text("a\x00b\x1fc\td\ne\rf\ufffeg") == "a\ufffdb\ufffdc\td\ne\rf\ufffdg"
    assert clean_text(None) == ""
    assert clean_text(dt.date(2026, 1, 2)) == "2026-01-02"


def test_titles_with_control_characters_do_not_break_the_build():
    cd = ControlledDocument(config(), "trace", "Bad\x0btitle", number=1, revision="A", effective="2026-01-01",
                            records=["X\x01-1"], commit=COMMIT, history=[("A", "2026-01-01", "Me", "msg\x1b[0m")])
    doc = reread(cd.to_bytes())
    assert doc.paragraphs[2].text == "Bad\ufffdtitle"
    assert cells(doc.tables[1])[1] == ["A", "2026-01-01", "Me", "msg\ufffd[0m", ""]


def test_contents_pages_are_found_after_the_contents_in_order():
    """Each heading's page is where it stands in the body, searched after the contents' own lines and in
    order: a heading's words quoted before the previous heading (here "2 Method" in the contents and above
    "1 Scope" on page 3) do not count, and a heading not in the body gets no number."""
    from generator.render.contents_pages import heading_pages

    pages = ["Title", "Contents 1 Scope 2 Method 2.1 Detail 3 Absent", "see 2 Method 1 Scope text",
             "2 Method", "2.1 Detail"]
    assert heading_pages(pages, ["1 Scope", "2 Method", "2.1 Detail", "3 Absent"]) == [3, 4, 5, None]
    assert heading_pages(pages, ["9 Not in the contents"]) == [None]
    assert heading_pages(pages, []) == []

"""Writers never emit a broken file: text XML 1.0 cannot hold is shown as U+FFFD in Word, Excel and ReqIF.

The loader refuses such characters, but a writer does not trust its input: each writer is fed them directly
and its output is opened again by python-docx, openpyxl or lxml.
"""

from __future__ import annotations

import io

from docx import Document
from lxml import etree
from openpyxl import load_workbook

from generator.config import RepoConfig
from generator.excel.export import build_workbook
from generator.interchange.reqif import NS, export
from generator.load.source import Source
from generator.model import KINDS
from generator.model.design import Requirement
from generator.recordset import RecordSet
from generator.render.document import ControlledDocument, UncontrolledCopy
from generator.render.xlsx import bulk_workbook, new_workbook, table_sheet, workbook_bytes
from generator.xmltext import xml_text

# NUL, SOH, ESC, a non-character and a lone surrogate between letters.
HOSTILE = "a\x00b\x01c\x1bd\ufffee\ud800f\tg"
SHOWN = "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\tg"  # each one visible; tab is legal XML and stays


def test_the_shared_guard():
    assert xml_text(HOSTILE) == SHOWN
    assert xml_text("ok\r\n\t\ue000\U0001f600") == "ok\r\n\t\ue000\U0001f600"  # legal XML is untouched


def _texts(data: bytes) -> tuple[list[str], list[str], str]:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return [p.text for p in doc.paragraphs], cells, doc.core_properties.title


def test_word_python_docx_and_the_one_pass_table_writer():
    copy = UncontrolledCopy(HOSTILE)
    copy.heading(HOSTILE)
    copy.paragraph(HOSTILE)
    copy.table(("Field", HOSTILE), [(HOSTILE, 1), ("multi\nline " + HOSTILE, None)])
    paragraphs, cells, title = _texts(copy.to_bytes())
    assert title == SHOWN
    assert paragraphs.count(SHOWN) == 2
    assert cells == ["Field", SHOWN, SHOWN, "1", "multi\nline " + SHOWN, ""]


def test_a_controlled_document_frame():
    config = RepoConfig.model_validate({"company": {"name": "Co\x01", "code": "TC"}, "device": {"name": "Pump\x1b"}})
    doc = ControlledDocument(config, "rmp", HOSTILE, number=1, revision="A\x00", effective="2026-01-01",
                             records=["REQ-0001\x01"], commit="abc\x1b",
                             history=[("r1", "2026-01-01", "Ann\x00", HOSTILE)],
                             approvals=[("Ann\ud800", "QA", "approval", "2026-01-02")])
    doc.paragraph(HOSTILE)
    data = doc.to_bytes()
    paragraphs, cells, _ = _texts(data)
    assert SHOWN in paragraphs and "Co\ufffd" in paragraphs and "Pump\ufffd" in paragraphs
    # The revision table shows a reason as given (render.control folds the signers' comments): the tab stays a tab.
    assert {"A\ufffd", "Ann\ufffd", SHOWN, "REQ-0001\ufffd"} <= set(cells)
    footer = Document(io.BytesIO(data)).sections[0].footer.paragraphs[0].text
    assert footer.startswith("Co\ufffd   ")


def test_openpyxl_styled_and_streaming_workbooks():
    wb = new_workbook()
    table_sheet(wb, "Styled", ("Name", HOSTILE), [(HOSTILE, 1), ([HOSTILE, "x"], None)])
    got = load_workbook(io.BytesIO(workbook_bytes(wb)))["Styled"]
    assert [[c.value for c in row] for row in got.iter_rows()] == [["Name", SHOWN], [SHOWN, 1], [f"{SHOWN}; x", None]]

    stream = bulk_workbook([("Bulk", ("Name", HOSTILE), iter([(HOSTILE, 2)]), None)])
    got = load_workbook(io.BytesIO(workbook_bytes(stream)))["Bulk"]
    assert [[c.value for c in row] for row in got.iter_rows()] == [["Name", SHOWN], [SHOWN, 2]]


def _hostile_record(text: str = HOSTILE) -> Requirement:
    # model_construct: the model itself would refuse a lone surrogate; a writer must cope with it anyway.
    return Requirement.model_construct(id="REQ-0001", title=text, status="draft", statement=text,
                                       derived_from=[], created=None)


def test_excel_export_cells_are_escaped():
    # Without the lone surrogate: the export's _meta sheet holds each record's content hash, and a string
    # with one has no UTF-8 bytes to hash (the loader and the model refuse it long before).
    record = _hostile_record(HOSTILE.replace("\ud800", "\x02"))
    records = RecordSet([(record, Source("records/requirements/REQ-0001.yaml"))])
    wb = build_workbook(records, {KINDS["requirement"]: [record]}, "abc", "status=" + HOSTILE)
    book = load_workbook(io.BytesIO(workbook_bytes(wb)))
    rows = [[c.value for c in row] for row in book["requirement"].iter_rows()]
    header = rows[0]
    assert rows[1][header.index("title")] == SHOWN and rows[1][header.index("statement")] == SHOWN
    meta = {row[0].value: row[1].value for row in book["_meta"].iter_rows() if row[0].value}
    assert meta["selection"] == "status=" + SHOWN  # the --where text as given, surrogate included


def test_reqif_export_is_well_formed():
    data, _ = export([_hostile_record()], ["requirement"], HOSTILE)
    root = etree.fromstring(data)  # raises on malformed XML
    assert root.findtext(f".//{{{NS}}}TITLE") == SHOWN
    values = [v.get("THE-VALUE") for v in root.iter(f"{{{NS}}}ATTRIBUTE-VALUE-STRING")]
    assert values.count(SHOWN) == 2  # title and statement

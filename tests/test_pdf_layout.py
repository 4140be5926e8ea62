"""Every Word file of `qms build --pdf` read as a reviewer reads it: converted by LibreOffice, its text
extracted by poppler (pdftotext). The contents are filled, the words of record titles in tables are
whole, IDs are not broken at their hyphens, and no table is wider than the text of its page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from support import copy_example, run_qms

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TRACE = "06-verification-validation/design_traceability_matrix"
FMEA = "05-benefit-risk-management/fmea_report"
SUPPLIERS = "03-design-manufacturing/suppliers/supplier_evaluation_report"


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        message = f"{tool} is not installed (CI installs it: .ci/run)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    for tool in ("soffice", "pdftotext"):
        _need(tool)
    repo = copy_example(tmp_path_factory.mktemp("pdf") / "repo")
    out = repo / "output"
    proc = run_qms("--repo", str(repo), "build", "--out", str(out), "--pdf", timeout=900)
    assert proc.returncode == 0, proc.stderr
    return repo, out


def pages(pdf: Path, *options: str) -> list[str]:
    text = subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def tokens(text: str) -> set[str]:
    """Whitespace-separated words without their hyphens: a word may end a line at its own hyphen
    (back-/off), which pdftotext joins again, but a word broken anywhere else shows as two fragments."""
    return {t for word in text.split() if (t := word.strip(".,;:()[]'\"").replace("-", ""))}


def words(titles: list[str]) -> set[str]:
    return {w for t in titles for w in tokens(t) if len(w) > 1}


def body_headings(doc) -> list[tuple[int, str]]:
    """(level, text) of the headings after the front matter's "Contents"."""
    found = [(int(p.style.name.split()[-1]), p.text) for p in doc.paragraphs if p.style.name.startswith("Heading ")]
    texts = [t for _, t in found]
    return found[texts.index("Contents") + 1:]


def outline_numbers(doc) -> list[tuple[str, str]]:
    """(number, text) of every body heading as Word numbers it: each heading's list level (w:ilvl) in the one
    outline list (w:numId) the body headings share, counted the way Word counts a multilevel list."""
    found = [p for p in doc.paragraphs if p.style.name.startswith("Heading ")]
    body = found[[p.text for p in found].index("Contents") + 1:]
    counters = [0, 0, 0]
    out, lists = [], set()
    for p in body:
        num_pr = p._p.pPr.numPr if p._p.pPr is not None else None
        assert num_pr is not None and num_pr.ilvl is not None, ("unnumbered heading", p.text)
        lists.add(num_pr.numId.val)
        level = num_pr.ilvl.val
        assert level == int(p.style.name.split()[-1]) - 1, ("list level is not the heading level", p.text)
        counters[level] += 1
        counters[level + 1:] = [0] * (2 - level)
        out.append((".".join(str(n) for n in counters[:level + 1]), p.text))
    assert len(lists) <= 1, lists
    return out


def numbered(headings: list[tuple[int, str]]) -> list[str]:
    counters = [0, 0, 0]
    out = []
    for level, text in headings:
        counters[level - 1] += 1
        counters[level:] = [0] * (3 - level)
        out.append(".".join(str(n) for n in counters[:level]) + " " + text)
    return out


def test_every_heading_is_numbered_once_under_its_chapter(dossier):
    """One numbering for every body heading: the document numbers them (the risk report's "Open actions" is
    8, its post-market subsections 7.1 to 7.6); no caller writes a number of its own into the text; the PDF
    shows the numbers the contents list."""
    _, out = dossier
    docs = sorted(out.rglob("*.docx"))
    assert len(docs) >= 20
    for docx in docs:
        numbers = outline_numbers(Document(docx))
        assert numbers, docx
        chapter = "0"
        for number, text in numbers:
            assert not re.match(r"\d+(\.\d+)*\s", text), (docx.name, "a second number", number, text)
            if "." in number:
                assert number.rsplit(".", 1)[0] == chapter, (docx.name, number, text)
            else:
                assert int(number) == int(chapter) + 1, (docx.name, number, text)
                chapter = number
        body = " ".join(" ".join(pages(docx.with_suffix(".pdf"), "-layout")).split())  # number beside text
        for number, text in numbers:
            assert body.count(f"{number} {' '.join(text.split())}") >= 2, (docx.name, number, text)  # contents, page
    risk = outline_numbers(Document(out / "05-benefit-risk-management/risk_management_report.docx"))
    assert [n for n, t in risk if n.startswith("7")] == ["7", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6"]
    assert ("8", "Open actions") in risk and ("9", "Conclusion") in risk and ("10", "Source records") in risk
    index = dict((t, n) for n, t in outline_numbers(Document(out / "index.docx")))
    assert index["Device description and specification (EU MDR Annex II, 1)"] == "1"  # its folder is 01-
    assert index["Post-market surveillance (EU MDR Annex III)"] == "7"


def test_every_pdf_has_filled_contents_and_no_update_field_prompt(dossier):
    _, out = dossier
    docs = sorted(out.rglob("*.docx"))
    assert len(docs) >= 20
    for docx in docs:
        pdf = docx.with_suffix(".pdf")
        assert pdf.is_file(), pdf
        assert not any("Update Field" in page for page in pages(pdf)), pdf
        text = pages(pdf, "-layout")  # a contents line as printed: number, then heading
        headings = body_headings(Document(docx))
        assert headings, docx
        # the contents start at the "Contents" heading and may run onto the next page
        first = next(i for i, page in enumerate(text) if re.search(r"^\s*Contents\s*$", page, re.M))
        listed = " ".join(" ".join(text[first:first + 2]).split())
        listed = listed[listed.index("Contents"):]
        at = 0
        for entry in numbered(headings):  # every heading, with its number, in document order
            entry = " ".join(entry.split())
            found = listed.find(entry, at)
            assert found >= 0, (docx.name, entry)
            at = found + len(entry)


LEADER = re.compile(r"^(\d+(?:\.\d+)*)\s+(.*?)\s*\.{5,}\s*(\d+)$")  # "7.1   Complaints ........ 15"


def contents_lines(text: list[str]) -> list[tuple[str, str, int]]:
    """(number, heading, page) of each contents line with a dot leader, as `pdftotext -layout` prints them."""
    return [(m.group(1), " ".join(m.group(2).split()), int(m.group(3)))
            for page in text for line in page.splitlines() if (m := LEADER.match(line.strip()))]


def heading_line_pages(text: list[str], number: str, heading: str) -> list[int]:
    """The pages (1-based) on which a line (or two, wrapped) reads exactly `number heading`, as a heading stands
    on its page."""
    want = f"{number} {heading}"
    found = []
    for i, page in enumerate(text):
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        for at, line in enumerate(lines):  # a long heading wraps onto a second line
            if line == want or (want.startswith(line + " ") and at + 1 < len(lines)
                                and f"{line} {lines[at + 1]}" == want):
                found.append(i + 1)
    return found


def test_contents_give_the_page_each_heading_is_on(dossier):
    """`--pdf` gives the contents page numbers: each line's number is the page pdftotext finds its heading on
    (a line of its own in the body, the contents' own lines carrying a dot leader); every document's contents
    are numbered, and the .docx keeps no Word prompt to update them."""
    _, out = dossier
    risk = out / "05-benefit-risk-management/risk_management_report.pdf"
    text = pages(risk, "-layout")
    lines = contents_lines(text)
    level1 = [(n, h) for n, h, _ in lines if "." not in n]
    assert level1 == [(str(i), h) for i, h in enumerate(
        ["Scope", "Risk management plan summary", "Review of the implementation of the plan", "Risk evaluation",
         "Overall residual risk", "Benefit-risk analyses", "Production and post-production information",
         "Open actions", "Conclusion", "Source records"], 1)]
    for number, heading, page in lines:
        assert heading_line_pages(text, number, heading) == [page], (number, heading, page)
    assert [p for _, _, p in lines] == sorted(p for _, _, p in lines) and lines[0][2] > 2
    for docx in sorted(out.rglob("*.docx")):
        text = pages(docx.with_suffix(".pdf"), "-layout")
        listed = contents_lines(text)
        headings = [(n, " ".join(h.split())) for n, h in outline_numbers(Document(docx))]
        # every heading has its page (a dot leader swallows a heading's final full stop: "B.V.")
        assert [(n, h.rstrip(".")) for n, h, _ in listed] == [(n, h.rstrip(".")) for n, h in headings], docx.name
        for (number, heading), (_, _, page) in zip(headings, listed):
            if "." not in number:
                assert page in heading_line_pages(text, number, heading), (docx.name, number, heading, page)


def test_record_words_and_ids_in_tables_are_never_broken(dossier):
    from generator.load.repo import load_repository
    from generator.recordset import RecordSet

    repo, out = dossier
    records = RecordSet(*(lambda r: (r.records, r.config))(load_repository(repo)))
    traced = [r for kind in ("requirement", "risk_control") for r in records.of_kind(kind)]
    fmea = records.of_kind("fmea")
    suppliers = records.of_kind("supplier")
    assert len(traced) == 42 and len(fmea) == 17 and suppliers
    cases = {
        TRACE: (words([r.title for r in traced]), {r.id for r in traced}),
        FMEA: (words([t for r in fmea for t in (r.item, r.failure_mode, r.recommended_action or "")]),
               {r.id for r in fmea}),
        SUPPLIERS: (words([s.title for s in suppliers]), {s.id for s in suppliers}),
    }
    for name, (expected_words, ids) in cases.items():
        text = "\n".join(pages(out / f"{name}.pdf"))
        found = tokens(text)
        assert expected_words - found == set(), name  # a word broken across lines shows as two fragments
        whole = set(text.split())
        assert {i for i in ids if not any(i in w for w in whole)} == set(), name  # REQ-0001, never REQ- / 0001


def _sections(body) -> list[tuple[object, object]]:
    """(table, sectPr of the section it is in) for every top-level table."""
    pending, out = [], []
    for child in body:
        if child.tag == f"{W}tbl":
            pending.append(child)
        sect = child.find(f"{W}pPr/{W}sectPr") if child.tag == f"{W}p" else (child if child.tag == f"{W}sectPr" else None)
        if sect is not None:
            out.extend((t, sect) for t in pending)
            pending = []
    return out


def test_no_table_is_wider_than_the_text_of_its_page(dossier):
    _, out = dossier
    landscape = set()
    portrait_tables: dict[str, list[int]] = {}  # document -> column counts of its tables on portrait pages
    for docx in sorted(out.rglob("*.docx")):
        body = Document(docx).element.body
        tables = _sections(body)
        assert len(tables) == len(body.findall(f"{W}tbl")), docx
        for tbl, sect in tables:
            size, margin = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
            text_width = int(size.get(f"{W}w")) - int(margin.get(f"{W}left")) - int(margin.get(f"{W}right"))
            grid = sum(int(c.get(f"{W}w")) for c in tbl.iter(f"{W}gridCol"))
            assert grid <= text_width, (docx.name, grid, text_width)
            rel = docx.relative_to(out).as_posix()
            if int(size.get(f"{W}w")) > int(size.get(f"{W}h")):
                landscape.add(rel)
            else:
                portrait_tables.setdefault(rel, []).append(len(tbl.findall(f"{W}tblGrid/{W}gridCol")))
    # the wide registers get landscape pages; a two-column record sheet stays portrait (the CAPA's eight-column
    # action plan, with owners by name and role, may turn its own page)
    assert {f"{TRACE}.docx", f"{FMEA}.docx"} <= landscape
    assert 2 in portrait_tables["07-post-market-surveillance/capa/CAPA-2026-001.docx"]

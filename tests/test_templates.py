"""Company document templates (issue #6): a reference .docx gives every generated document its look, and the
on-demand commands (capa report, kpi --out, recall --out) write the controlled documents the dossier holds."""

from __future__ import annotations

import io
import json
import runpy
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm, Inches
from support import ROOT, Built, copy_example, make_repo, run_qms

TEMPLATE = "specs/templates/reference.docx"
INIT_TEMPLATE = ROOT / "generator/templates/init" / TEMPLATE
A4 = (11906, 16838)  # twentieths of a point: Word's A4
AS_OF = "2026-12-02"  # the example's as_of (qms.yaml)


def _maker() -> dict:
    return runpy.run_path(str(ROOT / "generator/templates/make_reference_docx.py"))


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _kpi_doc(repo: Path, out: Path, *extra: str):
    proc = run_qms("--repo", str(repo), "kpi", "--as-of", AS_OF, "--period", "2026-Q3", "--out", str(out), *extra)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    return out / "management_review_input.docx"


# --------------------------------------------------------------------------- the shipped templates


def test_committed_templates_are_what_the_script_makes():
    made = _maker()["templates"]()
    assert {p.relative_to(ROOT).as_posix() for p in made} == {
        "generator/templates/init/specs/templates/reference.docx", "specs/templates/reference.docx"}
    for path, data in made.items():
        assert path.read_bytes() == data, f"{path} changed: run python generator/templates/make_reference_docx.py"


def test_the_default_template_is_a4_with_clear_styles_and_no_logo():
    doc = Document(str(INIT_TEMPLATE))
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == A4
    assert section.left_margin.twips == section.right_margin.twips == section.top_margin.twips == 1134  # 2 cm
    sizes = {name: doc.styles[name].font.size.pt for name in ("Normal", "Title", "Heading 1", "Heading 2",
                                                             "Heading 3", "Caption", "Table Grid")}
    assert sizes == {"Normal": 10, "Title": 24, "Heading 1": 16, "Heading 2": 13, "Heading 3": 11, "Caption": 9,
                     "Table Grid": 9}
    assert doc.styles["Caption"].font.italic is True
    assert not [n for n in zipfile.ZipFile(INIT_TEMPLATE).namelist() if n.startswith("word/media/")]


def test_the_worked_example_template_has_the_northwind_logo_in_its_header():
    doc = Document(str(ROOT / TEMPLATE))
    header = doc.sections[0].header
    blips = header._element.xpath(".//a:blip/@r:embed")
    assert len(blips) == 1
    logo = header.part.related_parts[blips[0]].blob
    assert _png_size(logo) == (240, 240)
    assert logo == _maker()["northwind_logo"]()
    assert str(doc.styles["Heading 1"].font.color.rgb) == "1F3A5F"


def test_init_copies_the_template_byte_for_byte(tmp_path):
    proc = run_qms("init", str(tmp_path / "q"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "q" / TEMPLATE).read_bytes() == INIT_TEMPLATE.read_bytes()


# --------------------------------------------------------------------------- documents in the company's look


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("templates") / "repo")


def test_a_document_takes_the_template_look_logo_first_then_its_own_header(example, tmp_path):
    path = _kpi_doc(example, tmp_path / "a")
    assert path.read_bytes() == _kpi_doc(example, tmp_path / "b").read_bytes()
    doc = Document(str(path))
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == A4
    assert str(doc.styles["Heading 1"].font.color.rgb) == "1F3A5F"
    header = section.header.paragraphs
    assert len(header) == 3 and header[0]._p.xpath(".//a:blip") and header[0].text == ""
    assert [p.text for p in header[1:]] == [  # nobody approved it: a draft, never effective
        "NWM-MRI-001   Rev. A   Draft of 2026-12-02\tManagement review input 2026-Q3 (ISO 13485 5.6.2)",
        "DRAFT — not approved"]
    assert "Page" in section.footer.paragraphs[-1].text
    text = [p.text for p in doc.paragraphs]
    assert "Reference template" not in text and not any("sample text" in t for t in text)
    assert text[0] == "Northwind Medical Ltd"  # the title page comes first: the template's body is gone
    media = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("word/media/")]
    assert media == ["word/media/image1.png", "word/media/image2.png"]  # the logo and the KPI trend chart
    props = doc.core_properties
    assert (props.author, props.identifier, props.title) == (
        "QMS Generator", "NWM-MRI-001", "NWM-MRI-001 Management review input 2026-Q3 (ISO 13485 5.6.2)")
    assert props.keywords == "" and props.last_printed is None


def test_without_a_template_the_builtin_look_is_kept(tmp_path):
    repo = make_repo(tmp_path / "q")
    doc = Document(str(_kpi_doc(repo, tmp_path / "out")))
    section = doc.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))  # python-docx's default
    assert [p.text for p in section.header.paragraphs] == ["TC-MRI-001   Rev. A   Draft of 2026-12-02\t"
                                                          "Management review input 2026-Q3 (ISO 13485 5.6.2)",
                                                          "DRAFT — not approved"]


def test_the_template_named_in_qms_yaml_is_used(tmp_path):
    repo = make_repo(tmp_path / "q", {"look/company.docx": INIT_TEMPLATE.read_bytes()})
    with (repo / "qms.yaml").open("a") as fh:
        fh.write("documents:\n  template: look/company.docx\n")
    section = Document(str(_kpi_doc(repo, tmp_path / "out"))).sections[0]
    assert (section.page_width.twips, section.page_height.twips) == A4


def _word_like_template() -> bytes:
    """A template as Word saves it: only the styles it uses, two sections, body text and a picture."""
    from docx.enum.section import WD_SECTION

    doc = Document()
    styles = doc.styles.element
    for style in list(doc.styles):
        if style.name in ("List Bullet", "Table Grid", "Heading 3", "Caption"):
            styles.remove(style.element)
    doc.add_paragraph("Company letterhead text")
    doc.add_picture(io.BytesIO(_maker()["northwind_logo"]()), width=Cm(2))
    doc.add_section(WD_SECTION.NEW_PAGE)
    doc.sections[-1].page_width, doc.sections[-1].page_height = Cm(21.0), Cm(29.7)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_a_template_missing_styles_gets_them_and_loses_its_body_pictures(tmp_path):
    repo = make_repo(tmp_path / "q", {TEMPLATE: _word_like_template()})
    path = _kpi_doc(repo, tmp_path / "out")
    doc = Document(str(path))
    assert len(doc.sections) == 1 and doc.sections[0].page_width.twips == A4[0]  # the last section's setup
    assert {"List Bullet", "Table Grid", "Heading 3", "Caption"} <= {s.name for s in doc.styles}
    assert "Company letterhead text" not in [p.text for p in doc.paragraphs]
    media = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("word/media/")]
    assert len(media) == 1  # the KPI chart only: the template's body picture is dropped


@pytest.mark.parametrize("content, message", [
    (b"not a zip", "specs/templates/reference.docx: not a Word .docx document (BadZipFile"),
    (None, "specs/templates/reference.docx: not a Word .docx document (KeyError"),
])
def test_a_corrupt_template_stops_the_command_naming_the_file(tmp_path, content, message):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("hello.txt", "a zip, but no Word document")
        content = buffer.getvalue()
    repo = make_repo(tmp_path / "q", {TEMPLATE: content})
    proc = run_qms("--repo", str(repo), "kpi", "--as-of", AS_OF, "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith(f"qms: error: {message}") and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_template_named_in_qms_yaml_stops_the_command(tmp_path):
    repo = make_repo(tmp_path / "q")
    with (repo / "qms.yaml").open("a") as fh:
        fh.write("documents:\n  template: look/company.docx\n")
    proc = run_qms("--repo", str(repo), "kpi", "--as-of", AS_OF, "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and proc.stdout == "" and not (tmp_path / "out").exists()
    assert proc.stderr == ("qms: error: look/company.docx: document template not found (qms.yaml "
                           "documents.template); create it or fix documents.template\n")


def test_a_word_template_dotx_is_taken_as_its_document(tmp_path):
    source = zipfile.ZipFile(INIT_TEMPLATE)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")
            z.writestr(info, data)
    repo = make_repo(tmp_path / "q", {TEMPLATE: buffer.getvalue()})
    assert Document(str(_kpi_doc(repo, tmp_path / "out"))).sections[0].page_width.twips == A4[0]


# --------------------------------------------------------------------------- on demand = the dossier's document


@pytest.fixture
def built(example_build: Built) -> Path:
    # `qms build --format json` of the same committed example, once per run (conftest); as of its snapshot date.
    assert example_build.returncode == 0
    assert json.loads((example_build.output / "manifest.json").read_text())["as_of"] == AS_OF
    return example_build.output / "07-post-market-surveillance"


def test_capa_report_and_kpi_out_are_the_dossier_documents_byte_for_byte(example, built, tmp_path):
    proc = run_qms("--repo", str(example), "capa", "report", "CAPA-2026-002", "--as-of", AS_OF,
                   "--out", str(tmp_path / "capa.docx"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "capa.docx").read_bytes() == (built / "capa/CAPA-2026-002.docx").read_bytes()
    proc = run_qms("--repo", str(example), "kpi", "--as-of", AS_OF, "--out", str(tmp_path / "kpi"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "kpi/management_review_input.docx").read_bytes() == \
        (built / "management_review_input.docx").read_bytes()


def test_recall_out_is_a_controlled_document_fast_or_not(example, tmp_path):
    docs = []
    for name, extra in (("slow", ()), ("fast", ("--fast",))):
        proc = run_qms("--repo", str(example), "recall", "--supplier-lot", "KPM-25-1187", "--as-of", AS_OF,
                       "--out", str(tmp_path / name), *extra)
        assert proc.returncode == 0, proc.stderr
        docs.append(Document(str(tmp_path / name / "recall_summary.docx")))
    for doc in docs:
        assert doc.core_properties.identifier == "NWM-RIR-001"
        assert [p.text for p in doc.sections[0].header.paragraphs[1:]] == [
            "NWM-RIR-001   Rev. A   Draft of 2026-12-02\tRecall impact: supplier lot KPM-25-1187", "DRAFT — not approved"]
        text = [p.text for p in doc.paragraphs]
        assert "Uncontrolled copy" not in "\n".join(text)
        assert text[:3] == ["Northwind Medical Ltd", "FlowSure VP-200 (VP-200)",
                            "Recall impact: supplier lot KPM-25-1187"]
    # The full load knows the records' git history, a reference under the revision history; the column scan has
    # no records, so no commits.
    slow, fast = ("\n".join(p.text for p in d.paragraphs) for d in docs)
    assert "git commit(s) that changed its source records" in slow
    assert "git commit" not in fast and "A revision is an approved release" in fast

"""`qms build` and `qms verify` (issue #6) on a copy of the worked example committed to its own git repo."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support import ROOT, Built, clone_of, copy_example, git, run_qms

SECTIONS = ("01-device-description", "02-information-supplied", "03-design-manufacturing", "04-gspr",
            "05-benefit-risk-management", "06-verification-validation", "07-post-market-surveillance",
            "08-declaration-of-conformity", "qms-software-validation")
DM, RISK, VV, PMS = "03-design-manufacturing", "05-benefit-risk-management", "06-verification-validation", \
    "07-post-market-surveillance"


_git = git


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = run_qms("--repo", str(repo), "build", *args, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def verify(folder: Path) -> tuple[int, dict]:
    proc = run_qms("verify", str(folder), "--format", "json", cwd=folder.parent)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@pytest.fixture
def example(example_build: Built) -> Path:
    """The committed example the shared dossier was built from (conftest): read only."""
    return example_build.repo


@pytest.fixture
def dossier(example_build: Built) -> Path:
    summary = example_build.summary  # of `qms build --format json`
    assert summary["releasable"] is True and summary["errors"] == 0
    return example_build.output


def test_layout(dossier: Path) -> None:
    files = set(hashes(dossier))
    for rel in ("index.html", "index.docx", "manifest.json", "findings.json",
                "01-device-description/device_description.docx",
                f"{DM}/suppliers/supplier_evaluation_report.docx", f"{DM}/suppliers/supplier_scorecard.xlsx",
                f"{DM}/suppliers/suppliers.json",
                f"{RISK}/risk_management_plan_summary.docx", f"{RISK}/risk_management_report.docx",
                f"{RISK}/fmea_report.docx", f"{RISK}/risk_register.xlsx", f"{RISK}/heatmap_initial.png",
                f"{RISK}/heatmap_residual.png", f"{RISK}/risk.json",
                f"{VV}/design_traceability_matrix.docx", f"{VV}/trace_matrix.xlsx", f"{VV}/trace.json",
                f"{PMS}/management_review_input.docx", f"{PMS}/kpi.xlsx", f"{PMS}/kpi.json"):
        assert rel in files, rel
    assert {f.split("/")[0] for f in files if "/" in f} == set(SECTIONS)
    assert {"02-information-supplied/information_supplied.docx", f"{DM}/manufacturing_sites_and_process.docx"} <= files
    assert {"04-gspr/gspr_checklist.docx", "04-gspr/standards_applied.docx", f"{VV}/evidence_register.docx"} <= files
    capas = sorted(p.name for p in (ROOT / "records").rglob("CAPA-*.yaml"))
    assert capas
    assert sorted(f.split("/")[-1] for f in files if f.startswith(f"{PMS}/capa/")) == \
        [c.replace(".yaml", ".docx") for c in capas]
    changes = sorted(p.name for p in (ROOT / "records").rglob("CC-*.yaml"))
    assert len(changes) == 4  # CC-2026-004 (HVAC maintenance) added for the worklist
    assert sorted(f.split("/")[-1] for f in files if f.startswith(f"{DM}/change-control/")) == \
        [c.replace(".yaml", ".docx") for c in changes]
    assert any(re.fullmatch(rf"{DM}/suppliers/supplier_trend_SUP-\d+\.png", f) for f in files)
    risk = json.loads((dossier / RISK / "risk.json").read_text())
    assert "fmea" in risk and "findings" in risk
    findings = json.loads((dossier / "findings.json").read_text())
    assert findings["summary"]["errors"] == 0 and findings["as_of"] == "2026-12-02"
    assert not list(dossier.parent.glob(".output.*")), "temporary folders left beside the dossier"


def test_every_document_reopens(dossier: Path) -> None:
    import docx
    import openpyxl

    docs = sorted(dossier.rglob("*.docx"))
    books = sorted(dossier.rglob("*.xlsx"))
    # 19 documents of the records, 6 protocols, 3 executed self-validation protocols, 3 executed device-process
    # protocols (from their execution records), the validation summaries of the device processes and of the QMS
    # software; the GSPR checklist, standards list and evidence register; the complaint, NC and vigilance logs and
    # the register of approvals; the labels-and-IFU register and the manufacturing sites and process; the PMS plan,
    # PSUR-2026-001 and the EU declaration of conformity (42). Workbooks: trace matrix, risk register, supplier
    # scorecard, KPIs, the audit trail, the post-market logs and the approvals register (7).
    assert len(docs) == 42 and len(books) == 7
    for path in docs:
        assert docx.Document(str(path)).paragraphs, path
    for path in books:
        assert openpyxl.load_workbook(path, read_only=True).sheetnames, path


def test_manifest_lists_every_file(dossier: Path, example: Path) -> None:
    manifest = json.loads((dossier / "manifest.json").read_text())
    on_disk = {k: v for k, v in hashes(dossier).items() if k != "manifest.json"}
    listed = {e["path"]: e for e in manifest["files"]}
    assert set(listed) == set(on_disk)
    assert [e["path"] for e in manifest["files"]] == sorted(listed)
    for rel, entry in listed.items():
        assert entry["sha256"] == on_disk[rel], rel
        assert entry["size"] == (dossier / rel).stat().st_size, rel
    assert manifest["repository"] == {"commit": _git(example, "rev-parse", "HEAD"), "dirty": False}
    from generator import __version__

    assert manifest["generator"]["version"] == __version__
    assert manifest["releasable"] is True and manifest["as_of"] == "2026-12-02"
    assert not re.search(r"\d{2}:\d{2}:\d{2}", (dossier / "manifest.json").read_text()), "wall-clock time"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def test_index_links_every_file(dossier: Path) -> None:
    from urllib.parse import unquote

    parser = _Links()
    parser.feed((dossier / "index.html").read_text(encoding="utf-8"))
    linked = {unquote(h) for h in parser.hrefs if not h.startswith("#")}  # '#s-07': a section of the page
    assert all(not h.startswith(("/", "http:", "https:", "file:")) for h in parser.hrefs)
    assert set(hashes(dossier)) <= linked
    assert all((dossier / rel).is_file() for rel in linked)
    assert "NOT RELEASABLE" not in (dossier / "index.html").read_text()


def test_two_builds_are_byte_identical(example: Path, dossier: Path, tmp_path: Path) -> None:
    repo = clone_of(example, tmp_path / "clone")  # the same commit elsewhere: nothing of the first build to reuse
    proc = build(repo, "--out", str(repo / "out-second"))
    assert proc.returncode == 0, proc.stderr
    assert hashes(repo / "out-second") == hashes(dossier)


def test_verify_clean_then_changed_added_missing(dossier: Path, tmp_path: Path) -> None:
    code, result = verify(dossier)
    assert code == 0 and result["clean"] and result["checked"] == len(hashes(dossier)) - 1
    copy = tmp_path / "dossier"
    shutil.copytree(dossier, copy)
    target = copy / RISK / "risk_register.xlsx"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    proc = run_qms("verify", str(copy))
    assert proc.returncode == 1 and f"changed: {RISK}/risk_register.xlsx" in proc.stdout
    (copy / VV / "extra.txt").write_text("not in the manifest")
    (copy / DM / "suppliers" / "suppliers.json").unlink()
    code, result = verify(copy)
    assert code == 1
    assert result["changed"] == [f"{RISK}/risk_register.xlsx"]
    assert result["added"] == [f"{VV}/extra.txt"]
    assert result["missing"] == [f"{DM}/suppliers/suppliers.json"]


def test_verify_without_a_good_manifest_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    proc = run_qms("verify", str(folder))
    assert proc.returncode == 2 and "manifest.json is missing" in proc.stderr and "Traceback" not in proc.stderr
    (folder / "manifest.json").write_text("{not json")
    proc = run_qms("verify", str(folder))
    assert proc.returncode == 2 and "corrupt" in proc.stderr and "Traceback" not in proc.stderr
    (folder / "manifest.json").write_text('{"files": [{"path": "../x", "sha256": "0", "size": 1}]}')
    proc = run_qms("verify", str(folder))
    assert proc.returncode == 2 and "corrupt" in proc.stderr


def test_failed_build_leaves_previous_dossier(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo", commit=False)
    assert build(repo).returncode == 0
    before = hashes(repo / "output")
    (repo / "records" / "production" / "broken.xlsx").write_bytes(b"this is not a workbook")
    proc = build(repo)
    assert proc.returncode == 2 and "broken.xlsx" in proc.stderr
    assert hashes(repo / "output") == before
    assert sorted(p.name for p in repo.iterdir() if p.name.startswith(".output")) == []


def test_renderer_failure_midway_leaves_previous_dossier(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cli.app import App
    from generator.render import capa, dossier

    repo = copy_example(tmp_path / "repo", commit=False)
    app = App(str(repo))
    loaded, records = app.load_readable()
    out = repo / "output"
    import datetime as dt

    first = dossier.build_dossier(repo, loaded, records, dt.date(2026, 11, 25), out)
    assert first.releasable and first.commit == "unknown" and first.dirty is None
    before = hashes(out)

    def boom(*_args: object) -> None:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(capa, "capa_document", boom)
    with pytest.raises(RuntimeError):
        dossier.build_dossier(repo, loaded, records, dt.date(2026, 11, 25), out)
    assert hashes(out) == before
    assert [p.name for p in repo.iterdir() if p.name.startswith(".output")] == []


def test_validation_errors_still_write_a_dossier_marked_not_releasable(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    req = repo / "specs" / "requirements" / "REQ-0001.yaml"
    req.write_text(re.sub(r"derived_from: .*", "derived_from: [UN-999]", req.read_text()))
    proc = build(repo, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["releasable"] is False
    manifest = json.loads((repo / "output" / "manifest.json").read_text())
    assert manifest["releasable"] is False and manifest["validation"]["errors"] >= 1
    assert manifest["repository"]["dirty"] is True
    assert "NOT RELEASABLE" in (repo / "output" / "index.html").read_text()
    assert verify(repo / "output")[0] == 0


def test_refuses_to_replace_a_folder_that_is_not_a_dossier(example: Path, tmp_path: Path) -> None:
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    proc = build(clone_of(example, tmp_path / "repo"), "--out", str(folder))
    assert proc.returncode == 2 and "not a dossier" in proc.stderr
    assert (folder / "keep.txt").read_text() == "mine"


@pytest.mark.skipif(shutil.which("soffice") is not None or shutil.which("libreoffice") is not None,
                    reason="LibreOffice is installed")
def test_pdf_without_libreoffice_says_so(example: Path, tmp_path: Path) -> None:
    repo = clone_of(example, tmp_path / "repo")
    proc = build(repo, "--pdf", "--out", str(repo / "out-pdf"))
    assert proc.returncode == 0
    assert "LibreOffice is not installed" in proc.stderr
    manifest = json.loads((repo / "out-pdf" / "manifest.json").read_text())
    assert any("LibreOffice is not installed" in n for n in manifest["notes"])


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_with_libreoffice_converts_every_document(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    assert run_qms("init", str(repo)).returncode == 0
    proc = build(repo, "--pdf")
    assert proc.returncode == 0, proc.stderr
    out = repo / "output"
    docs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx"))
    assert docs and "index.docx" in docs
    for rel in docs:
        pdf = out / (rel[:-5] + ".pdf")
        assert pdf.read_bytes().startswith(b"%PDF-"), rel  # LibreOffice opened and converted it
    listed = {e["path"] for e in json.loads((out / "manifest.json").read_text())["files"]}
    assert {rel[:-5] + ".pdf" for rel in docs} <= listed
    assert run_qms("verify", str(out)).returncode == 0


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="needs LibreOffice and poppler")
def test_pdf_of_word_files_of_one_name_in_two_folders_lands_beside_each(tmp_path: Path) -> None:
    """LibreOffice writes a run's PDFs into one folder by name: two Word files of one name each get their own."""
    from docx import Document

    from generator.render.dossier import convert_pdfs

    made = []
    for folder, words in (("a", "Alpha folder text"), ("b", "Bravo folder text"), ("b", "Other file")):
        doc = Document()
        doc.add_paragraph(words)
        path = tmp_path / folder / ("other.docx" if words == "Other file" else "report.docx")
        path.parent.mkdir(exist_ok=True)
        doc.save(str(path))
        made.append((path, words))
    convert_pdfs(tmp_path)
    for path, words in made:
        text = subprocess.run(["pdftotext", str(path.with_suffix(".pdf")), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert text.split() == words.split(), path
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf")) == \
        ["a/report.pdf", "b/other.pdf", "b/report.pdf"]

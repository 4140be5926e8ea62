"""Stable document numbers (issue 16): the register document-numbers.yaml, provisional numbers in the build,
`qms numbers assign`, located findings on a bad register, and no renumbering without a change control.
Also the dossier as a declared table: the progress steps and the register's keys come from it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from docx import Document
from support import ROOT, copy_example, git, make_repo, run_qms

from generator.load.repo import load_repository
from generator.recordset import RecordSet
from generator.render.dossier import STEPS, build_dossier
from generator.render.dossier_sections import SECTIONS, TOP, document_keys, producers
from generator.render.numbers import REGISTER, Numbers, read_register

AS_OF = dt.date(2026, 11, 25)
PROTOCOLS = "06-verification-validation/protocols"
SOFTWARE = "qms-software-validation/protocols"  # the QMS's own software validation (ISO 13485 4.1.6)
CAPAS = "07-post-market-surveillance/capa"
# The example's numbers as its documents have always carried them (before the register existed).
EXAMPLE_NUMBERS = {
    f"{PROTOCOLS}/IQ-001-protocol.docx": "NWM-VP-001", f"{SOFTWARE}/IQ-002-protocol.docx": "NWM-VP-002",
    f"{PROTOCOLS}/OQ-001-protocol.docx": "NWM-VP-003", f"{SOFTWARE}/OQ-002-protocol.docx": "NWM-VP-004",
    f"{PROTOCOLS}/PQ-001-protocol.docx": "NWM-VP-005", f"{SOFTWARE}/PQ-002-protocol.docx": "NWM-VP-006",
    f"{CAPAS}/CAPA-2026-001.docx": "NWM-CAPR-001", f"{CAPAS}/CAPA-2026-004.docx": "NWM-CAPR-004",
    "03-design-manufacturing/change-control/CC-2026-002.docx": "NWM-CCR-002",
    "05-benefit-risk-management/risk_management_report.docx": "NWM-RMR-001",
    "05-benefit-risk-management/risk_management_plan_summary.docx": "NWM-RMP-001",
    "06-verification-validation/validation_summary.docx": "NWM-VSR-001",
    "index.docx": "NWM-DHF-001",
}


def records_of(root: Path) -> tuple[object, RecordSet]:
    loaded = load_repository(root, use_cache=False)
    return loaded, RecordSet(loaded.records, loaded.config)


def build(repo: Path, out: Path) -> dict[str, str]:
    """Build the dossier (without running protocols or reading history: numbers do not depend on them) and
    return every controlled document's number, read back from the Word file: path -> number."""
    loaded, records = records_of(repo)
    built = build_dossier(repo, loaded, records, AS_OF, out, git=False, protocols=False)
    global NOTES
    NOTES = built.notes
    return {p.relative_to(out).as_posix(): Document(str(p)).core_properties.identifier
            for p in sorted(out.rglob("*.docx"))}


NOTES: list[str] = []  # the build notes of the last `build`


def title_page_number(path: Path) -> str:
    facts = {row.cells[0].text: row.cells[1].text for row in Document(str(path)).tables[0].rows}
    return facts["Document number"]


def test_adding_a_protocol_and_a_capa_renumbers_nothing(tmp_path):
    repo = copy_example(tmp_path / "repo")
    first = build(repo, tmp_path / "out1")
    assert {rel: first[rel] for rel in EXAMPLE_NUMBERS} == EXAMPLE_NUMBERS
    assert len(first) == 39  # with labels/IFU, manufacturing, the PMS plan, PSUR, declaration, executed reports, CC-2026-004
    # every number the example's documents use or cite is registered: no document asks for one under a stray key
    assert not [n for n in NOTES if n.startswith("numbers:")], NOTES

    # IQ-003 sorts before OQ-001: by position it would have taken NWM-VP-003 and moved every later protocol.
    (repo / "protocols/IQ-003.yaml").write_text((repo / "protocols/IQ-001.yaml").read_text()
                                                .replace("id: IQ-001", "id: IQ-003"))
    capa = repo / "records/events/capa"
    (capa / "CAPA-2026-005.yaml").write_text((capa / "CAPA-2026-004.yaml").read_text()
                                             .replace("id: CAPA-2026-004", "id: CAPA-2026-005"))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "IQ-003 and CAPA-2026-005")
    second = build(repo, tmp_path / "out2")

    assert {rel: second[rel] for rel in first} == first  # every existing document keeps its number, exactly
    assert set(second) - set(first) == {f"{PROTOCOLS}/IQ-003-protocol.docx", f"{CAPAS}/CAPA-2026-005.docx"}
    # the new ones get the next free number of their type, provisional until registered
    assert second[f"{PROTOCOLS}/IQ-003-protocol.docx"] == "NWM-VP-007"
    assert second[f"{CAPAS}/CAPA-2026-005.docx"] == "NWM-CAPR-005"
    assert title_page_number(tmp_path / "out2" / CAPAS / "CAPA-2026-005.docx") == "NWM-CAPR-005 (provisional: not registered)"
    assert title_page_number(tmp_path / "out2" / CAPAS / "CAPA-2026-004.docx") == "NWM-CAPR-004"
    manifest = json.loads((tmp_path / "out2/manifest.json").read_text())
    assert manifest["unregistered_numbers"] == {"capa:CAPA-2026-005": "NWM-CAPR-005", "protocol:IQ-003": "NWM-VP-007"}
    assert any(n.startswith("numbers: 2 document(s) carry a provisional number") for n in manifest["notes"])
    assert "unregistered_numbers" not in json.loads((tmp_path / "out1/manifest.json").read_text())
    page = (tmp_path / "out2/index.html").read_text()
    assert ('<td class="nowrap">NWM-VP-007 (provisional: not registered)</td><td>A</td>'
            '<td class="draft">DRAFT — not approved</td><td>IQ-003 protocol') in page
    assert (repo / REGISTER).read_bytes() == (ROOT / REGISTER).read_bytes()  # the build wrote nothing into the repo

    # the release refuses provisional numbers; `qms numbers assign` registers exactly what the build showed
    release = run_qms("--repo", str(repo), "build", "--release", "--out", str(tmp_path / "out3"))
    assert release.returncode == 1 and "2 document(s) have no registered number: capa:CAPA-2026-005 (NWM-CAPR-005), " \
                                      "protocol:IQ-003 (NWM-VP-007)" in release.stderr
    before = (repo / REGISTER).read_bytes()
    proc = run_qms("--repo", str(repo), "numbers", "assign")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["capa:CAPA-2026-005: NWM-CAPR-005", "protocol:IQ-003: NWM-VP-007",
                                        f"{REGISTER}: 2 number(s) assigned; commit the register"]
    after = (repo / REGISTER).read_bytes()
    assert after == before + b'capa:CAPA-2026-005: "NWM-CAPR-005"\nprotocol:IQ-003: "NWM-VP-007"\n'  # append-only
    _, records = records_of(repo)
    assert Numbers(records.config, read_register(repo)[0], document_keys(records)).provisional == {}
    again = run_qms("--repo", str(repo), "numbers", "assign", "--format", "json")
    assert json.loads(again.stdout) == {"register": REGISTER, "assigned": {}} and (repo / REGISTER).read_bytes() == after


def validate(repo: Path) -> tuple[int, list[dict]]:
    proc = run_qms("--repo", str(repo), "validate", "--format", "json")
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)["findings"]


def register_findings(findings: list[dict]) -> list[tuple[str, str, str]]:
    return [(f["code"], f["location"], f["message"]) for f in findings if f["location"].startswith(REGISTER)]


def test_a_malformed_or_duplicated_entry_is_a_located_finding(tmp_path):
    repo = make_repo(tmp_path / "repo", {REGISTER: (
        'capa:CAPA-2026-001: "TC-CAPR-001"\n'
        'not a key: "TC-X-001"\n'
        'risk:report: 3\n'
        'trace:matrix: "TC-CAPR-001"\n')})
    code, findings = validate(repo)
    assert code == 1
    assert register_findings(findings) == [
        ("QMS650", f"{REGISTER}:2", "'not a key' is not a document key 'type:subject'"),
        ("QMS650", f"{REGISTER}:3", "risk:report: the number must be one line of text, not 3"),
        ("QMS651", f"{REGISTER}:4", "trace:matrix: number TC-CAPR-001 is already capa:CAPA-2026-001's (line 1)"),
    ]
    (repo / REGISTER).write_text('risk:report: "TC-RMR-001"\nrisk:report: "TC-RMR-002"\n')
    code, findings = validate(repo)
    assert code == 1 and register_findings(findings) == [("QMS108", f"{REGISTER}:2", "field 'risk:report' appears twice")]
    (repo / REGISTER).write_text('- just\n- a list\n')
    code, findings = validate(repo)
    assert [f[0] for f in register_findings(findings)] == ["QMS102"]
    # assigning to a register with errors is refused and leaves it alone
    proc = run_qms("--repo", str(repo), "numbers", "assign")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and f"mend {REGISTER}" in proc.stderr
    assert (repo / REGISTER).read_text() == '- just\n- a list\n'


CHANGE = """\
id: CC-2026-009
title: Renumber the risk management report
status: {status}
owner: USR-001
created: 2026-05-01
reason: {reason}
"""


def test_a_renumbering_needs_an_approved_change_control(tmp_path):
    repo = make_repo(tmp_path / "repo", {REGISTER: 'risk:report: "TC-RMR-001"\ntrace:matrix: "TC-DTM-001"\n'
                                                   'fmea:report: "TC-FMEA-001"\n'})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "register")
    assert register_findings(validate(repo)[1]) == []

    # committing the change does not make it acceptable: the first committed number is what counts
    (repo / REGISTER).write_text('risk:report: "TC-RMR-002"\nfmea:report: "TC-FMEA-001"\n'
                                 'capa:CAPA-2026-001: "TC-DTM-001"\n')
    git(repo, "commit", "-q", "-am", "renumber")
    assert register_findings(validate(repo)[1]) == [
        ("QMS652", f"{REGISTER}:1", "risk:report was TC-RMR-001 when first committed and is now TC-RMR-002"),
        ("QMS652", f"{REGISTER}:1", "trace:matrix (TC-DTM-001) was removed from the register"),
        ("QMS652", f"{REGISTER}:3", "capa:CAPA-2026-001: number TC-DTM-001 was first assigned to trace:matrix; "
                                    "a number is never reused"),
    ]
    change = repo / "records/events/change/CC-2026-009.yaml"
    change.parent.mkdir(parents=True)
    # a draft change control does not count; an approved one excuses what it names, and only that
    change.write_text(CHANGE.format(status="draft", reason="TC-RMR-001 duplicates a retired number"))
    assert len(register_findings(validate(repo)[1])) == 3
    change.write_text(CHANGE.format(status="approved", reason="TC-RMR-001 duplicates a retired number"))
    assert [f[2] for f in register_findings(validate(repo)[1])] == [
        "trace:matrix (TC-DTM-001) was removed from the register",
        "capa:CAPA-2026-001: number TC-DTM-001 was first assigned to trace:matrix; a number is never reused"]
    change.write_text(CHANGE.format(status="approved", reason="TC-RMR-001 renumbered; trace:matrix withdrawn, "
                                                              "its number TC-DTM-001 given to capa:CAPA-2026-001"))
    assert register_findings(validate(repo)[1]) == []


def test_a_new_repository_assigns_its_register_from_nothing(tmp_path):
    repo = make_repo(tmp_path / "repo")
    proc = run_qms("--repo", str(repo), "numbers", "assign")
    assert proc.returncode == 0, proc.stderr
    text = (repo / REGISTER).read_text()
    assert text.startswith("# Document number register")
    entries = [line for line in text.splitlines() if not line.startswith("#")]
    assert entries == ['device:description: "TC-DDS-001"', 'dossier:index: "TC-DOSSIER-001"', 'esig:register: "TC-ESIG-001"',
                       'fmea:report: "TC-FMEA-001"', 'kpi:review: "TC-MRI-001"', 'log:complaints: "TC-LOG-001"',
                       'log:nonconformances: "TC-LOG-002"', 'log:vigilance: "TC-LOG-003"', 'risk:report: "TC-RISK-001"',
                       'rmp:plan: "TC-RMP-001"', 'trace:matrix: "TC-TRACE-001"']
    assert register_findings(validate(repo)[1]) == []


def test_the_dossier_table_drives_the_progress_steps_and_the_register():
    names = [producer.name for _, producer in producers()]
    assert len(names) == len(set(names))
    assert STEPS == ("history", *names, "pdf", "index", "manifest")
    assert [s.folder for s in SECTIONS] == ["01-device-description", "02-information-supplied", "03-design-manufacturing",
                                            "04-gspr", "05-benefit-risk-management", "06-verification-validation",
                                            "07-post-market-surveillance", "08-declaration-of-conformity",
                                            "qms-software-validation"]
    assert TOP.folder == "" and [p.name for p in SECTIONS[3].producers] == ["gspr", "standards"]
    # the example's register holds exactly the documents its dossier makes, with their historical numbers
    _, records = records_of(ROOT)
    register, found = read_register(ROOT)
    assert found == []
    assert set(register.entries) == {f"{t}:{s}" for t, s in document_keys(records)}
    assert len(register.entries) == 42 and register.entries["protocol:OQ-001"] == "NWM-VP-003"
    assert {k: register.entries[k] for k in ("gspr:checklist", "standards:list", "evidence:register")} == {
        "gspr:checklist": "NWM-GSPR-001", "standards:list": "NWM-STDL-001", "evidence:register": "NWM-EVR-001"}
    assert (register.entries["labelling:register"], register.entries["manufacturing:process"]) == \
        ("NWM-ISR-001", "NWM-MSP-001")

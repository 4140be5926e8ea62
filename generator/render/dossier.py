"""The dossier (`qms build`): every section rendered from one loaded repository, an index and a manifest.

Layout (all paths relative to the dossier folder), after the EU MDR technical documentation
(Annex II sections 1-6, Annex III); see render.dossier_index:

    findings.json                          every finding of `qms validate` (and the waived ones)
    index.docx                             the controlled index: every file by section, with its document number
    index.html                             links every file (relative links, escaped text)
    manifest.json                          every other file with SHA-256 and size; generator version; git commit
    01-device-description/device_description.docx            from qms.yaml's device block
    02-information-supplied/information_supplied.docx        labels and IFUs under control (only if any)
    03-design-manufacturing/change-control/CC-….docx         one change control record per change
    03-design-manufacturing/suppliers/supplier_evaluation_report.docx, supplier_scorecard.xlsx,
                                      supplier_trend_SUP-….png, suppliers.json
    04-gspr/                               no record kind yet: listed in the index as empty
    05-benefit-risk-management/risk_management_plan_summary.docx, risk_management_report.docx,
                                      fmea_report.docx, risk_register.xlsx, heatmap_initial.png,
                                      heatmap_residual.png, risk.json (with FMEA and risk findings)
    06-verification-validation/design_traceability_matrix.docx, trace_matrix.xlsx, trace.json
    07-post-market-surveillance/capa/CAPA-….docx, management_review_input.docx, kpi.xlsx, kpi.json

Every Word file is a controlled document made through one DocumentSet (render.document). An empty
section folder is not created: the index says which records would fill it.

Atomic: the dossier is built in a temporary folder beside the target and renamed into place only when
complete; a failure (a full disk, a read-only folder) removes the temporary folder, leaves the previous
dossier as it was and is an error naming the path (exit 2). Temporary folders of a killed build are
removed by the next one; a live build holds a lock on its own so a concurrent one leaves it alone.
Only a qms dossier is replaced: a folder whose manifest carries DOSSIER_MARKER, an empty folder, or the
repository's own output/ folder (git-ignored, generated); anything else is refused and nothing deleted.
Every file named from a record ID goes through generator.paths, so an ID cannot lead out of the dossier.
Deterministic: nothing carries the wall-clock time, so the same records at the same commit give the
same bytes, manifest included (PDFs from --pdf excepted: LibreOffice stamps its own dates).
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import html
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from .. import __version__
from ..findings import QmsError
from ..paths import name as file_name
from .document import DocumentSet, History, no_history
from .dossier_index import INDEX_DOCX, SECTIONS, TOP, Contents, heading_of, section_of

MANIFEST = "manifest.json"
INDEX = "index.html"
FINDINGS = "findings.json"
AUDIT_TRAIL = "audit_trail.xlsx"
MANIFEST_FORMAT = 1
# manifest.json's "dossier" key: the mark that qms wrote this folder and may replace it.
DOSSIER_KEY, DOSSIER_MARKER = "dossier", "qms-generator dossier"
DEVICE, INFORMATION, DESIGN_MANUFACTURING, GSPR, RISK, VV, PMS = (s.folder for s in SECTIONS)
_CHUNK = 1 << 20


# --- git ------------------------------------------------------------------------------------------------

# Where a repository's records live: a change here (an untracked file included) means a generated document
# is not the commit's. Generated folders (output/) and caches are git-ignored and never count.
RECORD_FOLDERS = ("records", "specs", "protocols")
_NOT_SOURCES = (":(exclude)output", ":(exclude).qms-cache", ":(exclude).qms.lock")


@dataclass(frozen=True)
class GitState:
    """What a generated document is generated from: the HEAD commit, and what of the work tree is not in it.

    `records` counts the files under records/, specs/ and protocols/ that differ from HEAD (staged, not
    staged or untracked), `other` the other tracked files that differ; `dirty` is None outside git.
    """

    commit: str
    dirty: bool | None
    records: int = 0
    other: int = 0

    def __iter__(self) -> Any:  # `commit, dirty = git_state(root)`
        return iter((self.commit, self.dirty))

    @property
    def changes(self) -> str:
        """"uncommitted changes to 2 record files", "" when clean."""
        if not self.dirty:
            return ""
        parts = [f"{n} {what} file{'' if n == 1 else 's'}" for n, what in ((self.records, "record"),
                                                                          (self.other, "other")) if n]
        return "uncommitted changes to " + (" and ".join(parts) or "the work tree")

    @property
    def source(self) -> str:
        """The commit as a document names its source: "abc123… plus uncommitted changes to 2 record files"."""
        return f"{self.commit} plus {self.changes}" if self.dirty else self.commit


def _status(root: Path, *args: str) -> list[str] | None:
    """The NUL-separated entries of `git status --porcelain=v2 -z ARGS` in `root`; None when git fails."""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C")  # read only: never refresh the index
    try:
        proc = subprocess.run(["git", "status", "--porcelain=v2", "-z", *args], cwd=root, capture_output=True,
                              env=env, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    entries, out = proc.stdout.decode("utf-8", "surrogateescape").split("\0"), []
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if entry:
            out.append(entry)
            if entry.startswith("2 "):
                i += 1  # a rename's or copy's original path
    return out


def git_state(root: Path) -> GitState:
    """The HEAD commit of the repository holding `root` and what of its work tree is not committed.

    Dirty means a tracked file differs from HEAD (staged or not), outside output/ and the caches, or a
    file under records/, specs/ or protocols/ is untracked (a new record is loaded but is in no commit).
    Outside git: GitState("unknown", None).
    """
    tracked = _status(root, "--branch", "--untracked-files=no", "--", ":/", *_NOT_SOURCES)
    if tracked is None:
        return GitState("unknown", None)
    commit = "unknown"
    for entry in tracked:
        if entry.startswith("# branch.oid "):
            oid = entry.split()[2]
            commit = oid if oid != "(initial)" else "unknown"
    changed = sum(1 for entry in tracked if not entry.startswith("#"))
    present = [f for f in RECORD_FOLDERS if (root / f).is_dir()]
    records = 0
    if present:
        found = _status(root, "--untracked-files=all", "--", *present)
        records = sum(1 for entry in (found or ()) if not entry.startswith(("#", "!")))
        changed -= sum(1 for entry in (found or ()) if not entry.startswith(("#", "!", "?")))
    return GitState(commit, records > 0 or changed > 0, records, max(changed, 0))


# --- hashing, manifest, verify ---------------------------------------------------------------------------

def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def files_under(folder: Path) -> list[str]:
    """Every regular file under `folder` as a POSIX relative path, sorted (the manifest excluded)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in filenames:
            rel = (Path(dirpath) / name).relative_to(folder).as_posix()
            if rel != MANIFEST:
                found.append(rel)
    return sorted(found)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of the dossier in `folder`; QmsError (exit 2) when it is missing or not a manifest."""
    path = folder / MANIFEST
    if not folder.is_dir():
        raise QmsError(f"{folder} is not a folder: nothing to verify (run `qms build`)")
    if not path.is_file():
        raise QmsError(f"{path} is missing: {folder} is not a dossier written by `qms build`")
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise QmsError(f"{path} is corrupt: not valid JSON ({err})") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, list):
        raise QmsError(f"{path} is corrupt: it has no 'files' list")
    for i, entry in enumerate(files):
        ok = (isinstance(entry, dict) and isinstance(entry.get("path"), str) and isinstance(entry.get("sha256"), str)
              and isinstance(entry.get("size"), int))
        rel = entry.get("path") if ok else None
        if not ok or not rel or rel.startswith("/") or ".." in rel.split("/") or "\\" in rel:
            raise QmsError(f"{path} is corrupt: files[{i}] is not a {{path, sha256, size}} entry inside the dossier")
    return manifest


@dataclass
class Verification:
    folder: Path
    checked: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.added or self.changed or self.missing)

    def as_json(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "clean": self.clean, "checked": self.checked,
                "added": self.added, "changed": self.changed, "missing": self.missing}


def verify_dossier(folder: Path) -> Verification:
    manifest = read_manifest(folder)
    listed = {e["path"]: e for e in manifest["files"]}
    present = set(files_under(folder))
    result = Verification(folder)
    for rel in sorted(listed):
        path = folder / rel
        if rel not in present:
            result.missing.append(rel)
            continue
        result.checked += 1
        entry = listed[rel]
        if path.is_symlink() or not path.is_file():  # a dossier holds regular files; a link may lead anywhere
            result.changed.append(rel)
        elif path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            result.changed.append(rel)
    result.added = sorted(present - set(listed))
    return result


# --- the build ------------------------------------------------------------------------------------------

@dataclass
class Built:
    out: Path
    files: list[dict[str, Any]]
    errors: int
    warnings: int
    waived: int
    commit: str
    dirty: bool | None
    notes: list[str]
    protocols: dict[str, str] = field(default_factory=dict)  # automated protocol -> pass | fail | not run

    @property
    def failed_protocols(self) -> list[str]:
        return sorted(p for p, result in self.protocols.items() if result != "pass")

    @property
    def releasable(self) -> bool:
        return self.errors == 0 and not self.failed_protocols

    def as_json(self) -> dict[str, Any]:
        return {"out": str(self.out), "releasable": self.releasable, "errors": self.errors,
                "warnings": self.warnings, "waived": self.waived, "files": len(self.files),
                "commit": self.commit, "dirty": self.dirty, "protocols": self.protocols, "notes": self.notes}


def _json_bytes(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)  # inside the private temporary folder: the folder rename is the atomic step


def is_dossier(folder: Path) -> bool:
    """Whether `folder` holds a dossier qms wrote: a manifest.json carrying the dossier marker."""
    try:
        manifest = json.loads((folder / MANIFEST).read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get(DOSSIER_KEY) == DOSSIER_MARKER


# Where commands other than `qms build` write by default: beside the dossier, never in it (git-ignored).
WORK = "qms-work"


def outside_dossier(path: Path, root: Path | None, what: str = "--out") -> Path:
    """`path`, refused (QmsError, exit 2, nothing written) when it lies in a dossier folder: one whose
    manifest.json carries the dossier marker, or the repository's own output/. The dossier belongs to
    `qms build` alone; a file written into it fails `qms verify` and goes with the next build."""
    resolved = Path(os.path.abspath(path)).resolve()
    output = (root / "output").resolve() if root is not None else None
    for folder in (resolved, *resolved.parents):
        if folder == output or is_dossier(folder):
            raise QmsError(f"{what} {path} is inside the dossier folder {folder}, which only `qms build` writes; "
                           + (f"choose a folder outside it (the default is {root / WORK})" if root is not None
                              else "choose a folder outside it"))
    return path


def check_target(out: Path, default: Path) -> None:
    """Refuse (QmsError, exit 2, nothing deleted) an --out that is not ours to replace: a file, a symbolic
    link, or a non-empty folder whose manifest.json lacks the dossier marker. The repository's default
    output/ folder is excepted: it holds only generated files, dossiers built before the marker included."""
    if out.is_symlink():
        raise QmsError(f"--out {out} is a symbolic link; give the folder itself")
    if out.exists() and not out.is_dir():
        raise QmsError(f"--out {out} exists and is not a folder")
    if not out.is_dir() or out.resolve() == default.resolve() or is_dossier(out):
        return
    try:
        empty = not any(out.iterdir())
    except OSError as err:
        raise QmsError(f"--out {out} cannot be read: {err.strerror or err}") from None
    if not empty:
        found = "a manifest.json without the qms dossier marker" if (out / MANIFEST).exists() else f"no {MANIFEST}"
        raise QmsError(f"--out {out} is a non-empty folder that is not a dossier written by qms ({found}); "
                       "nothing was deleted: choose an empty or new folder")


def _prefixes(out: Path) -> tuple[str, str]:
    return f".{out.name}.build-", f".{out.name}.old-"


def _private_folder(parent: Path, prefix: str) -> tuple[Path, int]:
    """A new folder beside the target, locked (flock) for as long as this build lives: the fd to close."""
    while True:
        path = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.path.samestat(os.fstat(fd), os.stat(path)):
                return path, fd
        except FileNotFoundError:
            pass  # another build took it for a killed build's between mkdtemp and flock: make another
        os.close(fd)


def remove_stale(out: Path) -> None:
    """Remove the temporary folders killed builds left beside `out` (those no live build holds locked);
    a previous dossier that a build killed mid-swap had set aside goes back to `out` first."""
    build, old = _prefixes(out)
    try:
        entries = sorted(p for p in out.parent.iterdir() if p.name.startswith((build, old)))
    except OSError:
        return
    for entry in entries:
        try:
            fd = os.open(entry, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            continue  # not a folder (or gone): not ours
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live build's
            kept = entry / "dossier"
            if entry.name.startswith(old) and kept.is_dir() and not out.exists() and not out.is_symlink():
                os.replace(kept, out)
            shutil.rmtree(entry)
        finally:
            os.close(fd)


def _swap_into_place(tmp: Path, out: Path) -> None:
    """Rename the finished dossier `tmp` to `out`, replacing the previous one only now."""
    if out.exists():
        old, fd = _private_folder(out.parent, _prefixes(out)[1])
        try:
            os.replace(out, old / "dossier")
            try:
                os.replace(tmp, out)
            except BaseException:
                os.replace(old / "dossier", out)  # put the previous dossier back
                raise
            shutil.rmtree(old, ignore_errors=True)
        finally:
            os.close(fd)
    else:
        os.replace(tmp, out)


_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)


def cannot_write(out: Path, err: OSError) -> QmsError:
    """The error (exit 2) for a build that the file system stopped: the path, the cause, what to do."""
    where = err.filename or out
    if err.errno in _FULL:
        todo = f"free space on the disk holding {out.parent}, or build elsewhere with --out"
    elif err.errno in _READ_ONLY:
        todo = f"make {out.parent} writable, or build elsewhere with --out"
    else:
        todo = "check that folder, or build elsewhere with --out"
    return QmsError(f"cannot write the dossier {out}: {err.strerror or err} ({where}); {todo}. "
                    "The previous dossier, if any, is unchanged")


def build_dossier(root: Path, loaded: Any, records: Any, as_of: dt.date, out: Path, *, pdf: bool = False,
                  step: Callable[[str], None] = lambda _: None, git: bool = True, protocols: bool = True) -> Built:
    """Render the whole dossier into `out` (see the module docstring); `step(label)` reports progress.

    With `git`, what the history knows goes in: each controlled document's revision history (the commits
    that changed its source records), the audit trail workbook, and the approvals' commit signatures and
    authorship for the integrity rules. With `protocols`, the automated (self-validation) protocols are
    executed and their evidence joins the dossier; PQ-002's own test builds turn it off."""
    default = root / "output"
    check_target(out, default)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(out)
        tmp, held = _private_folder(out.parent, _prefixes(out)[0])
    except OSError as err:
        raise cannot_write(out, err) from None
    try:
        built = _render_all(root, loaded, records, as_of, tmp, pdf, step, git, protocols)
        os.chmod(tmp, 0o777 & ~_umask())
        check_target(out, default)  # the folder may have changed while the dossier was rendered
        _swap_into_place(tmp, out)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise cannot_write(out, err) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        os.close(held)
    built.out = out
    return built


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


STEPS = ("history", "validate", "device", "design-manufacturing", "risk", "verification-validation", "validation",
         "post-market", "pdf", "index", "manifest")


def _render_all(root: Path, loaded: Any, records: Any, as_of: dt.date, d: Path, pdf: bool,
                step: Callable[[str], None], use_git: bool, run_protocols: bool) -> Built:
    from ..analysis import once
    from ..analysis.fmea import analyse_fmea
    from ..analysis.kpi import kpis
    from ..analysis.risk import analyse_risk
    from ..analysis.suppliers import scorecard
    from ..model import KINDS
    from ..render import capa as capa_doc
    from ..render.change_record import change_document
    from ..render.dossier_index import device_description, index_document, information_supplied
    from ..render.docx import template_font_notes
    from ..render.fmea_report import DOCX_NAME as FMEA_DOCX, fmea_document
    from ..render.heatmap import write_heatmap
    from ..render.kpi import DOCX_NAME as KPI_DOCX, XLSX_NAME as KPI_XLSX, review_document, review_workbook
    from ..render.xlsx import save_workbook
    from ..render.risk_report import PLAN_NAME, REPORT_NAME, plan_summary, risk_report
    from ..render.risk_xlsx import write_risk_register
    from ..render.supplier_report import DOCX_NAME as SUPPLIER_DOCX, supplier_document
    from ..render.trace_doc import DOCX_NAME as TRACE_DOCX, trace_document
    from ..render.trace_xlsx import write_trace_workbook
    from ..rules import check
    from ..rules.trace import traced

    notes: list[str] = []
    state = git_state(root)
    commit, dirty = state.commit, state.dirty
    step("history")
    history, facts, trail = _from_git(root, records, notes) if use_git else (no_history, None, None)
    documents = DocumentSet.for_records(records, effective=as_of, commit=state.source, history=history, root=root)
    notes.extend(template_font_notes(documents.template))
    contents = Contents()
    drawn_on: set[str] = set()

    def named(record_id: str) -> str:
        """A record ID as a file name in the dossier, refused (exit 2) when it would leave its folder."""
        source = records.sources.get(record_id)
        return file_name(record_id, f"{source.at(('id',))}: record ID" if source is not None else "record ID")

    def save(rel: str, document: Any, description: str) -> None:
        _write(d / rel, document.to_bytes())
        contents.add_document(rel, description, document)
        drawn_on.update(document.records)

    step("validate")
    report = check(records, loaded.findings, as_of, loaded.exports, git=facts)
    documents.disregard(report.findings)  # an approval the integrity rules fault releases no document
    _write(d / FINDINGS, _json_bytes({
        "as_of": as_of.isoformat(),
        "summary": {"errors": report.errors, "warnings": report.warnings, "waived": len(report.waived),
                    "records": len(records),
                    "kinds": {kind: len(records.of_kind(kind)) for kind in sorted(KINDS)}},
        "findings": [f.as_json() for f in report.findings],
        "waived": [f.as_json() for f in report.waived],
    }))
    contents.add(FINDINGS, "Validation findings (qms validate) and the waived ones")
    if trail is not None:
        from ..render.audit_trail import write_audit_trail

        write_audit_trail(trail, d / AUDIT_TRAIL, records.of_kind("user"))
        contents.add(AUDIT_TRAIL, "Audit trail: every change to every record, field by field, from git")

    step("device")
    save(f"{DEVICE}/device_description.docx", device_description(documents),
         "Device description and specification, from qms.yaml")
    labelling = information_supplied(records, documents)
    if labelling is not None:
        save(f"{INFORMATION}/information_supplied.docx", labelling, "Labels and instructions for use under control")

    step("design-manufacturing")
    for change in records.of_kind("change"):
        save(f"{DESIGN_MANUFACTURING}/change-control/{named(change.id)}.docx",
             change_document(records, change, documents),
             f"Change control record {change.id}: {change.title}")
    card = scorecard(records, as_of)
    suppliers = d / DESIGN_MANUFACTURING / "suppliers"
    if card.policy is None:
        notes.append("suppliers: no supplier policy in force, so no scorecard (add specs/policies/POL-SUPPLIER.yaml)")
    else:
        from ..render.supplier_scorecard import WORKBOOK, chart_name, write_outputs as write_suppliers

        for s in card.suppliers:
            named(s.supplier)  # each names its trend chart
        suppliers.mkdir(parents=True)
        save(f"{DESIGN_MANUFACTURING}/suppliers/{SUPPLIER_DOCX}", supplier_document(records, card, documents),
             "Supplier evaluation report")
        write_suppliers(card, suppliers)
        contents.add(f"{DESIGN_MANUFACTURING}/suppliers/{WORKBOOK}", "Supplier scorecard workbook")
        for s in card.suppliers:
            contents.add(f"{DESIGN_MANUFACTURING}/suppliers/{chart_name(s)}", f"Score trend of {s.supplier} {s.title}")
        _write(suppliers / "suppliers.json", _json_bytes(card.as_json()))
        contents.add(f"{DESIGN_MANUFACTURING}/suppliers/suppliers.json", "Supplier scorecard (JSON)")

    step("risk")
    risk = once(analyse_risk, records)
    fmea = once(analyse_fmea, records)
    risk_findings = check(records, (), as_of, area="risk")  # the risk rules' findings, as `qms risk` reports them
    r = d / RISK
    r.mkdir()
    save(f"{RISK}/{PLAN_NAME}", plan_summary(records, risk, documents), "Risk management plan summary")
    save(f"{RISK}/{REPORT_NAME}", risk_report(records, risk, risk_findings.findings, documents),
         "Risk management report (ISO 14971:2019 clause 9)")
    save(f"{RISK}/{FMEA_DOCX}", fmea_document(fmea, documents), "FMEA report")
    write_risk_register(risk, r / "risk_register.xlsx", fmea, documents.names)
    contents.add(f"{RISK}/risk_register.xlsx", "Risk register workbook")
    for which in ("initial", "residual"):
        write_heatmap(risk, which, r / f"heatmap_{which}.png")
        contents.add(f"{RISK}/heatmap_{which}.png", f"Heat map of {which} risk")
    risk_doc: dict[str, Any] = risk.as_json()
    risk_doc["fmea"] = fmea.as_json()
    risk_doc["findings"] = [f.as_json() for f in risk_findings.findings]
    risk_doc["waived"] = [f.as_json() for f in risk_findings.waived]
    _write(r / "risk.json", _json_bytes(risk_doc))
    contents.add(f"{RISK}/risk.json", "Risk analysis, FMEA and risk findings (JSON)")

    step("verification-validation")
    trace = traced(records)
    (d / VV).mkdir()
    save(f"{VV}/{TRACE_DOCX}", trace_document(trace, documents), "Design traceability matrix")
    write_trace_workbook(trace, d / VV / "trace_matrix.xlsx")
    contents.add(f"{VV}/trace_matrix.xlsx", "Design traceability matrix workbook")
    _write(d / VV / "trace.json", _json_bytes(trace.as_json()))
    contents.add(f"{VV}/trace.json", "Trace matrix, coverage and gaps (JSON)")

    step("validation")
    executed = _protocols(root, loaded, records, as_of, d, documents, save, contents, notes, commit, dirty,
                          run_protocols, named)

    step("post-market")
    pms = d / PMS
    (pms / "capa").mkdir(parents=True)
    for capa in records.of_kind("capa"):
        save(f"{PMS}/capa/{named(capa.id)}.docx", capa_doc.capa_document(records, capa, documents),
             f"CAPA report {capa.id}: {capa.title}")
    kpi = kpis(records, as_of, None)
    save(f"{PMS}/{KPI_DOCX}", review_document(kpi, documents),
         f"Management review input {kpi.period.label} (ISO 13485 5.6.2)")
    save_workbook(review_workbook(kpi), pms / KPI_XLSX)
    contents.add(f"{PMS}/{KPI_XLSX}", "Quality KPIs workbook")
    _write(pms / "kpi.json", _json_bytes(kpi.as_json()))
    contents.add(f"{PMS}/kpi.json", "Quality KPIs (JSON)")

    step("pdf")
    if pdf:
        notes.extend(convert_pdfs(d))
        for rel in files_under(d):
            if rel.endswith(".pdf"):
                source = contents.describe(rel[:-4] + ".docx")
                contents.add(rel, f"PDF of {source[0] or rel[:-4] + '.docx'}")

    errors = report.errors
    failed = sorted(p for p, result in executed.items() if result != "pass")
    releasable = errors == 0 and not failed
    why_not = "; ".join(x for x in ("validation has errors (see findings.json)" if errors else "",
                                     f"protocol(s) {', '.join(failed)} did not pass" if failed else "") if x)
    step("index")
    config = loaded.config
    status = [("As of", as_of), ("Repository commit", commit + (f" plus {state.changes}" if dirty else "")),
              ("Generator", f"qms-generator {__version__}"),
              ("Validation", f"{report.errors} error(s), {report.warnings} warning(s), {len(report.waived)} waived"),
              ("Self-validation", _protocol_line(executed)),
              ("Release", "releasable" if releasable else f"NOT RELEASABLE: {why_not}")]
    contents.add_document(INDEX_DOCX, "This index", documents.control("dossier", 1))
    contents.add(INDEX, "This index as a web page, linking every file")
    contents.add(MANIFEST, "Every file with its SHA-256 and size, the generator version and the git commit")
    index_pdf = INDEX_DOCX[:-5] + ".pdf" if pdf and soffice() is not None else None  # converted once written
    if index_pdf:
        contents.add(index_pdf, "PDF of this index")
    listed = sorted({*files_under(d), INDEX_DOCX, INDEX, MANIFEST, *([index_pdf] if index_pdf else [])})
    save(INDEX_DOCX, index_document(documents, contents, listed, status, drawn_on), "This index")
    if index_pdf:
        convert_pdfs(d, [d / INDEX_DOCX])
    page = index_html(d, config, as_of, commit, state.changes if dirty else dirty, report, notes, contents, executed)
    _write(d / INDEX, page.encode("utf-8"))

    step("manifest")
    files = [{"path": rel, "sha256": sha256_of(d / rel), "size": (d / rel).stat().st_size,
              **({"document": contents.controlled(rel)} if contents.controlled(rel) else {})}
             for rel in files_under(d)]
    manifest = {
        DOSSIER_KEY: DOSSIER_MARKER,
        "format": MANIFEST_FORMAT,
        "generator": {"name": "qms-generator", "version": __version__},
        "repository": {"commit": commit, "dirty": dirty, **({"changes": state.changes} if dirty else {})},
        "as_of": as_of.isoformat(),
        "releasable": releasable,
        "status": "releasable" if releasable else f"not releasable: {why_not}",
        "validation": {"errors": errors, "warnings": report.warnings, "waived": len(report.waived)},
        "protocols": executed,
        "notes": notes,
        "files": files,
    }
    _write(d / MANIFEST, _json_bytes(manifest))
    return Built(d, files, errors, report.warnings, len(report.waived), commit, dirty, notes, executed)


def _protocol_line(executed: dict[str, str]) -> str:
    if not executed:
        return "no automated protocols executed"
    return ", ".join(f"{p} {result.upper()}" for p, result in sorted(executed.items()))


def _from_git(root: Path, records: Any, notes: list[str]) -> tuple[History, Any, Any]:
    """Revision histories, the integrity rules' git facts and the audit trail, or none outside git."""
    from ..gitio.history import audit_trail
    from ..gitio.signatures import collect
    from .revisions import git_history

    facts = collect(root, records)
    if facts is None:
        notes.append("history: not a git repository, so no revision histories, audit trail or signature checks")
        return no_history, None, None
    try:
        trail = audit_trail(root)
    except QmsError as err:
        notes.append(f"history: {err}")
        return no_history, facts, None
    return git_history(root, {rid: src.file for rid, src in records.sources.items()}), facts, trail


def _protocols(root: Path, loaded: Any, records: Any, as_of: dt.date, d: Path, documents: Any,
               save: Callable[[str, Any, str], None], contents: Any, notes: list[str], commit: str,
               dirty: bool | None, run: bool, named: Callable[[str], str]) -> dict[str, str]:
    """Every protocol for approval; the automated ones executed, with evidence; the validation summary."""
    from ..validation.execute import EVIDENCE, NotReady, run_protocol, sample_justification, summary_rows
    from .protocol_doc import protocol_document, summary_document

    live = sorted((p for p in records.of_kind("protocol") if not p.retired), key=lambda p: p.id)
    if not live:
        return {}
    folder = f"{VV}/protocols"
    results: dict[str, str] = {}
    evidence: dict[str, dict[str, Any]] = {}
    for protocol in live:
        named(protocol.id)  # names its document and its evidence folder
        files = loaded.exports.get(protocol.id)
        save(f"{folder}/{protocol.id}-protocol.docx",
             protocol_document(documents, records, protocol, files, sample_justification(protocol)[1]),
             f"{protocol.id} protocol: {protocol.title}")
        if not (run and protocol.automated):
            continue
        try:
            done = run_protocol(root, records, protocol, files, date=as_of, out=d / folder / protocol.id,
                                commit=commit, clean=None if dirty is None else not dirty, docs=documents)
        except (NotReady, QmsError) as err:
            results[protocol.id] = "not run"
            notes.append(f"validation: {protocol.id} was not executed: {err}")
            continue
        results[protocol.id] = done.evidence["result"]
        evidence[protocol.id] = done.evidence
        contents.add(f"{folder}/{protocol.id}/{EVIDENCE}", f"{protocol.id} executed: evidence (JSON)")
        save(f"{folder}/{protocol.id}/{done.report_name}", done.report, f"{protocol.id} executed protocol and result")
        if done.evidence["result"] != "pass":
            notes.append(f"validation: {protocol.id} FAILED steps {', '.join(done.evidence['summary']['failed_steps'])}"
                         f" (see {folder}/{protocol.id}/{done.report_name})")
    save(f"{VV}/validation_summary.docx", summary_document(documents, records, summary_rows(records, evidence)),
         "Validation summary report: every protocol, its latest execution and open deviations")
    return results


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_pdfs(d: Path, only: list[Path] | None = None) -> list[str]:
    """Convert every .docx (or those in `only`) to PDF beside it with LibreOffice; notes for the manifest
    and the user."""
    exe = soffice()
    if exe is None:
        return ["pdf: LibreOffice is not installed (no soffice on PATH), so no PDFs were written"]
    chosen = sorted(only if only is not None else d.rglob("*.docx"))
    folders = sorted({p.parent for p in chosen})
    with tempfile.TemporaryDirectory(prefix="qms-soffice-") as profile:
        for folder in folders:
            docs = sorted(str(p) for p in chosen if p.parent == folder)
            try:
                proc = subprocess.run([exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                                       "--convert-to", "pdf", "--outdir", str(folder), *docs],
                                      capture_output=True, text=True, timeout=600)
            except (OSError, subprocess.SubprocessError) as err:
                raise QmsError(f"LibreOffice could not convert the Word files to PDF: {err}") from None
            missing = [p for p in docs if not Path(p).with_suffix(".pdf").is_file()]
            if proc.returncode != 0 or missing:
                raise QmsError(f"LibreOffice could not convert {len(missing) or len(docs)} Word file(s) to PDF "
                               f"(exit {proc.returncode}): {proc.stderr.strip()[:300]}")
    return ["pdf: PDFs written by LibreOffice carry its own creation time, so they differ between builds"]


def _file_list(d: Path, rels: list[str], contents: Contents) -> list[str]:
    esc = html.escape
    lines = ["<ul>"]
    for rel in rels:
        description = contents.describe(rel)[0]
        size = "" if rel in (INDEX, MANIFEST) else f" ({(d / rel).stat().st_size:,} bytes)"
        label = " — ".join(x for x in (contents.standing(rel), description) if x)
        lines.append(f'<li><a href="{esc(quote(rel))}">{esc(rel)}</a>{size}{" — " + esc(label) if label else ""}</li>')
    lines.append("</ul>")
    return lines


def index_html(d: Path, config: Any, as_of: dt.date, commit: str, dirty: bool | str | None, report: Any,
               notes: list[str], contents: Contents | None = None, executed: dict[str, str] | None = None) -> str:
    esc = html.escape
    company = getattr(getattr(config, "company", None), "name", None) or ""
    device = getattr(getattr(config, "device", None), "name", None) or ""
    title = " — ".join(x for x in ("Quality dossier", company, device) if x)
    failed = sorted(p for p, result in (executed or {}).items() if result != "pass")
    releasable = report.errors == 0 and not failed
    status = ("Releasable: validation found no errors" + (" and every self-validation protocol passed"
                                                          if executed else "") if releasable else
              "NOT RELEASABLE: " + "; ".join(x for x in (
                  f"validation found {report.errors} error(s) — see findings.json" if report.errors else "",
                  f"protocol(s) {', '.join(failed)} did not pass" if failed else "") if x))
    rows = sorted({*files_under(d), INDEX, MANIFEST})
    lines = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">', f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 8px;text-align:left}"
        ".bad{color:#C00000;font-weight:bold}.ok{color:#006100}.empty{color:#595959}code{font-size:90%}</style>",
        "</head>", "<body>", f"<h1>{esc(title)}</h1>",
        f'<p class="{"ok" if releasable else "bad"}">{esc(status)}</p>',
        "<table>",
        f"<tr><th>As of</th><td>{esc(as_of.isoformat())}</td></tr>",
        f"<tr><th>Repository commit</th><td><code>{esc(commit)}</code>"
        f"{' plus ' + esc(dirty) if isinstance(dirty, str) else ' (working tree has uncommitted changes)' if dirty else ''}"
        "</td></tr>",
        f"<tr><th>Generator</th><td>qms-generator {esc(__version__)}</td></tr>",
        f"<tr><th>Validation</th><td>{report.errors} error(s), {report.warnings} warning(s), "
        f"{len(report.waived)} waived</td></tr>",
        f"<tr><th>Self-validation</th><td>{esc(_protocol_line(executed or {}))}</td></tr>",
        "</table>",
    ]
    if notes:
        lines.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    contents = contents or Contents()
    groups: dict[str, list[str]] = {}
    for rel in rows:
        groups.setdefault(section_of(rel).folder, []).append(rel)
    lines.append(f"<h2>{esc(TOP.title)}</h2>")
    lines += _file_list(d, groups.get("", []), contents)
    for section in SECTIONS:
        lines.append(f"<h2>{esc(heading_of(section))}</h2>")
        if section.folder in groups:
            lines += _file_list(d, groups[section.folder], contents)
        else:
            lines.append(f'<p class="empty">No content in this repository. Filled by: {esc(section.fills)}.</p>')
    lines += ["</body>", "</html>", ""]
    return "\n".join(lines)

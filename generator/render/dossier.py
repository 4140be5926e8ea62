"""The dossier (`qms build`): every section rendered from one loaded repository, an index and a manifest.

The sections and the producers that fill them are a declared table (render.dossier_sections): the build
loads and validates once, runs each producer in table order and writes what it yields, then the PDFs,
the index (grouped by the same sections) and the manifest. Layout (all paths relative to the dossier
folder), after the EU MDR technical documentation (Annex II sections 1-6, Annex III):

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
section folder is not created (a folder exists only for the files written into it): the index says
which records would fill it.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .. import __version__
from ..findings import QmsError
from ..gitio.state import git_state
from .contents_pages import contents_labels, heading_pages, pdf_pages, pdftotext, write_pages
from .document import DocumentSet, History, no_history
from .dossier_index import INDEX_DOCX, Contents
from .dossier_sections import SECTIONS, TOP, heading_of, producers, section_of
from .names import Names
from .numbers import REGISTER, register_findings
from .producers import Context, json_bytes

if TYPE_CHECKING:
    from ..config import RepoConfig
    from ..load.repo import Loaded
    from ..model.raw import JsonObject, RawMapping
    from ..recordset import RecordSet
    from ..rules import Report

MANIFEST = "manifest.json"
INDEX = "index.html"
MANIFEST_FORMAT = 1
# manifest.json's "dossier" key: the mark that qms wrote this folder and may replace it.
DOSSIER_KEY, DOSSIER_MARKER = "dossier", "qms-generator dossier"
_CHUNK = 1 << 20


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


def read_manifest(folder: Path) -> RawMapping:
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

    def as_json(self) -> JsonObject:
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
    unapproved: list[str] = field(default_factory=list)  # documents the release policy names that are not approved

    @property
    def failed_protocols(self) -> list[str]:
        return sorted(p for p, result in self.protocols.items() if result != "pass")

    @property
    def releasable(self) -> bool:
        return self.errors == 0 and not self.failed_protocols and not self.unapproved

    def as_json(self) -> JsonObject:
        return {"out": str(self.out), "releasable": self.releasable, "errors": self.errors,
                "warnings": self.warnings, "waived": self.waived, "files": len(self.files),
                "commit": self.commit, "dirty": self.dirty, "protocols": self.protocols, "notes": self.notes,
                **({"unapproved_documents": self.unapproved} if self.unapproved else {})}


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


def build_dossier(root: Path, loaded: Loaded, records: RecordSet, as_of: dt.date, out: Path, *, pdf: bool = False,
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


# The progress bar's steps: git history and validation, then every producer of the declared table, then the
# PDFs, the index and the manifest, which read what the producers returned.
STEPS = ("history", *(producer.name for _, producer in producers()), "pdf", "index", "manifest")


def _render_all(root: Path, loaded: Loaded, records: RecordSet, as_of: dt.date, d: Path, pdf: bool,
                step: Callable[[str], None], use_git: bool, run_protocols: bool) -> Built:
    from ..render.docx import template_font_notes
    from ..render.dossier_index import index_document
    from ..rules import check

    notes: list[str] = []
    state = git_state(root)
    commit, dirty = state.commit, state.dirty
    step("history")
    history, facts, trail = _from_git(root, records, notes) if use_git else (no_history, None, None)
    documents = DocumentSet.for_records(records, effective=as_of, commit=state.source, history=history, root=root)
    notes.extend(template_font_notes(documents.template))
    contents = Contents()
    drawn_on: set[str] = set()
    saved: dict[str, Any] = {}  # document number -> the controlled document written

    def save(rel: str, document: Any, description: str) -> None:
        _write(d / rel, document.to_bytes())
        saved[document.number] = document
        contents.add_document(rel, description, document, _shown_number(document.number, document.registered))
        drawn_on.update(document.records)

    report = check(records, [*loaded.findings, *register_findings(root, records)], as_of, loaded.exports, git=facts)
    documents.disregard(report.findings)  # an approval the integrity rules fault releases no document
    ctx = Context(root, loaded, records, as_of, documents, report, commit, dirty, trail, run_protocols, notes)
    for section, producer in producers():
        step(producer.name)
        here = d / section.folder
        for output in producer.make(ctx, here):
            rel = f"{section.folder}/{output.rel}" if section.folder else output.rel
            if output.document is not None:
                save(rel, output.document, output.description)
            else:
                if output.data is not None:
                    _write(d / rel, output.data)
                contents.add(rel, output.description)
    executed = ctx.executed

    step("pdf")
    if pdf:
        notes.extend(convert_pdfs(d))
        for rel in files_under(d):
            if rel.endswith(".pdf"):
                source = contents.describe(rel[:-4] + ".docx")
                contents.add(rel, f"PDF of {source[0] or rel[:-4] + '.docx'}")

    errors = report.errors
    failed = sorted(p for p, result in executed.items() if result != "pass")
    unapproved = unapproved_documents(records, documents, saved)
    releasable = errors == 0 and not failed and not unapproved
    why_not = "; ".join(x for x in ("validation has errors (see findings.json)" if errors else "",
                                     f"protocol(s) {', '.join(failed)} did not pass" if failed else "",
                                     *unapproved) if x)
    step("index")
    config = loaded.config
    status = [("As of", as_of), ("Repository commit", commit + (f" plus {state.changes}" if dirty else "")),
              ("Generator", f"qms-generator {__version__}"),
              ("Validation", f"{report.errors} error(s), {report.warnings} warning(s), {len(report.waived)} waived"),
              ("Self-validation", _protocol_line(executed)),
              ("Release", "releasable" if releasable else f"NOT RELEASABLE: {why_not}")]
    contents.add_document(INDEX_DOCX, "This index", documents.control("dossier", "index"),
                          _shown_number(documents.number("dossier", "index"),
                                        documents.numbers.registered("dossier", "index")))
    unregistered = documents.numbers.unregistered
    if unregistered:
        notes.append(f"numbers: {len(unregistered)} document(s) carry a provisional number that {REGISTER} does "
                     f"not hold ({', '.join(f'{k} {n}' for k, n in unregistered.items())}); run `qms numbers "
                     "assign` and commit the register")
    contents.add(INDEX, "This index as a web page, linking every file")
    contents.add(MANIFEST, "Every file with its SHA-256 and size, the generator version and the git commit")
    index_pdf = INDEX_DOCX[:-5] + ".pdf" if pdf and soffice() is not None else None  # converted once written
    if index_pdf:
        contents.add(index_pdf, "PDF of this index")
    listed = sorted({*files_under(d), INDEX_DOCX, INDEX, MANIFEST, *([index_pdf] if index_pdf else [])})
    save(INDEX_DOCX, index_document(documents, contents, listed, status, drawn_on), "This index")
    if index_pdf:
        convert_pdfs(d, [d / INDEX_DOCX])
    worklist = ctx.worklist()
    page = index_html(d, config, as_of, commit, state.changes if dirty else dirty, report, notes, contents, executed,
                      unapproved, worklist, Names(ctx.records))
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
        "obligations": worklist["counts"],
        **({"unapproved_documents": unapproved} if unapproved else {}),
        "notes": notes,
        **({"unregistered_numbers": unregistered} if unregistered else {}),
        "files": files,
    }
    _write(d / MANIFEST, json_bytes(manifest))
    return Built(d, files, errors, report.warnings, len(report.waived), commit, dirty, notes, executed, unapproved)


def unapproved_documents(records: RecordSet, documents: DocumentSet, saved: dict[str, Any]) -> list[str]:
    """Why the documents the release policy in force names stop a release: each one the dossier holds as a
    draft (no valid approval of its current content), or does not hold at all, by number and title."""
    from ..analysis.policies import in_force
    from ..model.policy import ReleasePolicy

    policy = in_force(records, ReleasePolicy)
    if policy is None:
        return []
    out = []
    for key in dict.fromkeys(policy.required_approvals):
        doc_type, _, subject = key.partition(":")
        number = documents.number(doc_type, subject)
        document = saved.get(number)
        if document is not None:
            approved, title = document.approved, document.title
        elif key == "dossier:index":  # written after the verdict it shows
            approved, title = documents.control(doc_type, subject).approved, "Technical documentation index"
        else:
            out.append(f"{number} ({key}), which {policy.id} requires approved, is not in this dossier")
            continue
        if not approved:
            out.append(f"{number} {title} is not approved ({policy.id} requires its approval)")
    return out


def _shown_number(number: str, registered: bool) -> str:
    return number if registered else f"{number} (provisional: not registered)"


def _protocol_line(executed: dict[str, str]) -> str:
    if not executed:
        return "no automated protocols executed"
    return ", ".join(f"{p} {result.upper()}" for p, result in sorted(executed.items()))


def _from_git(root: Path, records: RecordSet, notes: list[str]) -> tuple[History, Any, Any]:
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


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_pdfs(d: Path, only: list[Path] | None = None) -> list[str]:
    """Convert every .docx (or those in `only`) to PDF beside it with LibreOffice, then give each document's
    contents their page numbers from its PDF (render.contents_pages) and convert it again until the pages
    written are the pages the PDF shows; notes for the manifest and the user."""
    exe = soffice()
    if exe is None:
        return ["pdf: LibreOffice is not installed (no soffice on PATH), so no PDFs were written"]
    chosen = sorted(only if only is not None else d.rglob("*.docx"))
    notes = []
    with tempfile.TemporaryDirectory(prefix="qms-soffice-") as profile:
        _soffice_pdf(exe, Path(profile), chosen)
        if pdftotext() is None:
            notes.append("pdf: poppler's pdftotext is not installed, so the contents carry no page numbers")
        else:
            unsettled = _number_contents(exe, Path(profile), chosen)
            if unsettled:
                notes.append(f"pdf: the contents' page numbers of {', '.join(unsettled)} still moved after "
                             f"{CONTENTS_ROUNDS} conversions; check them against the pages")
    return [*notes, "pdf: PDFs written by LibreOffice carry its own creation time, so they differ between builds"]


CONTENTS_ROUNDS = 3  # conversions after the first: a page number that wraps a contents line can move a page


def _number_contents(exe: str, profile: Path, docs: list[Path]) -> list[str]:
    """Write each document's heading pages into its contents and reconvert the changed ones, until stable;
    the names of those still moving after CONTENTS_ROUNDS."""
    written: dict[Path, list[int | None]] = {}
    pending = list(docs)
    for _ in range(CONTENTS_ROUNDS):
        changed = []
        for docx in pending:
            pages = pdf_pages(docx.with_suffix(".pdf"))
            if pages is None:
                continue
            found = heading_pages(pages, contents_labels(docx))
            if found != written.get(docx, [None] * len(found)) and write_pages(docx, found):
                written[docx] = found
                changed.append(docx)
        if not changed:
            return []
        _soffice_pdf(exe, profile, changed)
        pending = changed
    return [p.name for p in pending
            if (pages := pdf_pages(p.with_suffix(".pdf"))) is not None
            and heading_pages(pages, contents_labels(p)) != written.get(p)]


def _soffice_pdf(exe: str, profile: Path, chosen: list[Path]) -> None:
    """Convert the Word files to PDF beside them, in as few LibreOffice runs as their names allow: starting
    LibreOffice costs more than converting a document, and one run writes into one folder, so each run converts
    files of distinct names into a staging folder and each PDF is then moved beside its Word file."""
    runs: list[dict[str, Path]] = []
    for docx in sorted(chosen):
        run = next((r for r in runs if docx.stem not in r), None)
        if run is None:
            runs.append(run := {})
        run[docx.stem] = docx
    for run in runs:
        with tempfile.TemporaryDirectory(prefix="qms-pdf-") as staging:
            docs = [str(p) for p in run.values()]
            try:
                proc = subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                                       "--convert-to", "pdf", "--outdir", staging, *docs],
                                      capture_output=True, text=True, timeout=300 + 60 * len(docs))
            except (OSError, subprocess.SubprocessError) as err:
                raise QmsError(f"LibreOffice could not convert the Word files to PDF: {err}") from None
            missing = [stem for stem in run if not (Path(staging) / f"{stem}.pdf").is_file()]
            if proc.returncode != 0 or missing:
                raise QmsError(f"LibreOffice could not convert {len(missing) or len(docs)} Word file(s) to PDF "
                               f"(exit {proc.returncode}): {proc.stderr.strip()[:300]}")
            for stem, docx in run.items():
                shutil.move(Path(staging) / f"{stem}.pdf", docx.with_suffix(".pdf"))


# The review portal's look: inline only, so index.html works offline from a copy of the folder.
_CSS = ("body{font-family:sans-serif;margin:2em;max-width:80em;color:#1a1a1a}"
        "td,th{padding:3px 8px;text-align:left;vertical-align:top}"
        "table.files{border-collapse:collapse;width:100%}table.files th{background:#1F3864;color:#fff}"
        "table.files td{border-bottom:1px solid #d0d0d0}table.files tr:nth-child(even) td{background:#f5f7fa}"
        "h2{border-bottom:2px solid #1F3864;padding-bottom:2px;margin-top:1.6em}"
        "nav ol{columns:2}nav li{margin:2px 0}"
        ".bad{color:#C00000;font-weight:bold}.ok{color:#006100}.empty{color:#595959;font-style:italic}"
        ".approved{color:#006100;font-weight:bold}.draft{color:#C00000;font-weight:bold}"
        ".muted{color:#595959;font-size:90%}code{font-size:90%}.nowrap{white-space:nowrap}"
        "@media print{nav{display:none}a{color:inherit}}")


def _anchor(section: Any) -> str:
    return f"s-{section.folder.split('-', 1)[0]}" if section.folder else "dossier"


def _approval_cell(control: dict[str, str]) -> str:
    if not control:
        return '<td class="muted">—</td>'
    if control["approval"] == "approved":
        return '<td class="approved">approved</td>'
    return '<td class="draft">DRAFT — not approved</td>'


def _file_table(d: Path, rels: list[str], contents: Contents) -> list[str]:
    """One row per file: the link (shown inside its section's folder), and for a controlled document its
    number, revision and approval state (— for other files); the one-line summary is the file's description."""
    esc = html.escape
    lines = ['<table class="files">', "<thead><tr><th>File</th><th>Number</th><th>Rev.</th><th>Approval</th>"
             "<th>Summary</th></tr></thead>", "<tbody>"]
    for rel in rels:
        description = contents.describe(rel)[0]
        control = contents.controlled(rel)
        size = "" if rel in (INDEX, MANIFEST) else f' <span class="muted">({(d / rel).stat().st_size:,} bytes)</span>'
        number = control.get("number") or contents.describe(rel)[1]
        shown = rel.split("/", 1)[1] if "/" in rel else rel  # the section's heading names its folder
        lines.append(f'<tr><td><a href="{esc(quote(rel))}">{esc(shown)}</a></td><td class="nowrap">{esc(number) or "—"}</td>'
                     f'<td>{esc(control.get("revision", "")) or "—"}</td>{_approval_cell(control)}'
                     f"<td>{esc(description)}{size}</td></tr>")
    lines += ["</tbody>", "</table>"]
    return lines


def _counts(rels: list[str], contents: Contents) -> str:
    states = [contents.controlled(rel)["approval"] for rel in rels if contents.controlled(rel)]
    documents = (f", {len(states)} controlled document(s): {states.count('approved')} approved, "
                 f"{len(states) - states.count('approved')} draft") if states else ""
    return f"{len(rels)} file(s){documents}" if rels else "no content"


def _worklist_html(worklist: dict[str, Any], names: Names) -> list[str]:
    """The open obligations' counts by area and by owner (by name), most overdue first (render.worklist's
    order)."""
    from .worklist import STATES, by_overdue, summary

    esc = html.escape
    out = ['<section id="obligations">', "<h2>Open obligations</h2>", f"<p>{esc(summary(worklist))}</p>"]
    for title, key in (("Area", "by_area"), ("Owner", "by_owner")):
        shown = str if key == "by_area" else (lambda k: k if k.startswith("(") else names.title(k))
        out.append("<table>")
        out.append(f"<tr><th>{title}</th>" + "".join(f"<th>{s.capitalize()}</th>" for s in STATES)
                   + "<th>Total</th></tr>")
        out += [f"<tr><td>{esc(shown(name))}</td>" + "".join(f"<td>{n.get(s, 0)}</td>" for s in STATES)
                + f"<td>{n['total']}</td></tr>" for name, n in by_overdue(worklist["counts"][key])]
        out.append("</table>")
    return [*out, "</section>"]


def index_html(d: Path, config: RepoConfig | None, as_of: dt.date, commit: str, dirty: bool | str | None,
               report: Report,
               notes: list[str], contents: Contents | None = None, executed: dict[str, str] | None = None,
               unapproved: Sequence[str] = (), worklist: dict[str, Any] | None = None,
               names: Names | None = None) -> str:
    """The review portal: the dossier's status, then every file by Annex II/III section (the declared table
    of render.dossier_sections), each controlled document with its number, revision and approval state.
    Relative links, inline CSS, no script: it works offline; the same dossier gives the same bytes."""
    esc = html.escape
    company = getattr(getattr(config, "company", None), "name", None) or ""
    device = getattr(getattr(config, "device", None), "name", None) or ""
    title = " — ".join(x for x in ("Quality dossier", company, device) if x)
    failed = sorted(p for p, result in (executed or {}).items() if result != "pass")
    releasable = report.errors == 0 and not failed and not unapproved
    status = ("Releasable: validation found no errors" + (" and every self-validation protocol passed"
                                                          if executed else "") if releasable else
              "NOT RELEASABLE: " + "; ".join(x for x in (
                  f"validation found {report.errors} error(s) — see findings.json" if report.errors else "",
                  f"protocol(s) {', '.join(failed)} did not pass" if failed else "", *unapproved) if x))
    rows = sorted({*files_under(d), INDEX, MANIFEST})
    lines = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">', f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>", "</head>", "<body>", f"<h1>{esc(title)}</h1>",
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
    everything = (TOP, *SECTIONS)
    lines += ['<nav aria-label="Sections">', "<h2>Sections</h2>", "<ol>"]
    lines += [f'<li><a href="#{_anchor(s)}">{esc(heading_of(s))}</a> <span class="muted">— '
              f"{esc(_counts(groups.get(s.folder, []), contents))}</span></li>" for s in everything]
    lines += ["</ol>", "</nav>"]
    for section in everything:
        lines += [f'<section id="{_anchor(section)}">', f"<h2>{esc(heading_of(section))}</h2>"]
        if section.folder in groups:
            if section.folder:
                lines.append(f'<p class="muted">Folder {esc(section.folder)}/</p>')
            lines += _file_table(d, groups[section.folder], contents)
        else:
            lines.append(f'<p class="empty">No content in this repository. Filled by: {esc(section.fills)}.</p>')
        lines.append("</section>")
    # The management view of what is owed (qms due's dashboard) after the dossier it does not belong to.
    if worklist is not None:
        lines += _worklist_html(worklist, names or Names())
    lines += ["</body>", "</html>", ""]
    return "\n".join(lines)

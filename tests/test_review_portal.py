"""The review portal (issue 17): index.html opened in headless Chromium, as a reviewer's browser renders it, walks
the dossier by EU MDR Annex II/III section; every link of the rendered DOM resolves to a file of the dossier (or an
anchor of the page), every section of the declared table has its heading, and each controlled document shows the
number, revision and approval state the manifest records."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from support import Built, clean_git_config  # noqa: F401 (clean_git_config is autouse)

from generator.render.dossier_sections import SECTIONS, TOP, heading_of


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (Debian package `chromium`, installed by .ci/run)")
        pytest.skip("chromium is not installed")
    return exe


class Dom(HTMLParser):
    """Links, anchors, section headings and table rows of the rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.h2: list[str] = []
        self.rows: list[list[str]] = []
        self.external: list[str] = []
        self._text: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"] or "")
        if tag in ("link", "script", "img", "iframe") and (a.get("href") or a.get("src")):
            self.external.append(a.get("href") or a.get("src") or "")
        if tag == "h2":
            self._text = []
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._text is not None:
            self.h2.append("".join(self._text))
            self._text = None
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        for sink in (self._text, self._cell):
            if sink is not None:
                sink.append(data)


@pytest.fixture(scope="module")
def portal(example_build: Built, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Dom]:
    exe = chromium()
    out = example_build.output  # built once per run (conftest), exit 0: read only
    profile = tmp_path_factory.mktemp("chromium")  # its own profile: no other Chromium of the run shares it
    dom = subprocess.run([exe, "--headless", "--disable-gpu", "--no-sandbox", f"--user-data-dir={profile}",
                          "--dump-dom", (out / "index.html").as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0 and "<h1>" in dom.stdout, dom.stderr[-2000:]
    parser = Dom()
    parser.feed(dom.stdout)
    return out, parser


def test_every_link_resolves_to_a_file_of_the_dossier(portal: tuple[Path, Dom]) -> None:
    out, dom = portal
    listed = {e["path"] for e in json.loads((out / "manifest.json").read_text())["files"]} | {"manifest.json"}
    files = [unquote(h) for h in dom.hrefs if not h.startswith("#")]
    anchors = [h[1:] for h in dom.hrefs if h.startswith("#")]
    assert not [h for h in files if ":" in h or h.startswith("/")], "links are relative"
    assert set(files) == listed  # every file is linked, and every link is a file of the dossier
    assert all((out / rel).is_file() for rel in files)
    assert anchors and all(a in dom.ids for a in anchors)
    assert dom.external == []  # offline: no stylesheet, script, font or picture fetched


def test_every_annex_section_has_its_heading(portal: tuple[Path, Dom]) -> None:
    _, dom = portal
    headings = [heading_of(s) for s in (TOP, *SECTIONS)]
    assert "7 Post-market surveillance (EU MDR Annex III)" in headings
    # then the open obligations (qms due's dashboard), after the dossier's own sections
    assert [h for h in dom.h2 if h != "Sections"] == [*headings, "Open obligations"]


def test_each_controlled_document_shows_number_revision_and_approval(portal: tuple[Path, Dom]) -> None:
    out, dom = portal
    manifest = json.loads((out / "manifest.json").read_text())
    controlled = {e["path"]: e["document"] for e in manifest["files"] if "document" in e}
    by_file = {r[0]: r for r in dom.rows if len(r) == 5 and r[0] != "File"}
    for rel, doc in controlled.items():
        shown = rel.split("/", 1)[1] if "/" in rel else rel
        row = by_file[shown]
        assert row[1:4] == [doc["number"], doc["revision"],
                            "approved" if doc["approval"] == "approved" else "DRAFT — not approved"], (rel, row)
    assert by_file["vigilance_log.docx"][1:4] == ["NWM-LOG-003", "A", "DRAFT — not approved"]
    assert by_file["vigilance_log.docx"][4].startswith("Vigilance log: every report to a competent authority")
    assert by_file["risk_management_plan_summary.docx"][1:4] == ["NWM-RMP-001", "C", "approved"]
    assert by_file["approvals_register.xlsx"][1:4] == ["—", "—", "—"]

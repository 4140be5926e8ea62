"""`qms due`: obligations with owner, location, due date and basis; calendar and mail, checked for real."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from support import make_repo, run_qms

icalendar = pytest.importorskip("icalendar")


def test_worked_example_lists_each_kind_its_records_imply(example_repo):
    proc = run_qms("--repo", str(example_repo), "due", "--within", "60d", "--as-of", "2026-11-25", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    items = data["obligations"]
    assert sorted({o["kind"] for o in items}) == [
        "approval", "audit", "calibration", "capa", "capa-action", "capa-stage", "change", "change-action",
        "complaint", "effectiveness", "fmea-action", "maintenance", "reportability", "training"]
    assert all(o["owner"] and o["location"] for o in items)
    by_id = {o["id"]: o for o in items}
    # Checked by hand against the records:
    # CAPA-2026-002 effectiveness.check_due 2026-11-30, owner USR-005
    assert (by_id["effectiveness:CAPA-2026-002"]["due"], by_id["effectiveness:CAPA-2026-002"]["owner"],
            by_id["effectiveness:CAPA-2026-002"]["location"]) == (
        "2026-11-30", "USR-005", "records/events/capa/CAPA-2026-002.yaml:59")
    # SUP-001 critical, last audit 2025-12-03, POL-SUPPLIER 12 months
    assert by_id["audit:SUP-001"]["due"] == "2026-12-03" and by_id["audit:SUP-001"]["owner"] == "USR-005"
    # CAPA-2026-003 action 3 due 2026-12-11; CAPA-2026-004 last action done 2026-11-09 + 60 days (POL-CAPA)
    assert by_id["capa-action:CAPA-2026-003:3"]["due"] == "2026-12-11"
    assert by_id["effectiveness:CAPA-2026-004"]["due"] == "2027-01-08"
    assert by_id["calibration:EQ-004"]["due"] == "2027-01-15" and by_id["calibration:EQ-004"]["owner"] == "USR-004"
    dated = [o["due"] for o in items if o["due"]]
    # the IFU DOC-202 rev A took effect on 2026-11-20 for ROLE-PROD; Daniel Okafor has no training on it yet
    assert (by_id["training:DOC-202:A:USR-004"]["due"], by_id["training:DOC-202:A:USR-004"]["owner"]) == (
        "2026-11-20", "USR-004")
    # PSUR-2026-001 is in review, owned by Priya Nair: no date to compute a due date from
    assert (by_id["approval:PSUR-2026-001"]["due"], by_id["approval:PSUR-2026-001"]["owner"]) == (None, "USR-002")
    assert dated == sorted(dated) and items[0]["id"] == "training:DOC-202:A:USR-004"
    assert data["counts"]["by_owner"]["USR-005"]["total"] == 4
    # EQ-009 last serviced 2026-08-14, every 120 days: 2026-12-12; CC-2026-004 step 2 (verify) due 2026-12-12
    # owned by USR-002; CMP-2026-005 received 2026-11-19, investigation_due 2026-12-19; its reportability by the
    # FDA 30-day clock, 2026-12-19; FM-017 action due 2027-01-15
    assert [(by_id[i]["due"], by_id[i]["owner"], by_id[i]["location"]) for i in (
        "maintenance:EQ-009", "change-action:CC-2026-004:2", "complaint:CMP-2026-005", "reportability:CMP-2026-005",
        "fmea-action:FM-017")] == [
        ("2026-12-12", "USR-004", "records/equipment/EQ-009.yaml:13"),
        ("2026-12-12", "USR-002", "records/events/change/CC-2026-004.yaml:32"),
        ("2026-12-19", "USR-006", "records/events/complaints/CMP-2026-005.yaml:18"),
        ("2026-12-19", "USR-006", "records/events/complaints/CMP-2026-005.yaml:1"),
        ("2027-01-15", "USR-004", "records/risk/fmea/FM-017.yaml:19")]
    assert "21 CFR 820.70(g)" in by_id["maintenance:EQ-009"]["basis"]
    assert "21 CFR 820.198" in by_id["complaint:CMP-2026-005"]["basis"]


EQ = "id: EQ-{n}\ntitle: Gauge {n}\nstatus: active\nowner: {owner}\ntype: instrument\ncalibration:\n  due: {due}\n"
OLD_USER = ("id: USR-002\ntitle: Former engineer\nstatus: inactive\nname: Bob Gone\nemail: bob@example.com\n"
            "active_until: 2026-01-31\n")
VIGILANCE = """\
id: POL-VIG
title: Vigilance
status: effective
policy: vigilance
clocks:
  - {authority: fda_mdr, event_class: malfunction, days: 30}
  - {authority: fda_mdr, event_class: malfunction, days: 5, business_days: true, when_remedial_action: true}
"""
COMPLAINT = """\
id: CMP-2026-001
title: Pump stopped
status: investigation
owner: USR-001
received: 2026-03-05
country: US
event_class: malfunction
remedial_action: true
reportable: true
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    files = {f"records/equipment/EQ-00{n}.yaml": EQ.format(n=f"00{n}", owner=owner, due=due) for n, owner, due in [
        (1, "USR-001", "2026-03-10"), (2, "USR-001", "2026-03-11"), (3, "USR-001", "2026-03-09"),
        (4, "USR-001", "2026-04-09"), (5, "USR-001", "2026-04-10"), (6, "USR-002", "2026-03-20")]}
    files.update({"records/people/USR-002.yaml": OLD_USER, "specs/policies/POL-VIG.yaml": VIGILANCE,
                  "records/events/complaints/CMP-2026-001.yaml": COMPLAINT})
    return make_repo(tmp_path_factory.mktemp("due"), files)


def _due(repo: Path, *args: str):
    proc = run_qms("--repo", str(repo), "due", "--as-of", "2026-03-10", *args)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_boundary_days_work_day_clock_and_departed_owner(small):
    proc = _due(small, "--format", "json")
    assert proc.returncode == 1  # an obligation without an active owner is a finding
    items = json.loads(proc.stdout)["obligations"]
    assert [(o["id"], o["due"], o["state"], o["owner"]) for o in items] == [
        ("calibration:EQ-003", "2026-03-09", "overdue", "USR-001"),
        ("calibration:EQ-001", "2026-03-10", "due today", "USR-001"),
        ("calibration:EQ-002", "2026-03-11", "open", "USR-001"),
        # awareness Thursday 2026-03-05 + 5 work days = Thursday 2026-03-12 (the 30-day clock is later)
        ("vigilance:CMP-2026-001:fda_mdr", "2026-03-12", "open", "USR-001"),
        ("calibration:EQ-006", "2026-03-20", "open", None),
        ("calibration:EQ-004", "2026-04-09", "open", "USR-001"),  # as-of + 30 days: inside --within 30d
        ("complaint:CMP-2026-001", None, "no date", "USR-001"),
    ]
    assert items[4]["unassigned"] == "owner USR-002 (Bob Gone) is not an active user since 2026-01-31"
    assert "records/equipment/EQ-006.yaml:7: unassigned calibration:EQ-006" in proc.stderr
    assert [o["days_left"] for o in items[:3]] == [-1, 0, 1]
    mine = _due(small, "--for", "USR-001", "--within", "1d")
    assert mine.returncode == 0
    assert "calibration:EQ-002" in mine.stdout and "calibration:EQ-004" not in mine.stdout
    assert _due(small, "--for", "USR-404").returncode == 2
    assert _due(small, "--within", "soon").returncode == 2


def test_ics_parses_back_with_stable_uids(small):
    first, second = _due(small, "--format", "ics"), _due(small, "--format", "ics")
    assert first.stdout == second.stdout  # deterministic: DTSTAMP is the as-of date, not the clock
    cal = icalendar.Calendar.from_ical(first.stdout)
    todos = list(cal.walk("VTODO"))
    assert [str(t["uid"]) for t in todos][:3] == ["calibration:EQ-003@tc.qms", "calibration:EQ-001@tc.qms",
                                                  "calibration:EQ-002@tc.qms"]
    assert todos[0].decoded("due").isoformat() == "2026-03-09"
    assert "records/equipment/EQ-003.yaml:" in str(todos[0]["description"])
    assert str(todos[0]["dtstamp"].to_ical().decode()) == "20260310T000000Z"


MAINTAINED = """\
id: EQ-{n}
title: Oven {n}
status: active
owner: USR-001
type: machine
maintenance:
  {how}
"""
CHANGE = """\
id: CC-2026-00{n}
title: Change {n}
status: {status}
owner: USR-001
type: process
reason: r
actions:
  - {{type: implement, description: fit the new fixture, owner: USR-001, due: 2026-03-09}}
  - {{type: train, description: train the operators, due: 2026-03-10}}
  - {{type: verify, description: verify first three lots, owner: USR-001, due: 2026-03-11}}
  - {{type: document, description: update the work instruction, owner: USR-001, due: 2026-03-01, done: 2026-02-27}}
"""
COMPLAINT_POLICY = """\
id: POL-CMP
title: Complaint handling
status: effective
policy: complaint
investigation_days: {days}
business_days: {business}
"""
RECEIVED = """\
id: CMP-2026-00{n}
title: Complaint {n}
status: {status}
owner: USR-001
received: {received}
{extra}"""


def _kinds(repo: Path, *kinds: str) -> list[tuple]:
    proc = _due(repo, "--format", "json", "--within", "all")
    assert proc.returncode == 0, proc.stderr
    return [(o["id"], o["due"], o["state"], o["owner"], o["basis"]) for o in json.loads(proc.stdout)["obligations"]
            if o["kind"] in kinds]


def test_maintenance_by_interval_or_due_boundary_days(tmp_path):
    repo = make_repo(tmp_path, {f"records/equipment/EQ-00{n}.yaml": MAINTAINED.format(n=f"00{n}", how=how) for n, how in [
        (1, "{interval_days: 30, last: 2026-02-08}"),  # 2026-03-10: due today
        (2, "{interval_days: 30, last: 2026-02-09}"),  # 2026-03-11: tomorrow
        (3, "{interval_days: 30, last: 2026-02-07}"),  # 2026-03-09: overdue by one day
        (4, "{interval_days: 30, last: 2026-02-07, due: 2026-04-01}"),  # a written due date wins
        (5, "{procedure: WI-9}"),  # nothing to count from: no obligation
    ]})
    pol = "maintenance `interval_days` 30 from the last service {} (ISO 13485 6.3, 7.5.1; 21 CFR 820.70(g))"
    assert _kinds(repo, "maintenance") == [
        ("maintenance:EQ-003", "2026-03-09", "overdue", "USR-001", pol.format("2026-02-07")),
        ("maintenance:EQ-001", "2026-03-10", "due today", "USR-001", pol.format("2026-02-08")),
        ("maintenance:EQ-002", "2026-03-11", "open", "USR-001", pol.format("2026-02-09")),
        ("maintenance:EQ-004", "2026-04-01", "open", "USR-001",
         "maintenance `due` (ISO 13485 6.3, 7.5.1; 21 CFR 820.70(g))"),
    ]
    bad = make_repo(tmp_path / "bad", {"records/equipment/EQ-001.yaml": MAINTAINED.format(
        n="001", how="{interval_days: 36501, last: 2026-02-08}")})
    proc = run_qms("--repo", str(bad), "validate")
    assert proc.returncode == 1 and "records/equipment/EQ-001.yaml:7" in proc.stdout + proc.stderr


def test_change_steps_owed_once_approved_boundary_days(tmp_path):
    repo = make_repo(tmp_path, {"records/events/change/CC-2026-001.yaml": CHANGE.format(n=1, status="approved"),
                                "records/events/change/CC-2026-002.yaml": CHANGE.format(n=2, status="submitted")})
    basis = "step `due` of the approved change (ISO 13485 7.3.9; 21 CFR 820.70(b))"
    # CC-2026-002 is not approved: nothing of it is to be implemented yet; step 4 is done
    assert _kinds(repo, "change-action", "change") == [
        ("change-action:CC-2026-001:1", "2026-03-09", "overdue", "USR-001", basis),
        ("change-action:CC-2026-001:2", "2026-03-10", "due today", "USR-001", basis),  # the record's owner
        ("change-action:CC-2026-001:3", "2026-03-11", "open", "USR-001", basis),
    ]


def test_complaint_investigation_clock(tmp_path):
    files = {f"records/events/complaints/CMP-2026-00{n}.yaml": RECEIVED.format(n=n, status=st, received=r, extra=x)
             for n, st, r, x in [
                 (1, "received", "2026-02-08", ""),  # + 30 = 2026-03-10, today
                 (2, "investigation", "2026-02-09", "reportable: false\n"),  # tomorrow
                 (3, "received", "2026-02-07", ""),  # overdue by one day
                 (4, "received", "2026-02-07", "investigation_due: 2026-05-01\n"),  # the record's own date
                 (5, "closed", "2026-01-01", "closed: 2026-02-01\n")]}
    files["specs/policies/POL-CMP.yaml"] = COMPLAINT_POLICY.format(days=30, business="false")
    repo = make_repo(tmp_path, files)
    pol = "POL-CMP investigation_days 30 calendar day(s) from receipt {} (ISO 13485 8.2.2; 21 CFR 820.198)"
    assert _kinds(repo, "complaint") == [
        ("complaint:CMP-2026-003", "2026-03-09", "overdue", "USR-001", pol.format("2026-02-07")),
        ("complaint:CMP-2026-001", "2026-03-10", "due today", "USR-001", pol.format("2026-02-08")),
        ("complaint:CMP-2026-002", "2026-03-11", "open", "USR-001", pol.format("2026-02-09")),
        ("complaint:CMP-2026-004", "2026-05-01", "open", "USR-001",
         "complaint `investigation_due` (ISO 13485 8.2.2; 21 CFR 820.198)"),
    ]
    # work days: received Monday 2026-03-02 + 5 work days = Monday 2026-03-09, overdue by one day
    (repo / "specs/policies/POL-CMP.yaml").write_text(COMPLAINT_POLICY.format(days=5, business="true"))
    for n in (1, 2, 3, 4):
        (repo / f"records/events/complaints/CMP-2026-00{n}.yaml").unlink()
    (repo / "records/events/complaints/CMP-2026-006.yaml").write_text(
        RECEIVED.format(n=6, status="received", received="2026-03-02", extra=""))
    assert _kinds(repo, "complaint") == [
        ("complaint:CMP-2026-006", "2026-03-09", "overdue", "USR-001",
         "POL-CMP investigation_days 5 work day(s) from receipt 2026-03-02 (ISO 13485 8.2.2; 21 CFR 820.198)")]
    (repo / "specs/policies/POL-CMP.yaml").write_text(COMPLAINT_POLICY.format(days=36501, business="false"))
    proc = run_qms("--repo", str(repo), "validate")
    assert proc.returncode == 1 and "specs/policies/POL-CMP.yaml:5" in proc.stdout + proc.stderr


aiosmtpd = pytest.importorskip("aiosmtpd")


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def auth(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"qms-bot", b"s3cret")
        # handled=False: aiosmtpd's AuthResult defaults to handled=True, which tells the server the refusal was
        # already sent, so it sends nothing and the client waits
        return AuthResult(success=ok, handled=False)

    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=auth, auth_require_tls=False,
                            auth_exclude_mechanism=["LOGIN"])  # smtplib tries PLAIN first; one refusal ends it
    controller.start()
    yield inbox, port
    controller.stop()


def _notify_repo(tmp_path: Path, port: int) -> Path:
    repo = make_repo(tmp_path / "r", {"records/equipment/EQ-001.yaml": EQ.format(n="001", owner="USR-001",
                                                                                  due="2026-03-09")})
    (repo / "qms.yaml").write_text((repo / "qms.yaml").read_text() + (
        f"notify:\n  smtp:\n    host: 127.0.0.1\n    port: {port}\n    starttls: false\n"
        "    sender: qms@example.com\n    user_env: QMS_TEST_SMTP_USER\n    password_env: QMS_TEST_SMTP_PASSWORD\n"))
    return repo


def test_notify_sends_one_digest_per_person(tmp_path, smtp_server, monkeypatch):
    inbox, port = smtp_server
    monkeypatch.setenv("QMS_TEST_SMTP_USER", "qms-bot")
    monkeypatch.setenv("QMS_TEST_SMTP_PASSWORD", "s3cret")
    repo = _notify_repo(tmp_path, port)
    proc = _due(repo, "--notify")
    assert proc.returncode == 0, proc.stderr
    assert len(inbox.messages) == 1
    rcpts, content = inbox.messages[0]
    assert rcpts == ["ann@example.com"]
    assert "Subject: QMS: 1 obligation(s) due, 1 overdue, as of 2026-03-10" in content
    assert "calibration:EQ-001" in content and "records/equipment/EQ-001.yaml:" in content
    # records nothing in the repository (the loader's own content cache aside)
    assert sorted(p.name for p in repo.iterdir() if p.name != ".qms-cache") == ["qms.yaml", "records"]


def test_refused_login_and_wrong_server_exit_2_and_send_nothing(tmp_path, smtp_server, monkeypatch):
    inbox, port = smtp_server
    monkeypatch.setenv("QMS_TEST_SMTP_USER", "qms-bot")
    monkeypatch.setenv("QMS_TEST_SMTP_PASSWORD", "wrong")
    repo = _notify_repo(tmp_path, port)
    proc = _due(repo, "--notify")
    assert proc.returncode == 2 and proc.stderr.startswith("qms: error: ") and "refused the login" in proc.stderr
    assert inbox.messages == []
    monkeypatch.setenv("QMS_TEST_SMTP_PASSWORD", "s3cret")
    dead = _notify_repo(tmp_path / "dead", _free_port())
    proc = _due(dead, "--notify")
    assert proc.returncode == 2 and proc.stderr.startswith("qms: error: mail server 127.0.0.1:")
    assert "no digest sent" in proc.stderr and inbox.messages == []


def test_management_review_and_index_show_the_counts_of_qms_due(tmp_path):
    import docx

    repo = make_repo(tmp_path / "r", {
        "records/equipment/EQ-001.yaml": MAINTAINED.format(n="001", how="{interval_days: 30, last: 2026-02-07}"),
        "records/equipment/EQ-002.yaml": EQ.format(n="002", owner="USR-001", due="2026-09-01"),
        "records/events/change/CC-2026-001.yaml": CHANGE.format(n=1, status="approved")})
    due = json.loads(_due(repo, "--format", "json", "--within", "all").stdout)
    # by hand: EQ-001 maintenance overdue (03-09), CC steps 03-09 overdue, 03-10 today, 03-11; EQ-002 2026-09-01
    assert due["counts"]["by_area"] == {"production": {"due today": 1, "open": 2, "overdue": 2, "total": 5}}
    out = tmp_path / "dossier"
    proc = run_qms("--repo", str(repo), "build", "--as-of", "2026-03-10", "--out", str(out), timeout=600)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["obligations"] == due["counts"]
    page = (out / "index.html").read_text()
    assert ("<tr><td>production</td><td>2</td><td>1</td><td>2</td><td>0</td><td>5</td></tr>" in page
            and "5 open obligation(s) as of 2026-03-10, 2 overdue, 0 unassigned" in page)
    # owners by name, as in the review input, never a bare user ID
    assert "<tr><td>USR-001 Ann Smith</td><td>2</td><td>1</td><td>2</td><td>0</td><td>5</td></tr>" in page
    review = docx.Document(str(out / "07-post-market-surveillance/management_review_input.docx"))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in review.tables]
    assert [["Area", "Overdue", "Due today", "Open", "No date", "Total"], ["production", "2", "1", "2", "0", "5"]] in tables
    # the list names each obligation's record (ID and title), in the JSON's order
    listed = next(t for t in tables if t[0][:3] == ["Due", "State", "Record"])
    assert [row[2].split()[0] for row in listed[1:]] == [o["record"] for o in due["obligations"]]

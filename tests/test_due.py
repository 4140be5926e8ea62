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
    assert sorted({o["kind"] for o in items}) == ["approval", "audit", "calibration", "capa", "capa-action",
                                                  "capa-stage", "change", "complaint", "effectiveness", "training"]
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

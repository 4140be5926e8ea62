"""`qms due`: what each person owes and by when, as a worklist, a calendar, or a mail digest per person.

Mail goes through the standard library's smtplib: one server, STARTTLS and a login are all a digest
needs, and smtplib does them without another dependency to install, pin and trust with credentials.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import smtplib
import socket
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING

import click

from ..findings import QmsError
from ..model.people import User
from .app import AS_OF, App

if TYPE_CHECKING:
    from ..analysis.obligations import Obligation
    from ..recordset import RecordSet


ALL = -1  # --within all: every open obligation, whatever its due date (the management review's view)


class WithinType(click.ParamType):
    name = "Nd"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int | None:
        if isinstance(value, int) or value is None:
            return value
        text = str(value).strip()
        if text == "all":
            return ALL
        m = re.fullmatch(r"([0-9]{1,4})d", text)
        if not m:
            self.fail(f"{value!r} is not a number of days such as 30d", param, ctx)
        return int(m.group(1))


@click.command("due")
@click.option("--for", "for_user", metavar="USR-ID", default=None, help="Only what this user owes.")
@click.option("--role", "role", metavar="ROLE-ID", default=None,
              help="Only what this role owes, itself or through the users who hold it.")
@click.option("--within", type=WithinType(), default=None,
              help="Days ahead to list, e.g. 30d (overdue and undated ones always), or `all`; default 30d, or "
                   "notify: within_days for --notify.")
@AS_OF
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ics"]), default="text", show_default=True,
              help="Worklist text, JSON for dashboards, or an iCalendar file (one VTODO per obligation).")
@click.option("--notify", is_flag=True, help="Mail one digest per person through qms.yaml's notify: smtp: server.")
@click.pass_obj
def due(app: App, for_user: str | None, role: str | None, within: int | None, as_of: dt.date | None, fmt: str,
        notify: bool) -> None:
    """Open obligations (CAPA stages and actions, effectiveness checks, approvals, training, calibration,
    supplier certificates, audits and re-evaluations, vigilance clocks, complaints, FMEA actions, change
    controls, deviations) with owner, source location, due date and how it is computed; overdue first.

    Exit 0 listed (or sent), 1 when an obligation has no active owner (unassigned), 2 for bad usage, an
    unreadable repository or a mail server that cannot be reached or refuses the login.
    """
    from ..analysis.obligations import dashboard, obligations
    from ..analysis.obligations import within as within_days
    from ..gitio.stages import capa_stages

    if for_user and role:
        raise click.UsageError("give --for or --role, not both")
    as_of = app.as_of(as_of)
    loaded, records = app.load_readable()
    for wanted, kind in ((for_user, "user"), (role, "role")):
        if wanted and getattr(records.get(wanted), "KIND", None) != kind:
            raise QmsError(f"{wanted} is not a {kind} record")
    items = obligations(records, as_of, stages=capa_stages(app.root, records), exports=loaded.exports)
    config = records.config
    days: int | None = within if within is not None else (config.notify.within_days if notify and config else 30)
    days = None if days == ALL else days
    items = within_days(items, as_of, days)
    if for_user:
        items = [o for o in items if o.owner == for_user]
    elif role:
        holders = {u.id for u in records.of_kind("user") if isinstance(u, User) and role in {str(r) for r in u.roles}}
        items = [o for o in items if o.owner == role or o.owner in holders]
    if notify:
        _notify(records, items, as_of)
    elif fmt == "json":
        click.echo(json.dumps(dashboard(items, as_of, days), indent=2, ensure_ascii=False))
    elif fmt == "ics":
        from ..render.ics import calendar

        code = (config.company.code if config is not None else "qms").lower()
        click.get_binary_stream("stdout").write(calendar(items, as_of, f"{code}.qms"))
    else:
        click.echo(text(items, as_of, days))
    unassigned = [o for o in items if o.owner is None]
    if unassigned:
        for o in unassigned:
            click.echo(f"{o.location}: unassigned {o.id}: {o.unassigned}", err=True)
        raise SystemExit(1)


def _when(o: Obligation, as_of: dt.date) -> str:
    left = o.days_left(as_of)
    if left is None:
        return "no due date"
    if left < 0:
        return f"{o.due} OVERDUE {-left} day(s)"
    return f"{o.due} today" if left == 0 else f"{o.due} in {left} day(s)"


def text(items: list[Obligation], as_of: dt.date, days: int | None) -> str:
    overdue = sum(o.state(as_of) == "overdue" for o in items)
    horizon = "whatever their due date" if days is None else f"due within {days} day(s) or undated"
    lines = [f"{len(items)} obligation(s) as of {as_of}, {horizon}; {overdue} overdue"]
    for o in items:
        owner = o.owner or f"UNASSIGNED ({o.unassigned})"
        lines += ["", f"{_when(o, as_of)}  {o.id}  [{owner}]", f"  {o.action}", f"  at {o.location}",
                  f"  due by: {o.basis}"]
    return "\n".join(lines)


def _notify(records: RecordSet, items: list[Obligation], as_of: dt.date) -> None:
    """One digest per active user with something due, in one SMTP session; nothing is retried, so a
    failure after some digests went names those sent and a rerun is the reader's decision."""
    config = records.config
    smtp = config.notify.smtp if config is not None else None
    if smtp is None:
        raise QmsError("no mail server: add notify: smtp: (host, port, starttls, sender, user_env) to qms.yaml")
    digests = _digests(records, items)
    if not digests:
        click.echo("nothing due: no digest sent")
        return
    user = os.environ.get(smtp.user_env) if smtp.user_env else None
    if smtp.user_env and not user:
        raise QmsError(f"environment variable {smtp.user_env} (notify.smtp.user_env) is not set")
    password = os.environ.get(smtp.password_env, "") if user else ""
    messages = [_message(smtp.sender, u, mine, as_of) for u, mine in digests]
    sent: list[str] = []
    try:
        server = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
        try:
            if smtp.starttls:
                server.starttls()
            if user:
                server.login(user, password)
            for (u, _), msg in zip(digests, messages):
                server.send_message(msg)
                sent.append(u.id)
                click.echo(f"sent digest of {len(_)} obligation(s) to {u.id} <{u.email}>")
            server.quit()
        finally:
            # Not `with`: its QUIT after a refused login may wait on a server that has stopped answering and
            # replace the refusal with a timeout; closing the socket is enough.
            server.close()
    except smtplib.SMTPAuthenticationError as err:
        raise QmsError(f"mail server {smtp.host}:{smtp.port} refused the login of {user}: {err.smtp_code} "
                       f"{_decode(err.smtp_error)}; no digest sent") from None
    except (OSError, smtplib.SMTPException) as err:
        done = f"digests sent before the failure: {', '.join(sent)}" if sent else "no digest sent"
        raise QmsError(f"mail server {smtp.host}:{smtp.port}: {_reason(err)}; {done}") from None


def _decode(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _reason(err: BaseException) -> str:
    if isinstance(err, socket.timeout):
        return "timed out"
    if isinstance(err, smtplib.SMTPResponseException):
        return f"{err.smtp_code} {_decode(err.smtp_error)}"
    return str(err) or type(err).__name__


def _digests(records: RecordSet, items: list[Obligation]) -> list[tuple[User, list[Obligation]]]:
    """(user, their obligations) per active user with an email: their own and their roles'."""
    out = []
    for user in records.of_kind("user"):
        if not isinstance(user, User):
            continue
        if user.status != "active" or not user.email.strip():
            continue
        roles = {str(r) for r in user.roles}
        mine = [o for o in items if o.owner == user.id or o.owner in roles]
        if mine:
            out.append((user, mine))
    return out


def _message(sender: str, user: User, items: list[Obligation], as_of: dt.date) -> EmailMessage:
    overdue = sum(o.state(as_of) == "overdue" for o in items)
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = f"{user.name} <{user.email}>"
    msg["Subject"] = f"QMS: {len(items)} obligation(s) due, {overdue} overdue, as of {as_of}"
    msg["Date"] = format_datetime(dt.datetime.combine(as_of, dt.time(), dt.UTC))
    body = text(items, as_of, 0).splitlines()
    msg.set_content("\n".join([f"Dear {user.name},", "", "what the quality records show you owe:", "", *body[2:],
                               "", "qms due --for " + user.id]) + "\n")
    return msg

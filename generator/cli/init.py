"""`qms init DIR`: lay down a new quality repository with a small example that validates clean."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import click

from ..atomic import write_bytes
from ..config import MARKER
from ..findings import QmsError
from ..gitio.commit import git
from ..gitio.signatures import ssh_fingerprint

USER_FILE = "records/people/USR-001.yaml"
ROLE_FILE = "records/people/roles/ROLE-QA.yaml"
STARTED = "2025-01-06"  # the starter records' date, so the first user is active when they were written


def _template_files() -> list[tuple[str, bytes]]:
    root = resources.files("generator") / "templates" / "init"
    out: list[tuple[str, bytes]] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, rel + "/")
            else:
                name = rel.replace("dot.gitignore", ".gitignore")
                out.append((name, child.read_bytes()))

    walk(root, "")
    return out


def _user_text(name: str, email: str, key: str | None, today: str) -> str:
    """The first user record: the person running `qms init`, holding the starter's quality role."""
    keys = f"signing_keys:\n  - {json.dumps(key)}\n" if key else ""
    return ("# A person who owns, executes or signs records. Their email is their git author email; the SSH public key\n"
            "# they sign approvals with goes under signing_keys (`qms keys add ~/.ssh/id_ed25519.pub`).\n"
            "# (A user record is owned by someone else, e.g. the QA manager; the first user has no owner.)\n"
            f"id: USR-001\ntitle: {json.dumps(name)}\nstatus: active\ncreated: {today}\nname: {json.dumps(name)}\n"
            f"email: {json.dumps(email)}\nroles: [ROLE-QA]\nactive_from: {today}\n{keys}")


def _public_key(path: Path) -> str:
    public = path.expanduser()
    if not public.name.endswith(".pub"):
        public = public.with_name(public.name + ".pub")
    try:
        line = public.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        raise QmsError(f"--signing-key: {public} cannot be read (name the public key ssh-keygen wrote, ….pub)") from None
    if ssh_fingerprint(line) is None:
        raise QmsError(f"--signing-key: {public} does not hold an SSH public key (ssh-ed25519 AAAA…)")
    return " ".join(line.split())


def _git_config(key: str) -> str | None:
    try:
        out = subprocess.run(["git", "config", "--get", key], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def _who(name: str | None, email: str | None) -> tuple[str, str]:
    """The person running init: the options, else asked on a terminal, else git's user.name and user.email."""
    asking = sys.stdin.isatty()
    name = name or (click.prompt("Your full name (printed on signatures)", default=_git_config("user.name"))
                    if asking else _git_config("user.name"))
    email = email or (click.prompt("Your work email (your git author email)", default=_git_config("user.email"))
                      if asking else _git_config("user.email"))
    if not name or not email:
        raise QmsError("who is starting this quality system? give --name and --email (or set git config "
                       "user.name and user.email)")
    return name.strip(), email.strip()


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default=None, help="Your full name, printed on your signatures (default: git's user.name).")
@click.option("--email", default=None, help="Your work email, your git author email (default: git's user.email).")
@click.option("--role", "role_title", default="Quality assurance", show_default=True,
              help="Title of the role you hold (the starter's role ROLE-QA, which may review, approve and release).")
@click.option("--signing-key", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Your SSH public key (e.g. ~/.ssh/id_ed25519.pub): registered on your user record, and git in the "
                   "new repository signs with it.")
def init(directory: Path, name: str | None, email: str | None, role_title: str, signing_key: Path | None) -> None:
    """Create a new quality repository in DIRECTORY: a git repository whose first commit, by you, holds the
    starter records, every policy the commands read, and your user record (existing files are never
    overwritten)."""
    if (directory / MARKER).exists():
        raise QmsError(f"{directory} already holds a quality repository ({MARKER} exists)")
    if directory.exists() and not directory.is_dir():
        raise QmsError(f"{directory} exists and is not a folder")
    if (directory / ".git").exists():
        raise QmsError(f"{directory} is already a git repository; qms init starts a new one in an empty folder")
    key = _public_key(signing_key) if signing_key is not None else None
    who, mail = _who(name, email)
    files = _template_files()
    files.append((USER_FILE, _user_text(who, mail, key, STARTED).encode("utf-8")))
    clashes = [rel for rel, _ in files if (directory / rel).exists()]
    if clashes:
        raise QmsError(f"{directory} already has {clashes[0]}; nothing was written")
    for rel, data in files:
        if rel == ROLE_FILE:
            data = data.replace(b"title: Quality assurance", f"title: {json.dumps(role_title)}".encode())
        write_bytes(directory / rel, data)
    git(directory, "init", "--quiet")
    git(directory, "config", "user.name", who)
    git(directory, "config", "user.email", mail)
    if signing_key is not None:
        public = signing_key.expanduser().resolve()
        private = public.with_name(public.name[:-len(".pub")]) if public.name.endswith(".pub") else public
        git(directory, "config", "gpg.format", "ssh")
        # git signs with the private key beside the public one; with the public key alone, through ssh-agent
        git(directory, "config", "user.signingkey", str(private if private.is_file() else public))
    git(directory, "add", "--", *(rel for rel, _ in files))
    git(directory, "commit", "--quiet", "-m", "Start the quality system (qms init)",
        *(["-S"] if signing_key is not None else []))
    click.echo(f"created a quality repository in {directory}: {len(files)} files, first commit by {who} <{mail}> "
               f"as USR-001; next: cd {directory} && qms validate")
    if key is None:
        click.echo("approvals are signed (qms.yaml signatures): register your SSH key with "
                   "`qms keys add ~/.ssh/id_ed25519.pub`")

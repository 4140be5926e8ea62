"""`qms keys add|list|allowed-signers`: the signing keys users register on their own user records.

A key counts for a user only when that user's record lists it under `signing_keys`; `qms approve`
signs with git's configured key and `qms validate` accepts an approval only when git verifies its
commit against the keys so registered. `add` registers the caller's SSH public key on the caller's own
record (never on another's), points git at it (gpg.format=ssh, user.signingkey) in this repository,
and commits the change signed with that very key, which shows the registrant holds it.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..atomic import write_text
from ..edit.fields import FieldEditError, set_fields
from ..findings import QmsError
from ..gitio.commit import GitError, commit_files, git, is_modified, is_work_tree
from ..gitio.identity import caller
from ..gitio.signatures import allowed_signers, configured_signing_key, registered_keys, ssh_fingerprint
from ..lock import repository_lock
from ..model.people import User
from .app import FORMAT, App


@click.group("keys")
def keys() -> None:
    """Signing keys registered on user records (electronic signatures, 21 CFR Part 11 §11.100, §11.200)."""


@keys.command("add")
@click.argument("key_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def add(app: App, key_file: Path | None) -> None:
    """Register your SSH public key (KEY_FILE, e.g. ~/.ssh/id_ed25519.pub; default: git's user.signingkey) on your
    own user record, configure git here to sign with it, and commit the registration signed with it."""
    root = app.root
    if not is_work_tree(root):
        raise QmsError(f"{root} is not a git work tree: a key registration is committed, so it needs git")
    click.get_current_context().with_resource(repository_lock(root, "qms keys add"))
    public, signing_path = _public_key(root, key_file)
    fingerprint = ssh_fingerprint(public)
    if fingerprint is None:
        raise QmsError(f"{key_file or 'git user.signingkey'} does not hold an SSH public key (ssh-ed25519 AAAA…)")
    _, records = app.load_readable()
    user = caller(root, records)
    owners = registered_keys(records)[0].get(fingerprint.upper(), frozenset())
    others = sorted(owners - {user.id})
    if others:
        raise QmsError(f"key {fingerprint} is already registered to {', '.join(others)}; each person signs with a "
                       "key of their own")
    if signing_path is not None:
        git(root, "config", "gpg.format", "ssh")
        git(root, "config", "user.signingkey", str(signing_path))
    if user.id in owners:
        click.echo(f"{fingerprint} is already registered to {user.id} ({user.name}); git here signs with it")
        return
    rel = records.sources[user.id].file
    if not rel.endswith((".yaml", ".yml")):
        raise QmsError(f"{user.id} is kept in {rel}: add the key to its signing_keys there and commit it")
    if is_modified(root, rel):
        raise QmsError(f"{rel} has uncommitted changes: commit or undo them first")
    path = root / rel
    original = path.read_text(encoding="utf-8")
    wanted = [*user.signing_keys, " ".join(public.split())]
    try:
        merged, whole = set_fields(original, {("signing_keys",): wanted}, name=rel)
    except FieldEditError as err:
        raise QmsError(str(err)) from None
    text = next((t for t in (merged, whole) if _holds(root, rel, t, user.id, fingerprint)), None)
    if text is None:
        raise QmsError(f"{rel} could not be edited so that it still reads as {user.id}; add the key by hand")
    write_text(path, text)
    try:
        commit = commit_files(root, [rel], f"Register signing key {fingerprint} for {user.id}", sign=True)
    except GitError as err:
        write_text(path, original)
        raise QmsError(f"{err}; {rel} was put back as it was, the key is not registered") from None
    click.echo(f"{fingerprint} registered to {user.id} ({user.name}) in {rel}, committed {commit[:10]} signed "
               "with it; git here signs with it (gpg.format=ssh, user.signingkey)")


def _public_key(root: Path, key_file: Path | None) -> tuple[str, Path | None]:
    """(public key line, key git should sign with or None to leave git's setting) for KEY_FILE or git's key."""
    if key_file is None:
        key = configured_signing_key(root)
        if key is None or key.format != "ssh" or not key.public:
            raise QmsError("git has no SSH signing key (gpg.format=ssh, user.signingkey): name your public key, "
                           "e.g. `qms keys add ~/.ssh/id_ed25519.pub` (create one with ssh-keygen -t ed25519)")
        return key.public, None
    path = key_file.expanduser().resolve()
    public = path if path.name.endswith(".pub") else path.with_name(path.name + ".pub")
    if not public.is_file():
        raise QmsError(f"{public} does not exist: name the public key file ssh-keygen wrote (….pub)")
    private = public.with_name(public.name[:-len(".pub")])
    try:
        line = public.read_text(encoding="utf-8", errors="replace").strip().splitlines()[0]
    except (OSError, IndexError):
        raise QmsError(f"{public} cannot be read as a public key") from None
    # git signs with the private key beside the public one; with the public key alone, through ssh-agent.
    return line, private if private.is_file() else public


def _holds(root: Path, rel: str, text: str, user_id: str, fingerprint: str) -> bool:
    from ..load.repo import load_file

    found, findings = load_file(root, rel, "yaml", text.encode("utf-8"))
    user = found[0][0] if len(found) == 1 else None
    return (not findings and isinstance(user, User) and user.id == user_id
            and any(ssh_fingerprint(k) == fingerprint for k in user.signing_keys))


@keys.command("list")
@FORMAT
@click.pass_obj
def list_(app: App, fmt: str) -> None:
    """Every registered signing key with its user, and the key git here signs with."""
    _, records = app.load_readable()
    rows = [{"user": u.id, "name": u.name, "fingerprint": ssh_fingerprint(k) or k.strip(), "key": k.strip()}
            for u in records.of_kind("user") if isinstance(u, User) for k in u.signing_keys]
    mine = configured_signing_key(app.root) if is_work_tree(app.root) else None
    if fmt == "json":
        click.echo(json.dumps({"keys": rows, "git_signs_with": mine.fingerprint if mine else None}, indent=2,
                              ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['user']:<10} {row['fingerprint']:<52} {row['name']}")
    click.echo(f"{len(rows)} key(s); git here signs with {mine.fingerprint if mine and mine.fingerprint else 'no key'}")


@keys.command("allowed-signers")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the file here (default: print it).")
@click.pass_obj
def allowed_signers_(app: App, out: Path | None) -> None:
    """The ssh-keygen ALLOWED SIGNERS view of the registered keys (principals are user IDs), for
    `git -c gpg.ssh.allowedSignersFile=FILE log --show-signature`."""
    _, records = app.load_readable()
    text = allowed_signers(registered_keys(records)[1])
    if out is None:
        click.echo(text, nl=False)
    else:
        write_text(out, text)

"""Who is at the keyboard: the user record that git's user.email maps to."""

from __future__ import annotations

from pathlib import Path

from ..findings import QmsError
from ..model.people import User
from ..recordset import RecordSet
from .commit import config_value


def caller(root: Path, records: RecordSet) -> User:
    """The one user whose email or git_identities hold git's user.email in `root`; QmsError otherwise."""
    email = config_value(root, "user.email")
    if email is None:
        raise QmsError("git has no user.email: set it to the email on your user record (git config user.email ...)")
    matches = [u for u in records.of_kind("user") if isinstance(u, User) and email.lower() in u.identities]
    if len(matches) != 1:
        what = "no user record" if not matches else f"{len(matches)} user records ({', '.join(u.id for u in matches)})"
        raise QmsError(f"git user.email {email} maps to {what}; list it under exactly one user's email or "
                       "git_identities")
    return matches[0]

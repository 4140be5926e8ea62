"""People and signatures (21 CFR Part 11, ISO 13485 6.2): users, roles, approvals, waivers."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from .base import ANY_KIND, FREE_ID_PATTERN, Date, DateTime, Record, Ref, Strict, choice, event_date, link, planned_date


class Training(Strict):
    subject: Ref = link("document", "protocol", description="Procedure or protocol trained on", many=False,
                        required=True)
    revision: str | None = Field(default=None, description="Revision trained on")
    date: Date = event_date("Date trained", required=True)


class User(Record):
    KIND = "user"
    PREFIXES = ("USR",)
    FOLDER = "people"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("active", "inactive")
    RETIRED: ClassVar[tuple[str, ...]] = ()

    name: str = Field(description="Printed name, as it appears on signatures")
    email: str = Field(description="Work email")
    git_identities: list[str] = Field(default_factory=list, description="Other git author emails that map to this user")
    signing_keys: list[str] = Field(default_factory=list, description="SSH or GPG public keys used to sign commits")
    roles: list[Ref] = link("role", description="Roles held")
    active_from: Date | None = event_date("First day the account may act")
    active_until: Date | None = planned_date("Last day the account may act")
    training: list[Training] = Field(default_factory=list, description="Training records")

    @property
    def identities(self) -> frozenset[str]:
        """Every email git may show for this user, in lower case."""
        return frozenset(e.strip().lower() for e in (self.email, *self.git_identities) if e.strip())

    def active_on(self, day: dt.date) -> bool:
        """Whether the account may act on `day`: within its active period (an inactive account with no
        end date has no period in which its acts can be shown to fall)."""
        if self.active_from is not None and day < self.active_from:
            return False
        if self.active_until is not None:
            return day <= self.active_until
        return self.status != "inactive"


class Role(Record):
    KIND = "role"
    PREFIXES = ("ROLE",)
    ID_PATTERN = FREE_ID_PATTERN
    FOLDER = "people/roles"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("active", "retired")
    RETIRED: ClassVar[tuple[str, ...]] = ("retired",)

    may_review: list[str] = Field(default_factory=list, description="Record kinds this role may review ('*' for all)")
    may_approve: list[str] = Field(default_factory=list, description="Record kinds this role may approve ('*' for all)")
    may_release: list[str] = Field(default_factory=list, description="Record kinds this role may release")

    def may_sign(self, meaning: str, kind: str) -> bool:
        """Whether the role may sign a record of `kind` with `meaning` (review, approval or release)."""
        kinds = {"review": self.may_review, "approval": self.may_approve, "release": self.may_release}.get(meaning, [])
        return "*" in kinds or kind in kinds


class Approval(Record):
    """An electronic signature bound to a record's canonical content (Part 11 §11.70)."""

    KIND = "approval"
    PREFIXES = ("APR",)
    ID_PATTERN = FREE_ID_PATTERN
    FOLDER = "approvals"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("signed", "revoked")
    RETIRED: ClassVar[tuple[str, ...]] = ("revoked",)

    record: Ref = link(ANY_KIND, description="Record signed", many=False, required=True)
    record_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the record's canonical content")
    meaning: str = choice({"review": "Review", "approval": "Approval", "release": "Release"},
                          description="Meaning of the signature (§11.50)", required=True)
    signer: Ref = link("user", description="Signer", many=False, required=True)
    printed_name: str = Field(description="Signer's printed name at signing")
    role: Ref | None = link("role", description="Role signed under", many=False)
    signed: DateTime = Field(description="Date and time of signing, with offset")
    comment: str | None = Field(default=None, description="Signer's comment")


class Waiver(Record):
    """Accepts one finding on one record, with a justification and an approver."""

    KIND = "waiver"
    PREFIXES = ("WVR",)
    FOLDER = "waivers"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("draft", "approved", "expired", "revoked")
    RETIRED: ClassVar[tuple[str, ...]] = ("expired", "revoked")

    code: str = Field(pattern=r"^QMS[0-9]{3}$", description="Rule code waived, e.g. QMS125")
    record: Ref = link(ANY_KIND, description="Record whose finding is accepted", many=False, required=True)
    justification: str = Field(min_length=10, description="Why the finding is acceptable")
    approver: Ref = link("user", description="Who approved the waiver", many=False, required=True)
    approved: Date | None = event_date("Date approved")
    expires: Date | None = planned_date("Date the waiver lapses")

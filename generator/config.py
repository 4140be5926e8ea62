"""Repository settings: `qms.yaml` at the root of a quality repository."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .model.base import Date, Strict
from .repo_root import MARKER, find_root  # noqa: F401  (where they were first defined; importers keep working)


class Company(Strict):
    name: str = Field(description="Legal manufacturer name")
    code: str = Field(pattern=r"^[A-Z0-9]{1,8}$", description="Short code used in document numbers")
    address: str | None = Field(default=None, description="Registered address")
    srn: str | None = Field(default=None, description="EU single registration number")


class Device(Strict):
    name: str = Field(description="Device trade name")
    model: str | None = Field(default=None, description="Model or catalogue number")
    classification_eu: str | None = Field(default=None, description="EU MDR class, e.g. IIb")
    classification_us: str | None = Field(default=None, description="FDA class, e.g. II")
    intended_use: str | None = Field(default=None, description="Intended purpose")
    basic_udi_di: str | None = Field(default=None, description="Basic UDI-DI")
    # EU MDR Annex II 1.1: the rest of the device description, each shown (or said to be missing) in it.
    principle_of_operation: str | None = Field(default=None, description="Principle of operation and mode of action")
    variants_and_accessories: str | None = Field(default=None, description="Variants, configurations and "
                                                 "accessories intended to be used with the device")
    patient_population: str | None = Field(default=None, description="Intended patient population")
    indications: str | None = Field(default=None, description="Indications (conditions the device is for)")
    contraindications: str | None = Field(default=None, description="Contraindications")
    classification_rule: str | None = Field(default=None, description="EU MDR Annex VIII rule applied, e.g. Rule 12")
    previous_generations: str | None = Field(default=None, description="Previous generations of the device and "
                                             "similar devices on the market")
    placed_on_market: Date | None = Field(default=None, description="Date the device was first placed on the EU "
                                          "market: post-market surveillance (PMS plan, PSUR) is due from then")


class NotifiedBody(Strict):
    name: str = Field(description="Name of the notified body")
    number: str = Field(pattern=r"^[0-9]{4}$", description="Its four-digit identification number")


class Declaration(Strict):
    """What the EU declaration of conformity (EU MDR Art. 19, Annex IV) takes from outside the records."""

    notified_body: NotifiedBody | None = Field(default=None, description="Notified body that assessed conformity")
    procedure: str | None = Field(default=None, description="Conformity assessment procedure performed, e.g. "
                                  "Annex IX, Chapters I and III")
    certificates: list[str] = Field(default_factory=list, description="Certificates issued by the notified body")
    other_legislation: list[str] = Field(default_factory=list, description="Other Union legislation the device "
                                         "conforms to, e.g. Directive 2011/65/EU (RoHS)")
    additional_information: str | None = Field(default=None, description="Annex IV item 9, where applicable")
    place: str | None = Field(default=None, description="Place of issue")
    signatory: str | None = Field(default=None, description="User ID of the person who signs for the manufacturer")


class Numbering(Strict):
    format: str = Field(default="{company}-{type}-{number:03d}",
                        description="Document number pattern: {company}, {type}, {number}")
    types: dict[str, str] = Field(default_factory=dict, description="Document type → type code, e.g. trace: DTM")
    first_revision: str = Field(default="A", description="Revision letter of a first issue")


Meaning = Literal["review", "approval", "release"]  # what a signature is for


def _approval_and_release() -> list[Meaning]:
    return ["approval", "release"]


class Signatures(Strict):
    require_signed_commits: bool = Field(
        default=True,
        description="An approval counts only when its commit is signed with a key registered to the signer, by "
                    "the signer's git identity, at the time it claims (set false only for a paper-signed quality "
                    "system: `qms build --release` then refuses)",
    )
    # Segregation of duties (21 CFR 820.30(e), ISO 13485 7.3.5): who may not sign what.
    author_may_not_sign: list[Meaning] = Field(
        default_factory=_approval_and_release,
        description="Meanings the author of a record's last change may not sign for it (review, approval, release)",
    )
    reviewer_may_not_approve: bool = Field(
        default=False, description="The signer of a review may not also approve or release the same content",
    )


class Documents(Strict):
    template: str | None = Field(
        default=None,
        description="Reference Word file (relative to the repository) whose styles, page setup and header/footer "
                    "logo every generated document takes; default specs/templates/reference.docx when it exists, "
                    "else the generator's built-in look",
    )


class Smtp(Strict):
    """The mail server `qms due --notify` sends digests through; credentials come from the environment only."""
    host: str = Field(description="SMTP server host name")
    port: int = Field(default=587, ge=1, le=65535, description="SMTP port (587 submission with STARTTLS, 25 plain)")
    starttls: bool = Field(default=True, description="Upgrade the connection with STARTTLS before logging in")
    sender: str = Field(description="From address of the digests, e.g. qms@example.com")
    user_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
                                 description="Name of the environment variable holding the login user; unset: "
                                             "no login")
    password_env: str = Field(default="QMS_SMTP_PASSWORD", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
                              description="Name of the environment variable holding the password (never the "
                                          "password itself: it stays out of the repository)")
    timeout_seconds: float = Field(default=30, gt=0, le=600, description="Connection timeout")


class Notify(Strict):
    smtp: Smtp | None = Field(default=None, description="Mail server for `qms due --notify`")
    within_days: int = Field(default=30, ge=0, le=3650, description="Days ahead a digest covers (overdue always)")


class Genealogy(Strict):
    spark_master: str | None = Field(
        default=None, description="Spark master URL `qms recall --engine spark` connects to (spark://host:7077, "
                                  "yarn, k8s://...); default local[*], Spark inside this process",
    )


DEFAULT_TEMPLATE = "specs/templates/reference.docx"


class RepoConfig(Strict):
    company: Company
    device: Device
    as_of: Date | None = Field(
        default=None,
        description="Date the records describe, for a frozen example or a training set: the default --as-of "
                    "of every command. Leave it unset in a live quality system, where commands check as of today.",
    )
    numbering: Numbering = Field(default_factory=Numbering)
    signatures: Signatures = Field(default_factory=Signatures)
    documents: Documents = Field(default_factory=Documents)
    notify: Notify = Field(default_factory=Notify)
    declaration: Declaration | None = Field(default=None, description="EU declaration of conformity settings")
    genealogy: Genealogy = Field(default_factory=Genealogy)

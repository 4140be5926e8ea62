"""What the EU declaration of conformity (EU MDR Art. 19, Annex IV) can say from this repository, item by
item, and which items it cannot fill: the declaration document prints the first, the rule QMS773 names
the second. Items 2 and 6 are the manufacturer's statements and always present."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import RepoConfig
from ..model.conformity import Standard
from ..model.people import User
from ..recordset import RecordSet

NOTIFIED_CLASSES = ("IIa", "IIb", "III")  # classes whose conformity assessment involves a notified body


@dataclass(frozen=True)
class Gap:
    item: str  # Annex IV item number
    what: str  # what is missing
    fill: str  # where it is filled


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def standards_applied(records: RecordSet) -> list[Standard]:
    return sorted((s for s in records.of_type(Standard) if not s.retired), key=lambda s: (s.number, s.id))


def signatory(records: RecordSet, config: RepoConfig) -> User | None:
    d = config.declaration
    return records.get_as(d.signatory, User) if d is not None and d.signatory else None


def declaration_due(records: RecordSet) -> bool:
    """A declaration is drawn up once the device is on the market (Art. 10(6), 19), or once qms.yaml holds a
    declaration block; a repository in design has none yet."""
    from .psur import market_date

    config = records.config
    return config is not None and (config.declaration is not None or market_date(records) is not None)


def declaration_gaps(records: RecordSet) -> list[Gap]:
    config = records.config
    if config is None:
        return []
    c, dev, d = config.company, config.device, config.declaration
    gaps: list[Gap] = []

    def need(item: str, value: Any, what: str, fill: str) -> None:
        if _blank(value):
            gaps.append(Gap(item, what, fill))

    need("1", c.address, "the manufacturer's registered address", "company.address in qms.yaml")
    need("1", c.srn, "the manufacturer's single registration number (SRN)", "company.srn in qms.yaml")
    need("3", dev.basic_udi_di, "the Basic UDI-DI", "device.basic_udi_di in qms.yaml")
    need("4", dev.model, "the product code or catalogue number", "device.model in qms.yaml")
    need("4", dev.intended_use, "the intended purpose", "device.intended_use in qms.yaml")
    need("5", dev.classification_eu, "the risk class (Annex VIII)", "device.classification_eu in qms.yaml")
    if not standards_applied(records):
        gaps.append(Gap("7", "the harmonised standards or common specifications applied",
                        "standard records (records/standards/STD-….yaml)"))
    if dev.classification_eu in NOTIFIED_CLASSES:
        need("8", d.notified_body if d else None, "the notified body's name and number",
             "declaration.notified_body in qms.yaml")
        need("8", d.procedure if d else None, "the conformity assessment procedure performed",
             "declaration.procedure in qms.yaml")
        need("8", d.certificates if d else None, "the certificate(s) issued", "declaration.certificates in qms.yaml")
    need("10", d.place if d else None, "the place of issue", "declaration.place in qms.yaml")
    if signatory(records, config) is None:
        named = d.signatory if d is not None else None
        gaps.append(Gap("10", "the signatory" + (f" ({named} is no user record)" if named else ""),
                        "declaration.signatory in qms.yaml: the ID of a user (records/people/)"))
    return gaps

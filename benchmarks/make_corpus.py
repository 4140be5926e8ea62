"""Write a synthetic, valid quality repository of N linked records, for the scale benchmark.

    python benchmarks/make_corpus.py 10000 /tmp/qms-10k

The result is a complete quality repository (qms.yaml, specs/, records/) of a
fictional infusion-pump maker: users and roles, controlled documents, policies,
user needs, requirements (derived_from links), design outputs, verification
tests with results, hazards, harms, hazardous situations with risk estimates,
risk controls, nonconformances, CAPAs with actions and root cause, suppliers
with certificates and audits, materials, and about 20 % of N as bulk rows of
records/production/production.xlsx (sheets Lots, Serial units, Shipments).

Everything is drawn from a seeded random generator, so the same N and seed give
the same files byte for byte (the workbook's zip timestamps and document
properties are pinned too). Every event date lies on or before 2026-06-30, so

    qms --repo DIR validate --as-of 2026-11-25

exits 0 with no findings. Only the standard library, PyYAML and openpyxl are used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.analysis.trace import REVIEW_ROLES  # noqa: E402  (the corpus is stamped as qms review would)
from generator.model import kind_of_id as KINDS_BY_ID  # noqa: E402
from generator.model.canonical import fingerprint  # noqa: E402
from generator.render.xlsx import pin_zip  # noqa: E402

D = dt.date
LAST_EVENT = D(2026, 6, 30)  # no event date after this
FIRST_DAY = D(2023, 1, 9)
BULK_SHARE = 0.20
WORKBOOK = "records/production/production.xlsx"
PINNED = (2026, 6, 30, 12, 0, 0)  # zip entry timestamps of the workbook



class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes every value out: the loader refuses YAML aliases, so equal dates must not become &id001/*id001."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


# --------------------------------------------------------------------------- words

DEVICE = "infusion pump"
SUBJECTS = ("The pump", "The device", "The infusion set", "The user interface", "The pump software",
            "The battery subsystem", "The occlusion detector", "The air-in-line sensor", "The drive mechanism",
            "The enclosure", "The labelling", "The packaging", "The alarm system", "The dose calculator",
            "The wireless module", "The power supply", "The keypad", "The display")
VERBS = ("shall deliver", "shall detect", "shall limit", "shall display", "shall log", "shall alarm on",
         "shall withstand", "shall prevent", "shall maintain", "shall report", "shall reject", "shall confirm",
         "shall measure", "shall indicate", "shall store", "shall resist", "shall verify")
OBJECTS = ("the programmed flow rate", "an upstream occlusion", "a downstream occlusion", "air bubbles larger than "
           "50 microlitres", "the remaining volume", "a low battery condition", "every dose change",
           "the drug library version", "a free-flow condition", "ingress of fluids", "a 1 m drop onto concrete",
           "the bolus dose", "the infusion history", "the set-up steps", "an empty reservoir",
           "keypad input errors", "electromagnetic disturbances", "the door-open state", "a power interruption",
           "the occlusion pressure threshold", "the patient identifier", "the date of last calibration")
CONDITIONS = ("within 30 seconds", "with an accuracy of ±5 %", "at flow rates from 0.1 to 999 mL/h",
              "under all specified operating conditions", "for at least 8 hours on battery",
              "in ambient temperatures from 5 to 40 °C", "without user intervention", "at a sound level of at "
              "least 65 dB(A)", "across 10,000 actuation cycles", "as specified in IEC 60601-2-24",
              "before an infusion starts", "for 10 years of service life", "within 2 mL of the set volume",
              "at relative humidity up to 93 %")
RATIONALES = ("Derived from the hazard analysis of the delivery path.", "Required by IEC 60601-2-24.",
              "Clinicians asked for it in the formative usability study.", "Keeps the residual risk of "
              "over-infusion acceptable.", "Needed for traceability of every dose given.",
              "Field experience with the previous generation showed this gap.", "Regulatory expectation in "
              "the EU and the US.", "Supports home-care use by lay users.")
FOLLOWUPS = ("This applies in every operating mode.", "The limit is configurable only by biomedical "
             "engineering staff.", "Compliance is shown by test on three production-equivalent units.",
             "The event is recorded in the non-volatile log with a timestamp.", "The behaviour is described "
             "in the instructions for use.", "The requirement holds after single-fault conditions.",
             "The threshold is set in the drug library.", "Alarm priority follows IEC 60601-1-8.")
NEEDS = ("Nurses need to set up an infusion in under two minutes.", "Patients need to be protected from "
         "over-infusion.", "Clinicians need to see how much has been infused at a glance.", "Home-care users "
         "need clear alarms they can act on.", "Biomedical engineers need to update the drug library.",
         "Pharmacists need dose limits per drug.", "Users need the pump to run through a power cut.",
         "Hospitals need infusion records for the patient chart.", "Patients need to move around while "
         "the infusion runs.", "Nurses need to clean the pump between patients.")
FIRST = ("Anna", "Ben", "Chiara", "David", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kaja", "Liam",
         "Maya", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Viktor", "Wen", "Yara", "Zoe")
LAST = ("Andersen", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Horvat", "Ivanova", "Jensen",
        "Kowalski", "Lindqvist", "Moreau", "Novak", "Olsen", "Petrov", "Rossi", "Schmidt", "Tanaka", "Weber")
COMPANIES = ("Precision", "Alpine", "Nordic", "Baltic", "Meridian", "Summit", "Vector", "Delta", "Orion",
             "Atlas", "Helix", "Pioneer", "Crescent", "Harbor", "Granite", "Sterling")
TRADES = ("Plastics", "Electronics", "Moulding", "Machining", "Medical Components", "Sensors", "Packaging",
          "Cables", "Motors", "Labels", "Precision Parts", "Polymers")
COUNTRIES = ("DE", "FR", "IT", "NL", "DK", "SE", "CH", "AT", "PL", "CZ", "IE", "US", "JP", "NO")
PARTS = ("housing top", "housing bottom", "drive screw", "stepper motor", "pressure sensor", "air sensor",
         "main PCB", "display module", "keypad membrane", "battery pack", "power adapter", "door latch",
         "tubing clamp", "label set", "IFU booklet", "shipping box", "foam insert", "O-ring", "speaker",
         "antenna", "firmware image", "cable harness", "pole clamp", "silicone seal")
HAZARDS = ("Excess energy delivered to the patient", "Interruption of therapy", "Air embolism",
           "Incorrect drug dose", "Electric shock", "Burn from hot surface", "Contamination of the fluid path",
           "Mechanical crushing", "Loss of infusion data", "Unauthorised change of settings",
           "Biocompatibility of fluid-contact materials", "Ingress of liquid", "Electromagnetic interference",
           "Fire in the battery pack", "Misleading display", "Unheard alarm")
HARMS = ("Overdose leading to toxicity", "Underdose and loss of therapeutic effect", "Air embolism",
         "Electric shock injury", "Minor burn", "Infection", "Pinching injury", "Delayed treatment",
         "Allergic reaction", "Hypotension", "Death", "Tissue damage at the infusion site")
EVENTS = ("The user programs the wrong rate", "The door is opened during infusion", "The tubing kinks",
          "The battery runs flat", "The software freezes", "The alarm is muted", "The set is loaded wrongly",
          "Air enters the line", "The pump falls from the pole", "A sensor drifts out of calibration",
          "The drug library holds a wrong limit", "Fluid is spilled on the pump")
CONTROLS = ("Upstream and downstream pressure monitoring with alarm", "Air-in-line detector stops the pump",
            "Hard dose limits in the drug library", "Anti-free-flow clamp on the set", "Door-open interlock",
            "Double insulation of the power supply", "Warning in the instructions for use",
            "Watchdog timer restarts the controller", "Battery temperature cut-off", "Two-step confirmation "
            "of bolus doses", "Keypad lock with PIN", "Audible and visual alarm escalation",
            "Biocompatible fluid-path materials per ISO 10993", "IPX4 rated enclosure seals")
NC_TEXT = ("Dimension out of tolerance", "Scratch on display window", "Label misprinted", "Torque below "
           "specification", "Missing screw", "Occlusion test failed at final test", "Seal leak found",
           "Wrong firmware version loaded", "Packaging damaged in transit", "Certificate of conformance "
           "missing", "Particulate contamination in tubing", "Battery voltage low at receipt")
NC_CATEGORIES = ("dimensional", "cosmetic", "labelling", "assembly", "functional", "documentation",
                 "contamination", "packaging", "electrical")
AREAS = ("production", "incoming", "engineering", "warehouse", "software", "supplier")
WHYS = ("The operator used the wrong fixture.", "The fixture was not labelled.", "The work instruction did not "
        "name the fixture.", "The instruction was not updated after the design change.", "Change control did "
        "not list the work instruction as affected.", "The supplier changed the resin grade.", "The incoming "
        "inspection plan did not measure the wall thickness.", "The tool wore beyond its limit.",
        "Tool life was not tracked.", "The training record was incomplete.")
ACTIONS = ("Reworked the affected units", "Updated the work instruction and retrained operators",
           "Added a poka-yoke to the fixture", "Added wall thickness to the incoming inspection plan",
           "Introduced tool-life tracking in the MES", "Updated the change control checklist",
           "Extended the supplier audit scope", "Added an automatic test step at final test",
           "Quarantined and scrapped the suspect lot", "Revised the packaging drop test")
CUSTOMERS = ("St. Mary's Hospital", "University Clinic Nord", "Centro Medico Sud", "Klinikum West",
             "HomeCare Partners", "Regional Health Trust", "Hôpital Saint-Louis", "MedSupply Distribution",
             "Clinica San Marco", "Nordic Care AB", "Alpine Medical GmbH", "CarePlus Pharmacy Network")


def clause(rng: random.Random) -> tuple[str, str, str, str]:
    return rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(CONDITIONS)


def sentence(rng: random.Random) -> str:
    return " ".join(clause(rng)) + "."


def sentences(rng: random.Random, low: int = 1, high: int = 3, first: str | None = None) -> str:
    out = [first or sentence(rng)]
    out += rng.sample(FOLLOWUPS, rng.randint(low, high) - 1)
    return " ".join(out)


def day_between(rng: random.Random, start: D, end: D) -> D:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def after(rng: random.Random, start: D, low: int, high: int, cap: D = LAST_EVENT) -> D:
    """A day `low`..`high` days after `start`, never after `cap`."""
    return min(start + dt.timedelta(days=rng.randint(low, high)), cap)


def gtin14(rng: random.Random) -> str:
    body = "0" + "".join(str(rng.randint(0, 9)) for _ in range(12))
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


# --------------------------------------------------------------------------- plan

# Share of the YAML records per kind (bulk rows are BULK_SHARE of N on top).
WEIGHTS = {
    "user": 1.0, "document": 1.5, "user_need": 4.0, "requirement": 18.0, "design_output": 8.0,
    "verification": 16.0, "validation": 1.5, "hazard": 2.5, "harm": 1.5, "hazardous_situation": 5.0, "risk_control": 5.0,
    "nonconformance": 6.0, "capa": 2.0, "supplier": 1.5, "material": 4.0,
}
MINIMUM = {"user": 6, "document": 3, "user_need": 3, "requirement": 8, "design_output": 4, "verification": 6,
           "validation": 1, "hazard": 2, "harm": 2, "hazardous_situation": 3, "risk_control": 3, "nonconformance": 4,
           "capa": 1, "supplier": 3, "material": 6}
ROLES = (
    ("ROLE-QA", "Quality assurance", ["*"], ["*"], ["lot"]),
    ("ROLE-RA", "Regulatory affairs", ["*"], ["complaint", "document"], []),
    ("ROLE-ENG", "Design engineering", ["requirement", "design_output", "verification", "hazard"],
     ["requirement", "design_output"], []),
    ("ROLE-PROD", "Production", ["lot", "nonconformance"], [], []),
    ("ROLE-SUPPLY", "Supplier quality", ["supplier", "material"], ["supplier"], []),
    ("ROLE-MGMT", "Management", ["*"], ["capa", "document"], []),
)


def plan_counts(n: int) -> tuple[dict[str, int], dict[str, int]]:
    """(YAML record counts per kind, bulk row counts per sheet kind) adding up to about n."""
    bulk_total = round(n * BULK_SHARE)
    lots = max(4, round(bulk_total * 0.20))
    shipments = max(2, round(bulk_total * 0.20))
    serials = max(4, bulk_total - lots - shipments)
    bulk = {"lot": lots, "serial_unit": serials, "shipment": shipments}
    fixed = len(ROLES) + 3  # roles and the three policies
    yaml_total = max(n - sum(bulk.values()) - fixed, sum(MINIMUM.values()))
    weight = sum(WEIGHTS.values())
    counts = {k: max(MINIMUM[k], int(yaml_total * w / weight)) for k, w in WEIGHTS.items()}
    counts["requirement"] += max(0, yaml_total - sum(counts.values()))
    return counts, bulk


# --------------------------------------------------------------------------- writer


class Corpus:
    def __init__(self, root: Path, n: int, seed: int):
        self.root = root
        self.n = n
        self.rng = random.Random(seed)
        self.counts, self.bulk = plan_counts(n)
        self.first_user = self.ids("USR", self.counts["user"])[0]  # USR-001, or USR-0001 from 1,000 users on
        self.written: Counter[str] = Counter()
        self.files = 0
        self.bytes = 0
        self.folders: set[Path] = set()
        self.pending: list[tuple[str, dict[str, Any], str]] = []

    # ---- output

    def write(self, folder: str, record: dict[str, Any], kind: str) -> None:
        """Keep the record; files are written by flush() once the review stamps are known."""
        self.pending.append((folder, record, kind))

    def flush(self) -> None:
        """Stamp every review link with its target's fingerprint (as `qms review --all` would), then write.

        A real repository's approved records carry review stamps; without them the corpus would be full of
        'link not reviewed' warnings and would not measure the suspect-link check.
        """
        fingerprints: dict[str, str] = {}
        for _, record, _ in self.pending:
            raw = _clean(record)
            kind = KINDS_BY_ID(raw["id"])
            fingerprints[raw["id"]] = fingerprint(kind.model_for(raw).model_validate(raw))
        for folder, record, kind in self.pending:
            for role in REVIEW_ROLES:
                value = record.get(role)
                if isinstance(value, str) and value in fingerprints:
                    record[role] = {value: fingerprints[value]}
                elif isinstance(value, list):
                    record[role] = [{v: fingerprints[v]} if isinstance(v, str) and v in fingerprints else v
                                    for v in value]
            self._write_file(folder, record, kind)
        self.pending.clear()

    def _write_file(self, folder: str, record: dict[str, Any], kind: str) -> None:
        path = self.root / folder / f"{record['id']}.yaml"
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        text = yaml.dump(_clean(record), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                         default_flow_style=False)
        data = text.encode("utf-8")
        path.write_bytes(data)
        self.written[kind] += 1
        self.files += 1
        self.bytes += len(data)

    def ids(self, prefix: str, count: int, width: int = 3) -> list[str]:
        width = max(width, len(str(count)))
        return [f"{prefix}-{i:0{width}d}" for i in range(1, count + 1)]

    def pick(self, seq: list[Any], low: int = 1, high: int = 1) -> list[Any]:
        k = min(len(seq), self.rng.randint(low, high))
        return self.rng.sample(seq, k)

    # ---- build

    def build(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.config()
        self.people()
        self.policies()
        self.design()
        self.risk()
        self.supply()
        self.production()  # the workbook; before events so NCs can point at lots
        self.events()
        self.postmarket()
        self.flush()
        self.psur()

    def config(self) -> None:
        doc = {
            "company": {"name": "Synthetic Infusion Systems GmbH", "code": "SIS",
                        "address": "Musterstrasse 1, 80331 München, DE", "srn": "DE-MF-000012345"},
            "device": {"name": "FlowSafe 3", "model": "FS3-100", "classification_eu": "IIb",
                       "classification_us": "II", "intended_use": "Controlled intravenous infusion of fluids "
                       "and drugs in hospitals and home care.", "basic_udi_di": "4260123456FS3XY"},
            "numbering": {"format": "{company}-{type}-{number:03d}", "types": {"trace": "DTM", "risk": "RMF"},
                          "first_revision": "A"},
            # A device on the market: its declaration of conformity must be fillable (QMS773).
            "declaration": {"notified_body": {"name": "Synthetic Notified Body", "number": "0000"},
                            "procedure": "Annex IX, Chapters I and III",
                            "certificates": ["SNB-MDR-QMS-0001", "SNB-MDR-TD-0002"],
                            "place": "München, Germany", "signatory": self.first_user},
        }
        text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        (self.root / "qms.yaml").write_text(text, encoding="utf-8")
        self.files += 1

    def people(self) -> None:
        rng = self.rng
        for rid, title, review, approve, release in ROLES:
            self.write("records/people/roles", {
                "id": rid, "title": title, "status": "active", "created": D(2022, 5, 2),
                "may_review": review, "may_approve": approve, "may_release": release,
            }, "role")
        self.role_ids = [r[0] for r in ROLES]
        self.doc_ids = self.ids("DOC", self.counts["document"])
        self.user_ids = self.ids("USR", self.counts["user"])
        self.doc_effective: dict[str, D] = {}
        self.doc_revision: dict[str, str] = {}
        owners = self.user_ids[: max(2, len(self.user_ids) // 4)]
        for i, did in enumerate(self.doc_ids):
            effective = day_between(rng, D(2023, 1, 16), D(2024, 6, 28))
            self.doc_effective[did] = effective
            self.doc_revision[did] = rng.choice("ABCD")
            self.write("records/documents", {
                "id": did, "title": f"{rng.choice(('Procedure', 'Work instruction', 'Form', 'Plan'))} "
                                   f"{i + 1}: {rng.choice(NC_CATEGORIES)} control",
                "status": "effective", "owner": rng.choice(owners), "created": effective - dt.timedelta(days=30),
                "type": rng.choice(("sop", "work_instruction", "form", "plan")),
                "number": f"SIS-SOP-{i + 1:03d}", "revision": self.doc_revision[did], "effective": effective,
                "review_due": D(2027, rng.randint(1, 12), rng.randint(1, 28)),
                "training_roles": self.pick(self.role_ids, 1, 2),
            }, "document")
        used_names: set[str] = set()
        for uid in self.user_ids:
            while True:
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                if name not in used_names or len(used_names) >= len(FIRST) * len(LAST):
                    break
            used_names.add(name)
            login = re.sub(r"[^a-z]", "", name.lower().replace(" ", "."))[:20] + uid[-3:]
            start = day_between(rng, D(2022, 6, 1), D(2022, 12, 20))  # before any record they own
            training = []
            for did in self.pick(self.doc_ids, 1, 4):
                training.append({"subject": did, "revision": self.doc_revision[did],
                                 "date": max(start, self.doc_effective[did]) + dt.timedelta(days=rng.randint(1, 60))})
            self.write("records/people", {
                "id": uid, "title": name, "status": "active", "created": start, "name": name,
                "email": f"{login}@synthetic-infusion.example", "roles": self.pick(self.role_ids, 1, 2),
                "active_from": start, "training": training,
            }, "user")

    def user(self) -> str:
        return self.rng.choice(self.user_ids)

    def policies(self) -> None:
        levels = ("Negligible", "Minor", "Serious", "Critical", "Catastrophic")
        probs = ("Improbable", "Remote", "Occasional", "Probable", "Frequent")
        # rows: probability (lowest first) x columns: severity (lowest first)
        matrix = [
            ["low", "low", "low", "low", "low"],
            ["low", "low", "low", "medium", "medium"],
            ["low", "low", "medium", "medium", "high"],
            ["low", "medium", "medium", "high", "high"],
            ["medium", "medium", "high", "high", "high"],
        ]
        self.risk_matrix = matrix
        base = {"status": "effective", "owner": self.user_ids[0], "created": D(2023, 1, 16)}
        self.write("specs/policies", {
            "id": "POL-RISK", "title": "Risk acceptability policy", **base, "policy": "risk",
            "severity": [{"level": i + 1, "name": n, "definition": f"{n} harm to the patient or user"}
                         for i, n in enumerate(levels)],
            "probability": [{"level": i + 1, "name": n, "range": r} for i, (n, r) in enumerate(zip(
                probs, ("< 1e-6 per use", "1e-6 to 1e-5", "1e-5 to 1e-4", "1e-4 to 1e-3", ">= 1e-3")))],
            "regions": [
                {"name": "low", "acceptable": True, "color": "#63BE7B"},
                {"name": "medium", "acceptable": True, "benefit_risk_required": True, "color": "#FFEB84"},
                {"name": "high", "acceptable": False, "color": "#F8696B"},
            ],
            "acceptability": matrix,
            "nc_capa_region": ["medium", "high"],
        }, "policy")
        self.write("specs/policies", {
            "id": "POL-CAPA", "title": "CAPA policy", **base, "policy": "capa",
            "recurrence": {"count": 3, "window_days": 180, "by": ["category"]},
            "owners": {area: self.user_ids[i % len(self.user_ids)] for i, area in enumerate(AREAS)},
            "default_owner": self.user_ids[0], "due_days": 120,
            "stage_days": {"investigation": 30, "action": 60, "effectiveness_check": 120},
            "effectiveness_wait_days": 60,
        }, "policy")
        self.write("specs/policies", {
            "id": "POL-SUPPLIER", "title": "Supplier scoring policy", **base, "policy": "supplier",
            "weights": {"quality": 0.5, "delivery": 0.3, "responsiveness": 0.2},
            "grades": [{"grade": "A", "min_score": 90}, {"grade": "B", "min_score": 75},
                       {"grade": "C", "min_score": 0}],
            "reevaluate_below": 75, "period": "quarter", "certificate_horizon_days": 60,
            "audit_interval_months": {"critical": 12, "major": 24, "minor": 36},
        }, "policy")

    # ---- design controls

    def design(self) -> None:
        rng = self.rng
        self.need_ids = self.ids("UN", self.counts["user_need"])
        for uid in self.need_ids:
            created = day_between(rng, D(2023, 2, 1), D(2023, 8, 31))
            self.write("specs/needs", {
                "id": uid, "title": rng.choice(NEEDS)[:-1], "status": "approved", "owner": self.user(),
                "created": created, "statement": " ".join(rng.sample(NEEDS, rng.randint(1, 2))),
                "source": rng.choice(("user research", "IEC 60601-2-24", "EU MDR Annex I", "complaint trend",
                                      "clinical advisory board")),
                "user_group": rng.choice(("nurse", "patient", "biomedical engineer", "pharmacist")),
                "use_environment": rng.choice(("hospital ward", "intensive care", "home care", "ambulance")),
            }, "user_need")
        self.req_ids = self.ids("REQ", self.counts["requirement"], 4)
        for i, rid in enumerate(self.req_ids):
            if i < len(self.need_ids):
                parents = [self.need_ids[i]]
            elif i < 3 * len(self.need_ids) or rng.random() < 0.3:
                parents = self.pick(self.need_ids, 1, 2)
            else:
                parents = self.pick(self.req_ids[:i], 1, 2)
            created = day_between(rng, D(2023, 9, 1), D(2024, 6, 30))
            subject, verb, obj, condition = clause(rng)
            statement = sentences(rng, first=f"{subject} {verb} {obj} {condition}.")
            self.write("specs/requirements", {
                "id": rid, "title": f"{subject[4:].capitalize()}: {verb[6:]} {obj}",
                "status": "approved", "owner": self.user(), "created": created,
                "statement": statement, "rationale": rng.choice(RATIONALES),
                "type": rng.choice(("functional", "performance", "safety", "usability", "software",
                                    "interface", "labeling", "environmental")),
                "verification_method": rng.choice(("test", "test", "test", "inspection", "analysis")),
                "derived_from": parents,
                "tags": self.pick(["pump", "alarm", "software", "usability", "safety", "emc"], 0, 2),
            }, "requirement")
        self.do_ids = self.ids("DO", self.counts["design_output"])
        self.do_types: dict[str, str] = {}
        per = max(1, len(self.req_ids) // len(self.do_ids))
        for i, did in enumerate(self.do_ids):
            covered = self.req_ids[i * per:(i + 1) * per] if i * per < len(self.req_ids) else []
            extra = self.pick(self.req_ids, 0, 2)
            kind = rng.choice(("drawing", "specification", "software", "label", "ifu", "bom", "process"))
            self.do_types[did] = kind
            self.write("records/outputs", {
                "id": did, "title": f"{rng.choice(PARTS).capitalize()} {kind}", "status": "approved",
                "owner": self.user(), "created": day_between(rng, D(2024, 7, 1), D(2025, 3, 31)),
                "description": sentences(rng, 1, 2), "type": kind,
                "document": f"SIS-{kind[:3].upper()}-{i + 1:04d}", "revision": rng.choice("ABCDE"),
                "implements": list(dict.fromkeys(covered + extra)) or [rng.choice(self.req_ids)],
            }, "design_output")
        # Design controls (QMS209): every approved requirement has a design output. The draw above leaves some
        # uncovered; give each to an output in turn, without a random draw, so the rest of the corpus is unchanged.
        outputs = [record for _, record, kind in self.pending if kind == "design_output"]
        covered_ids = {rid for record in outputs for rid in record["implements"]}
        uncovered = [rid for rid in self.req_ids if rid not in covered_ids]
        for j, rid in enumerate(uncovered):
            outputs[j % len(outputs)]["implements"].append(rid)
        # Risk controls exist before verification so tests can verify them: draw their IDs now.
        self.rc_ids = self.ids("RC", self.counts["risk_control"])

    def verification(self) -> None:
        rng = self.rng
        ver_ids = self.ids("VER", self.counts["verification"])
        rc_share = max(2, round(len(ver_ids) * len(self.rc_ids) / (len(self.rc_ids) + len(self.req_ids))))
        rc_tests, req_tests = ver_ids[:rc_share], ver_ids[rc_share:] or ver_ids[:1]
        # Each risk control is verified twice (ISO 14971 7.2): by an implementation and an effectiveness test.
        impl_tests, eff_tests = rc_tests[0::2], rc_tests[1::2]
        purpose = {**{v: "implementation" for v in impl_tests}, **{v: "effectiveness" for v in eff_tests}}
        assign: dict[str, list[str]] = {v: [] for v in ver_ids}
        for i, target in enumerate(self.rc_ids):
            assign[impl_tests[i % len(impl_tests)]].append(target)
            assign[eff_tests[i % len(eff_tests)]].append(target)
        for i, target in enumerate(self.req_ids):
            assign[req_tests[i % len(req_tests)]].append(target)
        for vid in ver_ids:
            targets = assign[vid] or [rng.choice(self.req_ids)]
            is_rc = targets[0].startswith("RC-")
            results = []
            day = day_between(rng, D(2025, 4, 1), D(2026, 3, 31))
            runs = rng.choice((1, 1, 1, 2, 3))
            for run in range(runs):
                results.append({
                    "date": day, "result": "pass" if run == runs - 1 else rng.choice(("fail", "blocked")),
                    "executed_by": self.user(),  # no report cited: the corpus holds no report files (QMS764)
                    **({"notes": rng.choice(FOLLOWUPS)} if rng.random() < 0.3 else {}),
                })
                day = after(rng, day, 3, 40)
            self.write("records/verification", {
                "id": vid, "title": f"Verify {rng.choice(OBJECTS)}", "status": "approved", "owner": self.user(),
                "created": day_between(rng, D(2024, 9, 1), D(2025, 3, 31)),
                "method": f"Test method TM-{rng.randint(1, 80):03d}: {sentence(rng)}",
                "acceptance_criteria": sentences(rng, 1, 2), "sample_size": rng.choice((1, 3, 5, 10, 30)),
                "results": results, "verifies": targets,
                "purpose": purpose[vid] if is_rc else "requirement",
            }, "verification")

    def validation(self) -> None:
        """Design validation (7.3.7): every user need is validated by a summative or simulated-use study."""
        rng = self.rng
        val_ids = self.ids("VAL", self.counts["validation"])
        for i, vid in enumerate(val_ids):
            needs = self.need_ids[i::len(val_ids)]
            if not needs:
                needs = [rng.choice(self.need_ids)]
            day = day_between(rng, D(2025, 6, 1), D(2026, 4, 30))
            self.write("records/validation", {
                "id": vid, "title": f"Summative study {i + 1}", "status": "approved", "owner": self.user(),
                "created": day_between(rng, D(2025, 1, 1), D(2025, 5, 31)),
                "type": rng.choice(("summative_usability", "simulated_use", "clinical_evaluation")),
                "method": f"Protocol VP-{i + 1:03d}: {sentence(rng)}", "acceptance_criteria": sentences(rng, 1, 1),
                "sample_size": rng.choice((15, 20, 30)),
                "results": [{"date": day, "result": "pass", "executed_by": self.user()}],
                "validates": needs,
            }, "validation")

    # ---- risk

    def risk(self) -> None:
        rng = self.rng
        hazard_ids = self.ids("HAZ", self.counts["hazard"])
        for hid in hazard_ids:
            self.write("records/risk/hazards", {
                "id": hid, "title": rng.choice(HAZARDS), "status": "approved", "owner": self.user(),
                "created": day_between(rng, D(2023, 6, 1), D(2024, 3, 31)),
                "description": sentences(rng, 1, 2),
                "category": rng.choice(("energy", "biological", "chemical", "operational", "information",
                                        "software", "mechanical", "electrical", "thermal")),
            }, "hazard")
        harm_ids = self.ids("HARM", self.counts["harm"])
        harm_severity: dict[str, int] = {}
        for hid in harm_ids:
            harm_severity[hid] = rng.randint(1, 5)
            self.write("records/risk/harms", {
                "id": hid, "title": rng.choice(HARMS), "status": "approved", "owner": self.user(),
                "created": day_between(rng, D(2023, 6, 1), D(2024, 3, 31)), "severity": harm_severity[hid],
            }, "harm")
        self.hs_ids = hs_ids = self.ids("HS", self.counts["hazardous_situation"])
        for i, sid in enumerate(hs_ids):
            harms = self.pick(harm_ids, 1, 2)
            severity = max(harm_severity[h] for h in harms)
            initial_p = rng.randint(2, 5)
            # residual: one probability level the matrix accepts as 'low' for this severity
            residual_p = next(p for p in range(5, 0, -1) if self.risk_matrix[p - 1][severity - 1] == "low")
            residual_p = rng.randint(1, min(residual_p, initial_p))
            self.write("records/risk/situations", {
                "id": sid, "title": f"{rng.choice(EVENTS)} ({rng.choice(HAZARDS).lower()})", "status": "approved",
                "owner": self.user(), "created": day_between(rng, D(2023, 9, 1), D(2024, 6, 30)),
                "hazard": hazard_ids[i % len(hazard_ids)],
                "sequence_of_events": rng.sample(EVENTS, rng.randint(2, 3)),
                "harms": harms,
                "initial_risk": {"severity": severity, "probability": initial_p},
                "residual_risk": {"severity": severity, "probability": residual_p},
            }, "hazardous_situation")
        safety_reqs = self.req_ids
        for i, cid in enumerate(self.rc_ids):
            kind = rng.choice(("inherent_safety", "protective_measure", "protective_measure",
                               "information_for_safety"))
            mitigated = list(dict.fromkeys([hs_ids[i % len(hs_ids)]] + self.pick(hs_ids, 0, 1)))
            record = {
                "id": cid, "title": rng.choice(CONTROLS), "status": "approved", "owner": self.user(),
                "created": day_between(rng, D(2024, 1, 1), D(2024, 9, 30)),
                "description": sentences(rng, 1, 2), "type": kind, "mitigates": mitigated,
                "implemented_by": self.pick(safety_reqs, 1, 2) + self.pick(self.do_ids, 0, 1),
            }
            if kind == "information_for_safety":
                record["design_infeasible_rationale"] = ("A design measure would prevent clinically needed "
                                                         "flexibility; the residual risk is disclosed in the IFU.")
            self.write("records/risk/controls", record, "risk_control")
        self.write("records/risk/benefit-risk", {
            "id": "BRA-001", "title": "Overall residual risk evaluation", "status": "approved", "owner": self.user(),
            "created": D(2026, 4, 1), "scope": "overall", "covers": hs_ids, "conclusion": "benefits_outweigh",
            "benefits": ["Accurate delivery of the prescribed therapy"], "rationale": sentences(rng, 1, 2),
            "evaluated": D(2026, 4, 15),
        }, "benefit_risk")
        self.verification()
        self.validation()

    # ---- supply chain

    def supply(self) -> None:
        rng = self.rng
        self.sup_ids = self.ids("SUP", self.counts["supplier"])
        for i, sid in enumerate(self.sup_ids):
            approved = day_between(rng, D(2023, 1, 16), D(2024, 12, 20))
            certificates = []
            for standard in rng.sample(("ISO 13485:2016", "ISO 9001:2015", "ISO 14001:2015"), rng.randint(1, 2)):
                issued = day_between(rng, D(2024, 3, 1), D(2026, 3, 31))  # none expires near the as-of date
                certificates.append({"standard": standard, "number": f"CERT-{rng.randint(10000, 99999)}",
                                     "issuer": rng.choice(("TÜV SÜD", "BSI", "DEKRA", "SGS")), "issued": issued,
                                     "expires": D(issued.year + 3, issued.month, min(issued.day, 28))})
            audits = []
            audit_day = after(rng, approved, -60, -5)
            for _ in range(rng.randint(1, 3)):
                audits.append({"date": audit_day, "type": rng.choice(("onsite", "remote", "questionnaire")),
                               "auditor": self.user(), "result": "pass", "findings": rng.randint(0, 4),
                               "report": f"AUD-{audit_day.year}-{rng.randint(1, 999):03d}"})
                audit_day = min(after(rng, audit_day, 200, 400), audit_day + dt.timedelta(days=360))
                if audit_day >= LAST_EVENT:
                    break
            # Keep every supplier within the strictest audit interval of the policy (12 months) all the time
            # (QMS510) and as of the benchmark's date (QMS504); no random draw, so the rest of the corpus is
            # unchanged.
            while audits[-1]["date"] < LAST_EVENT - dt.timedelta(days=180):
                last = min(audits[-1]["date"] + dt.timedelta(days=330), LAST_EVENT - dt.timedelta(days=i % 120))
                audits.append({"date": last, "type": "remote", "auditor": audits[0]["auditor"], "result": "pass",
                               "findings": 0, "report": f"AUD-{last.year}-{900 + (i + len(audits)) % 99:03d}"})
            self.write("records/suppliers", {
                "id": sid, "title": f"{rng.choice(COMPANIES)} {rng.choice(TRADES)} {i + 1}",
                "status": "approved", "owner": self.user(), "created": approved - dt.timedelta(days=90),
                "scope": f"Supply of {', '.join(rng.sample(PARTS, 2))}",
                "criticality": rng.choice(("critical", "major", "minor")), "country": rng.choice(COUNTRIES),
                "contact": f"quality@supplier{i + 1}.example", "approved": approved,
                "requalification_due": D(2027, rng.randint(1, 12), rng.randint(1, 28)),
                "certificates": certificates, "audits": audits,
                "quality_agreement": {"document": rng.choice(self.doc_ids),
                                      "signed": after(rng, approved, 1, 60),
                                      "expires": D(2028, rng.randint(1, 12), rng.randint(1, 28))},
            }, "supplier")
        self.mat_ids = self.ids("MAT", self.counts["material"])
        finished = max(1, len(self.mat_ids) // 20)
        self.finished_mats = self.mat_ids[:finished]
        self.component_mats = self.mat_ids[finished:]
        self.mat_suppliers: dict[str, list[str]] = {}
        self.gtins: dict[str, str] = {}
        specs = [d for d, t in self.do_types.items() if t in ("drawing", "specification")] or self.do_ids
        for i, mid in enumerate(self.mat_ids):
            record: dict[str, Any] = {
                "id": mid, "title": "", "status": "approved", "owner": self.user(),
                "created": day_between(rng, D(2023, 6, 1), D(2024, 6, 30)),
            }
            if mid in self.finished_mats:
                self.gtins[mid] = gtin14(rng)
                record.update({
                    "title": f"FlowSafe 3 infusion pump, variant {i + 1}", "type": "finished_device",
                    "part_number": f"FS3-{100 + i}", "revision": rng.choice("ABC"), "critical": True,
                    "specification": rng.choice(specs), "gtin": self.gtins[mid], "shelf_life_months": 60,
                    "storage": {"min_c": 5.0, "max_c": 40.0, "excursion_allowance_hours": 24.0},
                    "bom": [{"material": m, "quantity": rng.choice((1, 1, 2, 4))}
                            for m in self.pick(self.component_mats, 3, 6)],
                })
            else:
                suppliers = self.pick(self.sup_ids, 1, 2)
                self.mat_suppliers[mid] = suppliers
                part = rng.choice(PARTS)
                record.update({
                    "title": f"{part.capitalize()} {i + 1}", "type": rng.choice(("component", "component",
                                                                                   "raw_material", "packaging",
                                                                                   "label", "subassembly")),
                    "part_number": f"P-{10000 + i}", "revision": rng.choice("ABCD"),
                    "critical": rng.random() < 0.3, "approved_suppliers": suppliers,
                    "specification": rng.choice(specs),
                    "inspection": {"aql": rng.choice((0.65, 1.0, 1.5, 2.5)), "level": rng.choice(("I", "II"))},
                })
                if rng.random() < 0.3:
                    record["shelf_life_months"] = rng.choice((12, 24, 36))
                    record["storage"] = {"min_c": 2.0, "max_c": 30.0}
            self.write("records/materials", record, "material")

    # ---- production workbook (bulk rows)

    def production(self) -> None:
        from openpyxl import Workbook

        rng = self.rng
        n_lots = self.bulk["lot"]
        n_finished = max(1, n_lots // 3)
        n_component = n_lots - n_finished
        lots_rows: list[list[Any]] = []
        component: list[tuple[str, D]] = []
        remaining: dict[str, float] = {}
        lot_header = ["ID", "Status", "Owner", "Lot type", "Material", "Supplier", "Supplier lot", "Quantity",
                      "Manufactured", "Expiry", "Production line", "Consumes", "Units started",
                      "Units passed first", "DHR complete", "Released", "Released by"]
        for i in range(1, n_component + 1):
            lid = f"LOT-C-{i:05d}"
            mat = rng.choice(self.component_mats)
            made = day_between(rng, D(2024, 1, 2), D(2025, 12, 31))
            qty = float(rng.choice((250, 500, 1000, 2000)))
            component.append((lid, made))
            remaining[lid] = qty
            lots_rows.append([lid, rng.choice(("accepted", "consumed")), self.user(), "component", mat,
                              rng.choice(self.mat_suppliers[mat]), f"S{rng.randint(100000, 999999)}", qty, made,
                              D(made.year + 3, made.month, min(made.day, 28)), None, None, None, None, None,
                              None, None])
        finished: list[tuple[str, str, D, D]] = []
        n_serials = self.bulk["serial_unit"]
        for i in range(1, n_finished + 1):
            lid = f"LOT-F-{i:05d}"
            mat = rng.choice(self.finished_mats)
            made = day_between(rng, D(2025, 1, 6), D(2026, 5, 29))
            usable = [c[0] for c in component if c[1] < made and remaining[c[0]] >= 20] or [component[0][0]]
            used = []
            for c in rng.sample(usable, min(len(usable), rng.randint(2, 4))):
                qty = min(remaining[c], rng.choice((5, 10, 20)))
                remaining[c] -= qty
                used.append(f"{c}={qty:g}")
            consumes = "; ".join(used)
            # serial units go round-robin over finished lots: this lot gets `units` of them
            units = n_serials // n_finished + (1 if i <= n_serials % n_finished else 0)
            started = units + rng.randint(0, 12)
            released = after(rng, made, 2, 20)
            finished.append((lid, mat, made, released))
            lots_rows.append([lid, "released", self.user(), "finished", mat, None, None, float(started), made,
                              D(made.year + 5, made.month, min(made.day, 28)),
                              rng.choice(("Line 1", "Line 2", "Cell A")), consumes, started,
                              rng.randint(units, started), True, released, self.user()])
        self.lot_ids = [r[0] for r in lots_rows]
        self.finished_lots = [f[0] for f in finished]
        serial_rows: list[list[Any]] = []
        units_by_lot: dict[str, list[tuple[str, D]]] = {}
        for i in range(1, self.bulk["serial_unit"] + 1):
            lid, mat, made, released = finished[(i - 1) % len(finished)]
            sid = f"SN-{i:06d}"
            serial = f"FS3{i:07d}"
            expiry = D(made.year + 5, made.month, min(made.day, 28))
            udi = f"(01){self.gtins[mat]}(17){expiry:%y%m%d}(10){lid}(21){serial}"
            units_by_lot.setdefault(lid, []).append((sid, released))
            serial_rows.append([sid, "released", lid, serial, udi, made])
        status_of = {row[0]: i for i, row in enumerate(serial_rows)}
        pool = [u for units in units_by_lot.values() for u in units]
        rng.shuffle(pool)
        ship_rows: list[list[Any]] = []
        n_ship = self.bulk["shipment"]
        for i in range(1, n_ship + 1):
            # 1-4 units each, keeping at least one for every shipment still to come; the rest stay in stock
            take = max(1, min(rng.randint(1, 4), len(pool) - (n_ship - i)))
            batch = [pool.pop() for _ in range(min(take, len(pool)))]
            units = [u[0] for u in batch]
            earliest = max((u[1] for u in batch), default=D(2025, 6, 2))
            shipped = after(rng, earliest, 1, 30)
            for unit in units:
                serial_rows[status_of[unit]][1] = "shipped"
            ship_rows.append([f"SHP-{i:05d}", "delivered" if shipped < D(2026, 6, 20) else "shipped",
                              rng.choice(CUSTOMERS), rng.choice(COUNTRIES), shipped, "; ".join(units) or None])
        wb = Workbook(write_only=True)
        for title, header, rows in (
            ("Lots", lot_header, lots_rows),
            ("Serial units", ["ID", "Status", "Lot", "Serial", "UDI", "Manufactured"], serial_rows),
            ("Shipments", ["ID", "Status", "Customer", "Country", "Shipped", "Units"], ship_rows),
        ):
            ws = wb.create_sheet(title)
            ws.append(header)
            for row in rows:
                ws.append(row)
        path = self.root / WORKBOOK
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        wb.save(buffer)
        data = pin_zip(buffer.getvalue(), dt.datetime(*PINNED))
        path.write_bytes(data)
        self.files += 1
        self.bytes += len(data)
        self.written["lot"] += len(lots_rows)
        self.written["serial_unit"] += len(serial_rows)
        self.written["shipment"] += len(ship_rows)

    # ---- quality events

    def events(self) -> None:
        rng = self.rng
        n_nc = self.counts["nonconformance"]
        n_capa = self.counts["capa"]
        ncs: list[tuple[str, D, str]] = []
        seq: Counter[int] = Counter()
        days = sorted(day_between(rng, D(2024, 2, 1), D(2026, 6, 1)) for _ in range(n_nc))
        capa_sources = set(rng.sample(range(n_nc), min(n_nc, max(1, n_capa * 2))))
        for i, detected in enumerate(days):
            seq[detected.year] += 1
            nid = f"NC-{detected.year}-{seq[detected.year]:04d}"
            source = rng.choice(("incoming_inspection", "production", "production", "process_deviation", "audit"))
            category = rng.choice(NC_CATEGORIES)
            closed = after(rng, detected, 5, 60)
            is_closed = detected < D(2026, 4, 30)  # only recent NCs are still open
            needs_capa = i in capa_sources
            record: dict[str, Any] = {
                "id": nid, "title": f"{rng.choice(NC_TEXT)} ({category})",
                "status": "closed" if is_closed else rng.choice(("open", "contained")),
                "owner": self.user(), "created": detected,
                "description": sentences(rng, 1, 3), "type": "nonconformance", "source": source,
                # Each NC its own defect class: the corpus models no trends, so the CAPA recurrence
                # trigger (QMS401) and recurrence after closure (QMS408) stay quiet at any size.
                "category": f"{category}-{i + 1:05d}", "area": rng.choice(AREAS), "detected": detected,
            }
            if source == "incoming_inspection":
                mat = rng.choice(self.component_mats)
                record["materials"] = [mat]
                record["supplier"] = rng.choice(self.mat_suppliers[mat])
                record["affected_lots"] = [rng.choice(self.lot_ids[: max(1, len(self.lot_ids) - len(self.finished_lots))])]
            else:
                record["affected_lots"] = self.pick(self.finished_lots, 1, 2)
                record["materials"] = self.pick(self.finished_mats, 1, 1)
            if not is_closed:
                # Lots under an open NC are not released (QMS525); the corpus keeps its lots released,
                # so a still-open NC names the material only. Drawn above all the same, so the rest of
                # the corpus does not shift.
                record.pop("affected_lots")
            record["risk"] = {"severity": rng.randint(1, 3), "probability": rng.randint(1, 3)}
            if not needs_capa and self.risk_matrix[record["risk"]["probability"] - 1][record["risk"]["severity"] - 1] \
                    in ("medium", "high"):
                # A risk in the policy's nc_capa_region demands a CAPA (QMS401); NCs without one stay low.
                record["risk"]["probability"] -= 1
            record["containment"] = "Affected stock quarantined and labelled; " + rng.choice(ACTIONS).lower() + "."
            if is_closed or record["status"] == "contained":
                disposition = rng.choice(("use_as_is", "rework", "scrap", "return_to_supplier"))
                record["disposition"] = disposition
                record["disposition_justification"] = rng.choice(FOLLOWUPS)
                record["disposition_by"] = self.user()
            record["capa_required"] = needs_capa
            record["capa_rationale"] = ("Systemic cause suspected; CAPA opened." if needs_capa
                                        else "Isolated occurrence; correction is sufficient.")
            if is_closed:
                record["closed"] = closed
            ncs.append((nid, detected, record["area"]))
            self.write("records/events/nc", record, "nonconformance")
        needing = [ncs[i] for i in sorted(capa_sources)]
        seq.clear()
        per = max(1, len(needing) // n_capa)
        groups = [needing[i * per:(i + 1) * per] for i in range(n_capa)]
        for group in groups:
            group = group or [rng.choice(ncs)]
            opened = after(rng, max(g[1] for g in group), 1, 14)
            seq[opened.year] += 1
            cid = f"CAPA-{opened.year}-{seq[opened.year]:03d}"
            actions = []
            day = opened
            closed_capa = opened < D(2025, 9, 30)
            for k in range(rng.randint(2, 4)):
                due = after(rng, day, 14, 45, cap=D(2099, 1, 1))
                done = after(rng, day, 7, 40)
                if not closed_capa and done >= D(2026, 3, 1):  # still open: due after the as-of date
                    due = max(due, D(2027, 1, 15) + dt.timedelta(days=k * 14))
                action = {"type": ("correction", "corrective", "preventive", "corrective")[k],
                          "description": rng.choice(ACTIONS), "owner": self.user(), "due": due}
                if closed_capa or done < D(2026, 3, 1):
                    action.update(status="done", done=done, evidence=f"ECO-{rng.randint(1000, 9999)}")
                    day = done
                else:
                    action["status"] = "open"
                actions.append(action)
            owner = self.user()
            record = {
                "id": cid, "title": f"CAPA: recurring {rng.choice(NC_CATEGORIES)} issues", "owner": owner,
                "created": opened, "sources": [g[0] for g in group], "area": group[0][2],
                "problem": sentences(rng, 2, 3), "containment": "Suspect stock quarantined.",
                "investigation": sentences(rng, 1, 3),
                "root_cause": {"method": rng.choice(("five_whys", "fishbone", "is_is_not")),
                               "category": rng.choice(("man", "machine", "method", "material", "measurement")),
                               "whys": rng.sample(WHYS, rng.randint(3, 5)), "statement": rng.choice(WHYS)},
                "actions": actions, "opened": opened,
                "due": max(opened + dt.timedelta(days=120), D(2027, 3, 31)),
                # ISO 13485 8.5.2 completeness (QMS411-413), drawn from the sources without a random draw.
                "risk": {"assessment": "Within the severity of the hazardous situations already in the risk file.",
                         "links": [self.hs_ids[seq[opened.year] % len(self.hs_ids)]]},
                "reportability": {"reportable": False, "decided": opened, "by": owner,
                                  "rationale": "Found in-house; no device distributed, no patient exposed."},
            }
            if closed_capa:
                criteria_set = after(rng, opened, 5, 20)
                check_due = day + dt.timedelta(days=60)
                checked = after(rng, check_due, 0, 30)
                record["effectiveness"] = {
                    "criteria": "No recurrence of the defect in the next 10 lots.", "criteria_set": criteria_set,
                    "check_due": check_due, "checked": checked, "result": "effective",
                    "verified_by": self.user(), "evidence": "Trend chart of the next 10 lots.",
                    "evidence_records": [lot for lot in self.finished_lots[:1]]}
                record["closed"] = after(rng, checked, 1, 10)
                record["due"] = max(opened + dt.timedelta(days=120), record["closed"] + dt.timedelta(days=rng.randint(3, 30)))
                record["status"] = "closed"
            else:
                record["status"] = "action" if any(a["status"] == "open" for a in actions) else "effectiveness_check"
            if record["status"] in ("effectiveness_check", "closed"):
                record["adverse_effect"] = {"verified": day, "by": owner,
                                            "evidence": "Regression tests of the changed process and product."}
            record = {k: record[k] for k in ("id", "title", "status", *[k for k in record if k not in
                                                                          ("id", "title", "status")])}
            self.write("records/events/capa", record, "capa")


    # ---- conformity and post-market surveillance (EU MDR Art. 84, 86; Annex IV)

    def postmarket(self) -> None:
        """The standards applied and an approved PMS plan: a device on the market needs both (QMS770, QMS773)."""
        for i, (number, edition, title) in enumerate((
                ("IEC 60601-1", "2005+A1:2012+A2:2020", "Medical electrical equipment: general requirements"),
                ("IEC 60601-2-24", "2012", "Particular requirements for infusion pumps and controllers"))):
            self.write("records/standards", {
                "id": f"STD-{i + 1:03d}", "title": f"{number} {title}", "status": "draft", "owner": self.first_user,
                "created": D(2026, 1, 15), "number": number, "edition": edition, "harmonised": True}, "standard")
        self.write("records/postmarket", {
            "id": "PMSP-001", "title": "Post-market surveillance plan - FlowSafe 3", "status": "approved",
            "owner": self.first_user, "created": D(2025, 1, 10), "scope": "FlowSafe 3 infusion pumps in every market.",
            "sources": [{"source": "complaints", "method": "Every complaint logged, investigated and trended.",
                         "frequency": "monthly"}],
            "min_population": 100, "methods": "Counts per quarter; rates per 1,000 units sold above 100 units.",
            "review_frequency": "monthly", "psur_interval_months": 12}, "pms_plan")

    def psur(self) -> None:
        """PSUR-2026-001 for the 12 months before the benchmark's date, stating the counts of the records of its
        period (QMS771 compares them): read back from the written corpus with the generator's own loader."""
        from generator.analysis.psur import psur_facts
        from generator.load.repo import load_repository
        from generator.recordset import RecordSet

        start, end = D(2025, 11, 1), D(2026, 10, 31)
        loaded = load_repository(self.root, use_cache=False)
        facts = psur_facts(RecordSet(loaded.records, loaded.config), start, end)
        self._write_file("records/postmarket", {
            "id": "PSUR-2026-001", "title": "Periodic safety update report 2025-11 to 2026-10", "status": "draft",
            "owner": self.first_user, "created": D(2026, 11, 20), "plan": "PMSP-001", "period_start": start,
            "period_end": end, "units_sold": int(facts.units_sold),
            "stated": {name: facts.count(name) for name in ("complaints", "serious_incidents", "nonconformances",
                                                              "capas")},
            "benefit_risk": "Favourable.", "pmcf": "No PMCF findings in the period.",
            "conclusion": "No action beyond the open CAPAs."}, "psur")


def _clean(value: Any) -> Any:
    """Drop None values and empty lists so files look hand-written."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def make_corpus(n: int, root: Path, seed: int = 2026, quiet: bool = True) -> dict[str, Any]:
    """Write the corpus; returns {'records': ..., 'files': ..., 'bytes': ..., 'by_kind': {...}, 'seconds': ...}."""
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    started = time.perf_counter()
    corpus = Corpus(root, n, seed)
    corpus.build()
    summary = {
        "records": sum(corpus.written.values()), "files": corpus.files, "bytes": corpus.bytes,
        "by_kind": dict(corpus.written), "seconds": time.perf_counter() - started,
    }
    if not quiet:
        print_summary(root, summary)
    return summary


def print_summary(root: Path, s: dict[str, Any]) -> None:
    print(f"wrote {s['records']:,} records in {s['files']:,} files ({s['bytes'] / 1e6:.1f} MB) to {root} "
          f"in {s['seconds']:.1f} s")
    for kind, count in sorted(s["by_kind"].items(), key=lambda kv: -kv[1]):
        where = f"  ({WORKBOOK})" if kind in ("lot", "serial_unit", "shipment") else ""
        print(f"  {kind:<20} {count:>7,}{where}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of records to write (about 20%% as Excel rows)")
    parser.add_argument("dir", type=Path, help="folder to create the repository in (must be empty or absent)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be positive")
    try:
        make_corpus(args.n, args.dir, args.seed, quiet=False)
    except FileExistsError as err:
        print(f"make_corpus: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Post-market surveillance of the device (EU MDR Art. 84-86, Annex III) and its declaration of
conformity (Art. 19, Annex IV): a plan approved once the device is on the market, PSURs on time whose
stated counts are the records' counts, and a declaration every Annex IV item of which the repository fills.

The figures come from analysis.psur and analysis.declaration, which the documents print too."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.dates import add_months
from ..analysis.declaration import declaration_due, declaration_gaps
from ..analysis.psur import COUNTS, approved_plans, market_date, psur_facts_of
from ..findings import Finding, Location
from ..model.postmarket import PmsPlan, Psur
from ..model.production import Shipment
from .context import Context
from .registry import rule

_AREA = "events"
_PLAN = "EU MDR Art. 84, Annex III 1.1; ISO 13485:2016 8.2.1"
_PSUR = "EU MDR Art. 86"
_DOC = "EU MDR Art. 19, Annex IV"
CONFIG = Location("qms.yaml")
# Art. 86(1): the PSUR is updated at least annually for class IIb and III, every two years for class IIa.
PSUR_MONTHS = {"III": 12, "IIb": 12, "IIa": 24}
_LABEL = dict(COUNTS)


def _class(ctx: Context) -> str | None:
    config = ctx.records.config
    return config.device.classification_eu if config is not None else None




@rule("QMS770", "warning", "No approved post-market surveillance plan", area=_AREA, clause=_PLAN,
      rationale="Art. 84 requires a post-market surveillance plan, part of the technical documentation "
                "(Annex III 1.1), for every device placed on the market; the notified body assesses it for class "
                "IIa, IIb and III devices. A device on the market (qms.yaml device.placed_on_market, or a shipment) "
                "with no PMS plan in status approved is surveilled by no approved plan.")
def no_pms_plan(ctx: Context) -> Iterator[Finding]:
    cls = _class(ctx)
    if cls not in PSUR_MONTHS or market_date(ctx.records) is None or approved_plans(ctx.records):
        return
    drafts = sorted(p.id for p in ctx.records.of_type(PmsPlan))
    where = ctx.at(drafts[0], ("status",)) if drafts else CONFIG
    yield no_pms_plan.finding(
        where, f"the class {cls} device is on the market with no approved PMS plan"
        + (f" ({', '.join(drafts)} not approved)" if drafts else ""), drafts[0] if drafts else None,
        hint="write the plan (records/postmarket/PMSP-001.yaml: sources, indicators, min_population, "
             "psur_interval_months, responsibilities, procedures) and approve it")


@rule("QMS771", "error", "PSUR figures differ from the records of its period", area=_AREA, clause=_PSUR,
      rationale="A PSUR summarises the post-market surveillance data of its period (Art. 86(1)); a stated "
                "count of complaints, serious incidents, nonconformances or CAPAs that the records of the same "
                "period do not give is a report the data does not support. Records count by the date that "
                "defines them: received, detected, opened.")
def psur_mismatch(ctx: Context) -> Iterator[Finding]:
    for psur in ctx.records.of_type(Psur):
        if psur.retired:
            continue
        if psur.period_end < psur.period_start:
            yield psur_mismatch.finding(
                ctx.at(psur.id, ("period_end",)), f"the period ends {psur.period_end}, before it starts "
                f"{psur.period_start}: no record can fall in it", psur.id, hint="correct period_start or period_end")
            continue
        facts = psur_facts_of(ctx.records, psur)
        for name, stated, found in facts.mismatches(psur.stated):
            ids = ", ".join(getattr(facts, name)) or "none"
            yield psur_mismatch.finding(
                ctx.at(psur.id, ("stated", name)),
                f"states {stated} {_LABEL[name].lower()} for {psur.period_start} to {psur.period_end}; the "
                f"records give {found} ({ids})", psur.id,
                hint="correct the stated figure, or the dates of the records that fall in the period")
        if ctx.records.of_type(Shipment) and psur.units_sold != facts.units_sold:
            yield psur_mismatch.finding(
                ctx.at(psur.id, ("units_sold",)),
                f"states {psur.units_sold} units sold for {psur.period_start} to {psur.period_end}; the shipments "
                f"of the period give {facts.units_sold} ({', '.join(facts.shipments) or 'none'})", psur.id,
                hint="correct units_sold, or the shipment records of the period")


@rule("QMS772", "warning", "PSUR overdue", area=_AREA, clause=_PSUR,
      rationale="Art. 86(1): the PSUR of a class IIb or III device is updated at least annually, of a class "
                "IIa device at least every two years. The latest PSUR's period must have ended within that "
                "interval of the as-of date; with none, the first is due one interval after the device was "
                "placed on the market.")
def psur_overdue(ctx: Context) -> Iterator[Finding]:
    cls = _class(ctx)
    if cls not in PSUR_MONTHS:
        return
    months = PSUR_MONTHS[cls]
    psurs = [p for p in ctx.records.of_type(Psur) if not p.retired]
    if psurs:
        latest = max(psurs, key=lambda p: (p.period_end, p.id))
        if add_months(latest.period_end, months) < ctx.as_of:
            yield psur_overdue.finding(
                ctx.at(latest.id, ("period_end",)),
                f"the latest PSUR's period ended {latest.period_end}, more than {months} months before "
                f"{ctx.as_of} (class {cls})", latest.id, hint="issue the PSUR of the following period")
        return
    placed = market_date(ctx.records)
    if placed is not None and add_months(placed, months) < ctx.as_of:
        yield psur_overdue.finding(
            CONFIG, f"the class {cls} device has been on the market since {placed} and has no PSUR",
            hint="write the first PSUR (records/postmarket/PSUR-YYYY-NNN.yaml)")


@rule("QMS773", "warning", "Declaration of conformity item cannot be filled", area="design", clause=_DOC,
      rationale="Annex IV lists what the EU declaration of conformity contains. A device on the market has "
                "one (Art. 19, Art. 10(6)); an item the repository cannot fill is a declaration that cannot "
                "be signed. Each missing item is named with the setting or record that fills it.")
def declaration_gap(ctx: Context) -> Iterator[Finding]:
    if not declaration_due(ctx.records):
        return
    for gap in declaration_gaps(ctx.records):
        yield declaration_gap.finding(
            CONFIG, f"Annex IV item {gap.item} cannot be filled: {gap.what} not recorded", hint=f"set {gap.fill}")

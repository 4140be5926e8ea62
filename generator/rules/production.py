"""Production and distribution: UDIs that agree with the lot records, shipments only of released lots, and
release only with the device history complete, components accepted and nonconformances dispositioned.

Each UDI is parsed once per RecordSet (`once`), however many of the UDI rules read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..analysis import once
from ..findings import Finding
from ..model.events import Nonconformance
from ..model.production import Lot, SerialUnit, Shipment
from ..model.supply import Material
from ..recordset import RecordSet
from .context import Context
from .registry import rule

if TYPE_CHECKING:
    from ..analysis.udi import Udi, UdiError

_AREA = "production"
_UDI_CLAUSE = "ISO 13485:2016 7.5.8; 21 CFR 820.184(f), 830.20; EU MDR Art. 27"
_ACCEPTED = ("accepted", "consumed", "released")
_SHIPPED = ("shipped", "delivered", "returned")
# A nonconformance not yet dispositioned: product it affects must not be released (ISO 13485 8.3.2).
_UNDISPOSITIONED = ("open", "contained")


def _parsed_udis(records: RecordSet) -> dict[str, Udi | UdiError]:
    """Each serial unit's UDI, parsed, or the error that stops it; units whose UDI is exactly what their
    records say (see _as_recorded) are left out, since no UDI rule can fire on them."""
    out: dict[str, Udi | UdiError] = {}
    for unit in records.of_type(SerialUnit):
        if not unit.udi:
            continue
        expected = _as_recorded(records, unit)
        if expected is not None and unit.udi == expected:
            continue
        from ..analysis import udi  # biip is imported only when a label must be read

        try:
            out[unit.id] = udi.parse_udi(unit.udi)
        except udi.UdiError as err:
            out[unit.id] = err
    return out


def _as_recorded(records: RecordSet, unit: SerialUnit) -> str | None:
    """The UDI in human-readable form built from the unit's records: (01) material GTIN, (17) lot
    expiry, (10) lot, (21) serial; None when the records cannot say (no lot, material or GTIN).
    Parsing tens of thousands of labels with biip is most of a warm run; a label equal to this string
    passes every UDI rule, so only the others are parsed. The material's GTIN, check digit included,
    was validated with the material record itself."""
    lot = records.get_as(unit.lot, Lot)
    material = records.get_as(lot.material, Material) if lot is not None else None
    gtin = material.gtin if material is not None else None
    if lot is None or not gtin:
        return None
    expiry = f"(17){lot.expiry:%y%m%d}" if lot.expiry is not None else ""
    return f"(01){gtin}{expiry}(10){lot.id}(21){unit.serial}"


def _udis(records: RecordSet) -> dict[str, Udi | UdiError]:
    return once(_parsed_udis, records)


def _lots(rs: RecordSet) -> dict[str, Lot]:
    return {lot.id: lot for lot in rs.of_type(Lot)}


def _released(lot: Lot) -> bool:
    return lot.status == "released" or (lot.released is not None and lot.status not in ("rejected", "planned"))


@rule("QMS520", "error", "UDI unreadable or GTIN check digit wrong", area=_AREA, clause=_UDI_CLAUSE,
      rationale="The UDI on the label is how users, registries (GUDID, EUDAMED) and a recall find the device: "
                "a unit's UDI must be a valid GS1 element string whose GTIN check digit is right, or the carrier "
                "cannot be scanned into the record it stands for.")
def udi_unreadable(ctx: Context) -> Iterator[Finding]:
    for unit_id, parsed in sorted(_udis(ctx.records).items()):
        if isinstance(parsed, Exception):  # the UdiError that stopped the parse
            yield udi_unreadable.finding(
                ctx.at(unit_id, ("udi",)), f"UDI cannot be read: {parsed}", unit_id,
                hint="correct the UDI as printed: (01)GTIN(17)YYMMDD(10)LOT(21)SERIAL; check it with `qms udi`")


@rule("QMS521", "error", "UDI lot or serial differs from the unit's records", area=_AREA,
      clause=_UDI_CLAUSE + "; ISO 13485:2016 7.5.9",
      rationale="The production identifiers in a UDI (AI 10 lot, AI 21 serial) must be the lot the unit was "
                "built in and the serial it carries: otherwise a recall by lot or a complaint by scanned label "
                "reaches the wrong device history record.")
def udi_lot_serial(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for unit_id, parsed in sorted(_udis(rs).items()):
        if isinstance(parsed, Exception):  # the UdiError that stopped the parse
            continue
        unit = rs.get_as(unit_id, SerialUnit)
        if unit is None:
            continue
        problems = []
        if parsed.lot is not None and parsed.lot != str(unit.lot):
            problems.append(f"lot (10) {parsed.lot} but the unit's lot is {unit.lot}")
        elif parsed.lot is None:
            problems.append(f"no lot (10); the unit's lot is {unit.lot}")
        if parsed.serial is not None and parsed.serial != unit.serial:
            problems.append(f"serial (21) {parsed.serial} but the unit's serial is {unit.serial}")
        if problems:
            yield udi_lot_serial.finding(
                ctx.at(unit_id, ("udi",)), "UDI has " + "; ".join(problems), unit_id,
                hint="the UDI's production identifiers must match the lot and serial columns")


@rule("QMS522", "error", "UDI expiry differs from the lot's expiry", area=_AREA, clause=_UDI_CLAUSE,
      rationale="The expiry date in a UDI (AI 17) is what users and distributors act on; it must be the "
                "expiry recorded for the lot the unit was built in.")
def udi_expiry(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for unit_id, parsed in sorted(_udis(rs).items()):
        if isinstance(parsed, Exception):  # the UdiError that stopped the parse
            continue
        unit = rs.get_as(unit_id, SerialUnit)
        lot = rs.get_as(unit.lot, Lot) if unit is not None else None
        if lot is None:
            continue  # a missing lot is a reference finding
        if lot.expiry != parsed.expiry and (lot.expiry is not None or parsed.expiry is not None):
            udi_says = parsed.expiry.isoformat() if parsed.expiry else "no expiry (17)"
            lot_says = lot.expiry.isoformat() if lot.expiry else "no expiry"
            yield udi_expiry.finding(
                ctx.at(unit_id, ("udi",)), f"UDI has {udi_says} but lot {lot.id} has {lot_says}", unit_id,
                hint=f"print the lot's expiry in AI (17), or correct the expiry of {lot.id}")


@rule("QMS523", "error", "UDI GTIN differs from the material's GTIN", area=_AREA, clause=_UDI_CLAUSE,
      rationale="The device identifier (AI 01 GTIN) names the device model in the UDI database; a unit "
                "must carry the GTIN assigned to the material its lot produced.")
def udi_gtin(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for unit_id, parsed in sorted(_udis(rs).items()):
        if isinstance(parsed, Exception):  # the UdiError that stopped the parse
            continue
        unit = rs.get_as(unit_id, SerialUnit)
        lot = rs.get_as(unit.lot, Lot) if unit is not None else None
        material = rs.get_as(lot.material, Material) if lot is not None else None
        if material is None:
            continue
        if material.gtin is None:
            if parsed.gtin is not None:
                yield udi_gtin.finding(
                    ctx.at(unit_id, ("udi",)), f"UDI has GTIN {parsed.gtin} but {material.id} has no gtin",
                    unit_id, hint=f"record the GTIN assigned to {material.id} (gtin: ...)")
        elif parsed.gtin != material.gtin:
            yield udi_gtin.finding(
                ctx.at(unit_id, ("udi",)),
                f"UDI has GTIN {parsed.gtin or '(none)'} but {material.id} has GTIN {material.gtin}", unit_id,
                hint="print the material's GTIN in AI (01)")


@rule("QMS524", "error", "Shipped from a lot not released", area=_AREA,
      clause="ISO 13485:2016 7.5.1, 8.2.6; 21 CFR 820.80(d), 820.160",
      rationale="Devices may be distributed only after the lot's release: a unit or lot quantity in a shipment "
                "whose lot is not released, or was released after the ship date, left the company before its "
                "acceptance activities were complete and documented.")
def shipped_unreleased(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for shipment in rs.of_type(Shipment):
        if shipment.status not in _SHIPPED and shipment.shipped is None:
            continue  # planned, not yet shipped
        flagged: dict[str, tuple[Any, tuple[Any, ...]]] = {}
        for i, ref in enumerate(shipment.units):
            unit = rs.get_as(ref, SerialUnit)
            if unit is not None:
                flagged.setdefault(str(unit.lot), (unit.id, ("units", i)))
        for i, line in enumerate(shipment.lots):
            flagged.setdefault(str(line.lot), (None, ("lots", i)))
        for lot_id, (unit_id, path) in flagged.items():
            lot = rs.get_as(lot_id, Lot)
            if lot is None:
                continue
            via = f"unit {unit_id} of lot {lot_id}" if unit_id else f"lot {lot_id}"
            if not _released(lot) or lot.released is None:
                message = f"{via} shipped but the lot is {lot.status}, not released"
            elif shipment.shipped is not None and lot.released > shipment.shipped:
                message = (f"{via} shipped on {shipment.shipped.isoformat()}, before the lot's release on "
                           f"{lot.released.isoformat()}")
            else:
                continue
            yield shipped_unreleased.finding(
                ctx.at(shipment.id, path), message, shipment.id,
                hint=f"release {lot_id} (status, released, released_by) before shipping, or recall the units")


@rule("QMS525", "error", "Lot released with an open nonconformance", area=_AREA,
      clause="ISO 13485:2016 8.3.1, 8.3.2; 21 CFR 820.90(a)",
      rationale="Nonconforming product is kept from use or delivery until dispositioned: a lot released while "
                "a nonconformance affecting it is still open or only contained was released before anyone "
                "decided what to do with it. Only a nonconformance detected on or before the release counts (one "
                "found later is handled as a field problem, not a release decision), and putting the lot back in "
                "quarantine, or recalling it, clears the finding.")
def released_with_open_nc(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    lots = _lots(rs)
    for nc in rs.of_type(Nonconformance):
        if nc.status not in _UNDISPOSITIONED:
            continue
        for ref in nc.affected_lots:
            lot = lots.get(str(ref))
            if lot is None or not _released(lot) or lot.status in ("quarantine", "recalled"):
                continue
            if nc.detected is None or lot.released is None or nc.detected <= lot.released:
                yield released_with_open_nc.finding(
                    ctx.at(lot.id, ("status",)), f"lot is released but {nc.id} affecting it is {nc.status}",
                    lot.id, hint=f"disposition and close {nc.id} before releasing {lot.id}, or quarantine it")


@rule("QMS526", "error", "Released lot consumed a component lot not accepted", area=_AREA,
      clause="ISO 13485:2016 7.4.3, 7.5.1; 21 CFR 820.80(b), 820.86",
      rationale="Incoming product is used only after it has been accepted: a released lot that consumed a "
                "component lot still in quarantine, rejected or otherwise not accepted was built from material "
                "that had not passed its acceptance activities.")
def consumed_unaccepted(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    lots = _lots(rs)
    for lot in lots.values():
        if not _released(lot):
            continue
        for i, used in enumerate(lot.consumes):
            component = lots.get(str(used.lot))
            if component is not None and component.status not in _ACCEPTED:
                yield consumed_unaccepted.finding(
                    ctx.at(lot.id, ("consumes", i)),
                    f"released lot consumed {component.id}, which is {component.status}", lot.id,
                    hint=f"accept {component.id} (incoming inspection) or raise a nonconformance on {lot.id}")


@rule("QMS527", "error", "Lot released without a complete device history record", area=_AREA,
      clause="ISO 13485:2016 7.5.1, 7.5.9; 21 CFR 820.184",
      rationale="The device history record shows each lot was made to its device master record; release "
                "follows its review. A released lot whose DHR is not marked complete was released without it.")
def released_without_dhr(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for lot in rs.of_type(Lot):
        if lot.lot_type == "component" or not _released(lot) or lot.dhr_complete is True:
            continue
        where = ("dhr_complete",) if lot.dhr_complete is not None else ("status",)
        yield released_without_dhr.finding(
            ctx.at(lot.id, where), "lot is released but its device history record is not marked complete",
            lot.id, hint="review the DHR and set dhr_complete: true, or withdraw the release")

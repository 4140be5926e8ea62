"""Lot genealogy (ISO 13485 7.5.9, 21 CFR 820.184) and recall impact (21 CFR 806, EU MDR Art. 89).

An index over lots, serial units, shipments and receipts, built once per RecordSet with plain dicts:

* backward: a finished lot → the component lots it consumed (transitively through subassemblies)
  → their receipts → suppliers and supplier lots;
* forward: a supplier lot or a component lot → every lot that consumed it (transitively) → their
  serial units → the shipments that carried them (or carried the lots by quantity) → customers, countries.

`recall()` answers "what is affected if this is bad?" for one selector: an internal lot ID, a serial
unit (ID or serial number as marked), a scanned UDI, or a supplier's lot number (qualified by the
supplier, ``SUP-004:SON-A-26-213``, when two suppliers used the same number).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from ..findings import QmsError
from ..model.production import Lot, SerialUnit, Shipment
from ..model.supply import Receipt
from ..recordset import RecordSet
from . import once

if TYPE_CHECKING:
    from ..load.columnar import Scanned

COMPONENT_TYPES = ("component", "subassembly")


class RecallError(QmsError):
    """A selector that names nothing, or more than one thing; exit 2."""


class LotRow(NamedTuple):
    lot_type: str
    material: str
    supplier: str | None
    supplier_lot: str | None
    receipt: str | None
    status: str
    released: str | None  # ISO dates
    expiry: str | None


class UnitRow(NamedTuple):
    serial: str
    lot: str
    status: str
    udi: str | None


class ShipmentRow(NamedTuple):
    customer: str
    country: str | None
    status: str
    shipped: str | None


class ReceiptRow(NamedTuple):
    material: str
    supplier: str
    supplier_lot: str | None
    status: str


@dataclass
class GenealogyIndex:
    """Plain dicts and tuples over the production records (no models); every list in ID order."""

    lots: dict[str, LotRow] = field(default_factory=dict)
    units: dict[str, UnitRow] = field(default_factory=dict)
    shipments: dict[str, ShipmentRow] = field(default_factory=dict)
    receipts: dict[str, ReceiptRow] = field(default_factory=dict)
    consumes: dict[str, list[str]] = field(default_factory=dict)  # lot -> component lots it consumed
    consumers: dict[str, list[str]] = field(default_factory=dict)  # component lot -> lots that consumed it
    units_by_lot: dict[str, list[str]] = field(default_factory=dict)  # finished lot -> serial unit IDs
    unit_by_serial: dict[str, str] = field(default_factory=dict)  # serial number as marked -> unit ID
    unit_shipments: dict[str, list[str]] = field(default_factory=dict)  # serial unit -> shipments carrying it
    lot_shipments: dict[str, list[str]] = field(default_factory=dict)  # lot -> shipments carrying it by quantity
    receipt_lots: dict[str, list[str]] = field(default_factory=dict)  # receipt -> lots created from it
    # supplier lot number -> supplier (or "") -> (lots, receipts)
    supplier_lots: dict[str, dict[str, tuple[list[str], list[str]]]] = field(default_factory=dict)


LotIn = tuple[str, LotRow, list[str]]  # id, row, component lots consumed
UnitIn = tuple[str, UnitRow]
ShipmentIn = tuple[str, ShipmentRow, list[str], list[str]]  # id, row, units, lots by quantity
ReceiptIn = tuple[str, ReceiptRow, str | None]  # id, row, lot created


def assemble(lots_in: Iterable[LotIn], units_in: Iterable[UnitIn], shipments_in: Iterable[ShipmentIn],
             receipts_in: Iterable[ReceiptIn]) -> GenealogyIndex:
    """The index from plain rows, whichever loader produced them (records, or the columnar scan)."""
    idx = GenealogyIndex()
    consumers: dict[str, list[str]] = defaultdict(list)
    receipt_lots: dict[str, list[str]] = defaultdict(list)
    sup: dict[str, dict[str, tuple[list[str], list[str]]]] = defaultdict(dict)

    def supplier_entry(number: str, supplier: str) -> tuple[list[str], list[str]]:
        return sup[number].setdefault(supplier, ([], []))

    for lot_id, row, used in sorted(lots_in, key=lambda t: t[0]):
        if lot_id in idx.lots:
            continue  # a duplicate ID: the first stands, as in the RecordSet
        idx.lots[lot_id] = row
        if used:
            idx.consumes[lot_id] = used
            for component in dict.fromkeys(used):
                consumers[component].append(lot_id)
        if row.receipt is not None:
            receipt_lots[row.receipt].append(lot_id)
        if row.supplier_lot:
            supplier_entry(row.supplier_lot, row.supplier or "")[0].append(lot_id)
    for receipt_id, receipt_row, lot in sorted(receipts_in, key=lambda t: t[0]):
        if receipt_id in idx.receipts:
            continue
        idx.receipts[receipt_id] = receipt_row
        if lot is not None and lot not in receipt_lots.get(receipt_id, ()):
            receipt_lots[receipt_id].append(lot)
        if receipt_row.supplier_lot:
            lots_, receipts = supplier_entry(receipt_row.supplier_lot, receipt_row.supplier)
            receipts.append(receipt_id)
            if lot is not None and lot not in lots_:
                lots_.append(lot)
    for by_supplier in sup.values():
        fold_unnamed_supplier(by_supplier)
    units_by_lot: dict[str, list[str]] = defaultdict(list)
    for unit_id, unit_row in sorted(units_in, key=lambda t: t[0]):
        if unit_id in idx.units:
            continue
        idx.units[unit_id] = unit_row
        units_by_lot[unit_row.lot].append(unit_id)
        idx.unit_by_serial.setdefault(unit_row.serial, unit_id)
    unit_shipments: dict[str, list[str]] = defaultdict(list)
    lot_shipments: dict[str, list[str]] = defaultdict(list)
    for shipment_id, shipment_row, units, lots in sorted(shipments_in, key=lambda t: t[0]):
        if shipment_id in idx.shipments:
            continue
        idx.shipments[shipment_id] = shipment_row
        for unit in units:
            unit_shipments[unit].append(shipment_id)
        for lot in lots:
            lot_shipments[lot].append(shipment_id)
    for table in (consumers, receipt_lots):
        for v in table.values():
            v.sort()
    for by_supplier in sup.values():
        for lots_, receipts in by_supplier.values():
            lots_.sort()
            receipts.sort()
    idx.consumers, idx.receipt_lots, idx.supplier_lots = dict(consumers), dict(receipt_lots), dict(sup)
    idx.units_by_lot, idx.unit_shipments, idx.lot_shipments = (dict(units_by_lot), dict(unit_shipments),
                                                                dict(lot_shipments))
    return idx


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _s(value: Any) -> str | None:
    return str(value) if value is not None else None


def _lot_in(lot: Any) -> LotIn:
    return (lot.id, LotRow(lot.lot_type, str(lot.material), _s(lot.supplier), lot.supplier_lot, _s(lot.receipt),
                           lot.status, _iso(lot.released), _iso(lot.expiry)), [str(c.lot) for c in lot.consumes])


def _unit_in(u: Any) -> UnitIn:
    return u.id, UnitRow(u.serial, str(u.lot), u.status, u.udi)


def _shipment_in(s: Any) -> ShipmentIn:
    return (s.id, ShipmentRow(s.customer, s.country, s.status, _iso(s.shipped)), [str(r) for r in s.units],
            [str(c.lot) for c in s.lots])


def _receipt_in(r: Any) -> ReceiptIn:
    return r.id, ReceiptRow(str(r.material), str(r.supplier), r.supplier_lot, r.status), _s(r.lot)


# A validated record of each kind read as its plain row (what record_inputs gives for a RecordSet).
RECORD_INPUT: dict[str, Callable[[Any], LotIn | UnitIn | ShipmentIn | ReceiptIn]] = {
    "lot": _lot_in, "serial_unit": _unit_in, "shipment": _shipment_in, "receipt": _receipt_in}


def build_index(records: RecordSet) -> GenealogyIndex:
    """The index from the validated records."""
    return assemble(*record_inputs(records))


KINDS_READ = ("lot", "serial_unit", "shipment", "receipt")
_CONSUMED = re.compile(r"^\s*([^=\s]+)")


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return text


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _lot_ref(cell: Any) -> str:
    match = _CONSUMED.match(str(cell))
    return match[1] if match else str(cell)


def index_from_scan(scanned: Scanned) -> GenealogyIndex:
    """The index from the columnar reader (generator.load.columnar): no model per bulk row."""
    return assemble(*scan_inputs(scanned))


def record_inputs(records: RecordSet) -> tuple[Iterable[LotIn], Iterable[UnitIn], Iterable[ShipmentIn],
                                               Iterable[ReceiptIn]]:
    return (map(_lot_in, records.of_type(Lot)), map(_unit_in, records.of_type(SerialUnit)),
            map(_shipment_in, records.of_type(Shipment)), map(_receipt_in, records.of_type(Receipt)))


def scan_inputs(scanned: Scanned) -> tuple[Iterable[LotIn], Iterable[UnitIn], Iterable[ShipmentIn],
                                           Iterable[ReceiptIn]]:
    """Plain rows from the columnar reader, then from the YAML records it loaded."""
    cols = scanned.columns
    yaml = {k: [r for r in scanned.records if r.KIND == k] for k in KINDS_READ}

    def lots() -> Iterable[LotIn]:
        c = cols["lot"]
        for row in zip(c.ids, c.column("lot_type"), c.column("material"), c.column("supplier"),
                       c.column("supplier_lot"), c.column("receipt"), c.column("status"), c.column("released"),
                       c.column("expiry"), c.column("consumes")):
            i, typ, mat, sup, sl, rcv, st, rel, exp, cons = row
            yield (i, LotRow(_text(typ) or "", _text(mat) or "", _text(sup), _text(sl), _text(rcv), _text(st) or "",
                             _date(rel), _date(exp)), [_lot_ref(x) for x in _list(cons)])
        yield from map(_lot_in, yaml["lot"])

    def units() -> Iterable[UnitIn]:
        c = cols["serial_unit"]
        for i, serial, lot, st, udi in zip(c.ids, c.column("serial"), c.column("lot"), c.column("status"),
                                           c.column("udi")):
            yield i, UnitRow(_text(serial) or "", _text(lot) or "", _text(st) or "", _text(udi))
        yield from map(_unit_in, yaml["serial_unit"])

    def shipments() -> Iterable[ShipmentIn]:
        c = cols["shipment"]
        for i, cust, country, st, shipped, us, ls in zip(c.ids, c.column("customer"), c.column("country"),
                                                         c.column("status"), c.column("shipped"), c.column("units"),
                                                         c.column("lots")):
            yield (i, ShipmentRow(_text(cust) or "", _text(country), _text(st) or "", _date(shipped)),
                   [str(u) for u in _list(us)], [_lot_ref(x) for x in _list(ls)])
        yield from map(_shipment_in, yaml["shipment"])

    def receipts() -> Iterable[ReceiptIn]:
        c = cols["receipt"]
        for i, mat, sup, sl, st, lot in zip(c.ids, c.column("material"), c.column("supplier"),
                                            c.column("supplier_lot"), c.column("status"), c.column("lot")):
            yield i, ReceiptRow(_text(mat) or "", _text(sup) or "", _text(sl), _text(st) or ""), _text(lot)
        yield from map(_receipt_in, yaml["receipt"])

    return lots(), units(), shipments(), receipts()


def index(records: RecordSet) -> GenealogyIndex:
    """The genealogy index of `records`, computed once however many rules and commands read it."""
    return once(build_index, records)


def forward(idx: GenealogyIndex, start: list[str]) -> list[str]:
    """Every lot that consumed any of `start`, transitively, with `start` itself; sorted."""
    seen = set(start)
    stack = list(start)
    while stack:
        for user in idx.consumers.get(stack.pop(), ()):
            if user not in seen:
                seen.add(user)
                stack.append(user)
    return sorted(seen)


def backward(idx: GenealogyIndex, start: list[str]) -> list[str]:
    """Every lot consumed by any of `start`, transitively, with `start` itself; sorted."""
    seen = set(start)
    stack = list(start)
    while stack:
        for used in idx.consumes.get(stack.pop(), ()):
            if used not in seen:
                seen.add(used)
                stack.append(used)
    return sorted(seen)


@dataclass
class RecallResult:
    selector: dict[str, str]
    matched: list[str]  # lots (or the unit) the selector named
    affected_lots: list[dict[str, Any]] = field(default_factory=list)
    affected_serials: list[dict[str, Any]] = field(default_factory=list)
    shipments: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    # Component and subassembly lots the forward trace passed through (stock to quarantine), IDs.
    intermediate_lots: list[str] = field(default_factory=list)

    @property
    def customers(self) -> list[str]:
        return sorted({s["customer"] for s in self.shipments})

    @property
    def countries(self) -> list[str]:
        return sorted({s["country"] for s in self.shipments if s["country"]})

    @property
    def suppliers(self) -> list[str]:
        return sorted({c["supplier"] for c in self.components if c["supplier"]})

    @property
    def counts(self) -> dict[str, int]:
        return {
            "affected_lots": len(self.affected_lots),
            "affected_serials": len(self.affected_serials),
            "shipped_serials": sum(1 for u in self.affected_serials if u["shipments"]),
            "shipments": len(self.shipments),
            "customers": len(self.customers),
            "countries": len(self.countries),
            "components": len(self.components),
            "suppliers": len(self.suppliers),
        }

    def units_by_customer(self) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
        """(customer, country, shipment, unit) for every shipped affected unit, by customer then serial."""
        units = {u["id"]: u for u in self.affected_serials}
        rows = []
        for s in self.shipments:
            for unit_id in s["units"]:
                rows.append((s["customer"], s["country"] or "", s, units[unit_id]))
        rows.sort(key=lambda r: (r[0], r[3]["serial"], r[2]["id"]))
        return rows

    def to_notify(self) -> dict[tuple[str, str], list[str]]:
        """(customer, country) → what they hold: the serials of affected units, then `lot X` for
        non-serialised quantities shipped from an affected lot; by customer."""
        held: dict[tuple[str, str], list[str]] = {}
        for customer, country, _, unit in self.units_by_customer():
            held.setdefault((customer, country), []).append(unit["serial"])
        for s in self.shipments:
            for lot_id in s["lots"]:
                held.setdefault((s["customer"], s["country"] or ""), []).append(f"lot {lot_id}")
        return dict(sorted(held.items()))

    def as_json(self) -> dict[str, Any]:
        return {
            "selector": self.selector,
            "matched": self.matched,
            "counts": self.counts,
            "affected_lots": self.affected_lots,
            "affected_serials": self.affected_serials,
            "shipments": self.shipments,
            "customers": self.customers,
            "countries": self.countries,
            "components": self.components,
            "suppliers": self.suppliers,
            "intermediate_lots": self.intermediate_lots,
        }


def resolve_supplier_lot(idx: GenealogyIndex, text: str) -> tuple[list[str], list[str]]:
    """(lots, receipts) for a supplier lot number, optionally `SUPPLIER:NUMBER`."""
    text = text.strip()
    by_supplier = idx.supplier_lots.get(text)
    if by_supplier is None and ":" in text:
        supplier, _, number = text.partition(":")
        entry = idx.supplier_lots.get(number.strip(), {}).get(supplier.strip())
        if entry is not None:
            return entry
        raise RecallError(f"supplier {supplier.strip()} has no lot numbered '{number.strip()}' in the records")
    if by_supplier is None:
        raise RecallError(f"no receipt or lot carries the supplier lot number '{text}'")
    if len(by_supplier) > 1:
        options = ", ".join(f"{s or '(no supplier)'}:{text}" for s in sorted(by_supplier))
        raise RecallError(f"supplier lot '{text}' is used by more than one supplier; name one: {options}")
    return next(iter(by_supplier.values()))


def recall(records: RecordSet, *, lot: str | None = None, serial: str | None = None, udi: str | None = None,
           supplier_lot: str | None = None) -> RecallResult:
    """The recall impact of exactly one selector; RecallError when it names nothing or is ambiguous."""
    return recall_in(index(records), lot=lot, serial=serial, udi=udi, supplier_lot=supplier_lot)


def recall_in(idx: GenealogyIndex, *, lot: str | None = None, serial: str | None = None, udi: str | None = None,
              supplier_lot: str | None = None) -> RecallResult:
    """`recall()` over a genealogy index, however it was built (records or the columnar scan)."""
    given = {k: v for k, v in (("lot", lot), ("serial", serial), ("udi", udi), ("supplier_lot", supplier_lot))
             if v is not None}
    if len(given) != 1:
        raise RecallError("give exactly one of lot, serial, udi or supplier lot")
    start_lots: list[str] = []
    only_unit: str | None = None
    receipts: list[str] = []
    if lot is not None:
        if lot.strip() not in idx.lots:
            raise RecallError(f"no lot {lot.strip()} in the records")
        start_lots = [lot.strip()]
    elif serial is not None:
        only_unit = _unit(idx, serial.strip())
    elif udi is not None:
        from .udi import UdiError, parse_udi  # biip, for a UDI only: not loaded by every recall

        try:
            parsed = parse_udi(udi)
        except UdiError as err:
            raise RecallError(f"the UDI cannot be read: {err}") from None
        if parsed.serial:
            only_unit = _unit(idx, parsed.serial)
            unit_lot = idx.units[only_unit].lot
            if parsed.lot and parsed.lot != unit_lot:
                raise RecallError(f"the UDI names lot {parsed.lot} but serial {parsed.serial} belongs to lot "
                                  f"{unit_lot}")
        elif parsed.lot:
            if parsed.lot not in idx.lots:
                raise RecallError(f"no lot {parsed.lot} (the UDI's AI 10) in the records")
            start_lots = [parsed.lot]
        else:
            raise RecallError("the UDI carries neither a lot (AI 10) nor a serial (AI 21)")
    else:
        assert supplier_lot is not None
        start_lots, receipts = resolve_supplier_lot(idx, supplier_lot)
        start_lots = list(start_lots)

    intermediate: list[str] = []
    if only_unit is not None:
        unit_lot = idx.units[only_unit].lot
        start_lots = [unit_lot]
        affected = [unit_lot] if unit_lot in idx.lots else []
        unit_ids = [only_unit]
    else:
        reached = forward(idx, start_lots)
        affected = [lot_id for lot_id in reached
                    if lot_id in idx.lots and (idx.lots[lot_id].lot_type not in COMPONENT_TYPES
                                               or lot_id in idx.lot_shipments or lot_id in idx.units_by_lot)]
        unit_ids = [u for lot_id in affected for u in idx.units_by_lot.get(lot_id, ())]
        intermediate = sorted(set(reached) - set(affected))

    result = RecallResult(dict(given), sorted([only_unit] if only_unit else start_lots))
    result.intermediate_lots = intermediate
    for lot_id in affected:
        rec = idx.lots[lot_id]
        result.affected_lots.append({
            "id": lot_id, "lot_type": rec.lot_type, "material": rec.material, "status": rec.status,
            "released": rec.released, "expiry": rec.expiry, "units": len(idx.units_by_lot.get(lot_id, ())),
        })
    shipments: dict[str, list[str]] = {}
    for unit_id in sorted(unit_ids):
        unit = idx.units[unit_id]
        carried = idx.unit_shipments.get(unit_id, [])
        for s in carried:
            shipments.setdefault(s, []).append(unit_id)
        result.affected_serials.append({
            "id": unit_id, "serial": unit.serial, "lot": unit.lot, "status": unit.status, "udi": unit.udi,
            "shipments": list(carried),
        })
    lot_lines: dict[str, list[str]] = {}
    if only_unit is None:
        for lot_id in affected:
            for s in idx.lot_shipments.get(lot_id, ()):
                lot_lines.setdefault(s, []).append(lot_id)
                shipments.setdefault(s, [])
    for shipment_id in sorted(shipments):
        row = idx.shipments.get(shipment_id)
        if row is None:
            continue  # a unit listed in a shipment that is not in the records: a reference finding
        result.shipments.append({
            "id": shipment_id, "customer": row.customer, "country": row.country, "status": row.status,
            "shipped": row.shipped, "units": shipments[shipment_id], "lots": sorted(lot_lines.get(shipment_id, ())),
        })
    for lot_id in backward(idx, start_lots):
        component = idx.lots.get(lot_id)
        if component is None or component.lot_type not in COMPONENT_TYPES:
            continue
        result.components.append({
            "lot": lot_id, "lot_type": component.lot_type, "material": component.material,
            "supplier": component.supplier, "supplier_lot": component.supplier_lot, "receipt": component.receipt,
            "status": component.status,
        })
    known = {c["receipt"] for c in result.components}
    for receipt_id in receipts:  # a receipt that created no lot (rejected goods) is still part of the answer
        r = idx.receipts.get(receipt_id)
        if receipt_id not in known and r is not None:
            result.components.append({
                "lot": None, "lot_type": None, "material": r.material, "supplier": r.supplier,
                "supplier_lot": r.supplier_lot, "receipt": receipt_id, "status": r.status,
            })
    return result


def _unit(idx: GenealogyIndex, text: str) -> str:
    if text in idx.units:
        return text
    found = idx.unit_by_serial.get(text)
    if found is None:
        raise RecallError(f"no serial unit '{text}' (by ID or by serial number) in the records")
    return found


def fold_unnamed_supplier(by_supplier: dict[str, tuple[list[str], list[str]]]) -> None:
    """A lot row that names its supplier lot but not its supplier belongs with the receipt's supplier, when the
    supplier lot has exactly one: its (lots, receipts) join that supplier's, in place."""
    bare = by_supplier.get("")
    named = [s for s in by_supplier if s]
    if bare is not None and len(named) == 1:
        del by_supplier[""]
        target = by_supplier[named[0]]
        target[0].extend(lot for lot in bare[0] if lot not in target[0])
        target[1].extend(bare[1])

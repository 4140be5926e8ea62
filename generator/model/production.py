"""Production and distribution records (ISO 13485 7.5, 21 CFR 820.184/820.160): lots, units, shipments."""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from pydantic import Field, model_validator

from .base import (
    FREE_ID_PATTERN,
    MAX_COUNT,
    MAX_DAYS,
    MAX_QUANTITY,
    BulkRecord,
    Date,
    DateTime,
    Record,
    Ref,
    Strict,
    choice,
    event_date,
    link,
    planned_date,
)

_CONSUMPTION = re.compile(r"^\s*(?P<lot>[^=\s]+)\s*=\s*(?P<qty>[0-9.]+)\s*$")

FREE_ID = FREE_ID_PATTERN


class Consumption(Strict):
    """A component lot consumed by a production lot. In a cell: `LOT-C-0001=50`."""

    lot: Ref = link("lot", description="Component lot", many=False, required=True)
    quantity: float = Field(gt=0, le=MAX_QUANTITY, description="Quantity consumed")

    @model_validator(mode="before")
    @classmethod
    def _from_cell(cls, value: object) -> object:
        if isinstance(value, str):
            match = _CONSUMPTION.match(value)
            if not match:
                raise ValueError(f"expected LOT=QUANTITY, got {value!r}")
            return {"lot": match["lot"], "quantity": match["qty"]}
        return value


class Lot(BulkRecord):
    KIND = "lot"
    PREFIXES = ("LOT",)
    ID_PATTERN = FREE_ID
    FOLDER = "production"
    SHEET_NAMES = ("lots", "lot", "batches")
    LIFECYCLE: ClassVar[tuple[str, ...]] = (
        "planned", "in_production", "quarantine", "accepted", "released", "rejected", "consumed",
        "recalled", "expired",
    )
    RETIRED: ClassVar[tuple[str, ...]] = ("rejected", "expired")

    lot_type: str = choice({"component": "Component", "subassembly": "Subassembly", "finished": "Finished device"},
                          description="Kind of lot", required=True)
    material: Ref = link("material", description="Material or device", many=False, required=True)
    supplier: Ref | None = link("supplier", description="Supplier (component lots)", many=False)
    supplier_lot: str | None = Field(default=None, description="Supplier's lot number")
    receipt: Ref | None = link("receipt", description="Receipt (component lots)", many=False)
    quantity: float | None = Field(default=None, ge=0, le=MAX_QUANTITY, description="Quantity")
    manufactured: Date | None = event_date("Date of manufacture or receipt")
    expiry: Date | None = planned_date("Expiry date")
    production_line: str | None = Field(default=None, description="Line or cell")
    consumes: list[Consumption] = Field(default_factory=list, description="Component lots consumed")
    units_started: int | None = Field(default=None, ge=0, le=MAX_COUNT, description="Units started (first-pass yield)")
    units_passed_first: int | None = Field(default=None, ge=0, le=MAX_COUNT, description="Units passing first time")
    dhr_complete: bool | None = Field(default=None, description="Device history record complete")
    released: Date | None = event_date("Date released")
    released_by: Ref | None = link("user", description="Who released the lot", many=False)


class SerialUnit(BulkRecord):
    KIND = "serial_unit"
    PREFIXES = ("SN",)
    ID_PATTERN = FREE_ID
    FOLDER = "production"
    SHEET_NAMES = ("serial units", "serials", "units", "serial_units")
    LIFECYCLE: ClassVar[tuple[str, ...]] = (
        "in_production", "released", "shipped", "installed", "returned", "scrapped", "recalled",
    )
    RETIRED: ClassVar[tuple[str, ...]] = ("scrapped",)

    lot: Ref = link("lot", description="Finished lot", many=False, required=True)
    serial: str = Field(description="Serial number as marked")
    udi: str | None = Field(default=None, description="GS1 UDI string (GTIN, expiry, lot, serial)")
    manufactured: Date | None = event_date("Date of manufacture")


class Shipment(BulkRecord):
    KIND = "shipment"
    PREFIXES = ("SHP",)
    ID_PATTERN = FREE_ID
    FOLDER = "production"
    SHEET_NAMES = ("shipments", "shipment", "deliveries")
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("planned", "shipped", "delivered", "returned")

    customer: str = Field(description="Customer (consignee)")
    country: str | None = Field(default=None, description="Destination country (ISO 3166 alpha-2)")
    shipped: Date | None = event_date("Date shipped")
    units: list[Ref] = link("serial_unit", description="Serial units shipped")
    lots: list[Consumption] = Field(default_factory=list, description="Non-serialised quantities shipped, by lot")
    temperature_log: Ref | None = link("temperature_log", description="Logger record for the shipment", many=False)


class TemperatureLog(Record):
    """A logger record for a storage location or a shipment; the readings stay in the logger export."""

    KIND = "temperature_log"
    PREFIXES = ("TL",)
    ID_PATTERN = FREE_ID
    FOLDER = "coldchain"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("open", "reviewed", "closed")

    location: str | None = Field(default=None, description="Storage location")
    shipment: Ref | None = link("shipment", description="Shipment monitored", many=False)
    materials: list[Ref] = link("material", description="Products stored or shipped")
    logger: str | None = Field(default=None, description="Logger serial number")
    data: str = Field(description="Logger export (CSV or xlsx), relative to the repository root")
    time_column: str | None = Field(default=None, description="Header of the timestamp column")
    temperature_column: str | None = Field(default=None, description="Header of the °C column")
    start: DateTime | None = Field(default=None, description="Start of the monitored period")
    end: DateTime | None = Field(default=None, description="End of the monitored period")


class Calibration(Strict):
    last: Date | None = event_date("Last calibration")
    due: Date | None = planned_date("Calibration due")
    certificate: str | None = Field(default=None, description="Certificate reference")


class Maintenance(Strict):
    """Planned maintenance (ISO 13485 6.3, 7.5.1; 21 CFR 820.70(g)): an interval from the last service, or a
    date the schedule names; the written `due` wins when both are given (a service moved by a decision)."""
    interval_days: int | None = Field(default=None, ge=1, le=MAX_DAYS,
                                      description="Days between services, counted from the last one")
    last: Date | None = event_date("Last maintenance")
    due: Date | None = planned_date("Next maintenance due (else last + interval_days)")
    procedure: str | None = Field(default=None, description="Maintenance procedure or work instruction")

    @property
    def next_due(self) -> dt.date | None:
        if self.due is not None:
            return self.due
        if self.last is not None and self.interval_days is not None:
            return self.last + dt.timedelta(days=self.interval_days)
        return None


class Equipment(Record):
    KIND = "equipment"
    PREFIXES = ("EQ",)
    FOLDER = "equipment"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("qualification", "active", "out_of_service", "retired")
    RETIRED: ClassVar[tuple[str, ...]] = ("retired",)

    type: str = choice({"instrument": "Instrument", "machine": "Machine", "software": "Software", "facility": "Facility"},
                      description="What it is", required=True)
    serial: str | None = Field(default=None, description="Serial or asset number")
    location: str | None = Field(default=None, description="Where it is")
    calibration: Calibration | None = Field(default=None, description="Calibration status")
    maintenance: Maintenance | None = Field(default=None, description="Planned maintenance")
    validated: bool | None = Field(default=None, description="Process or software validated")

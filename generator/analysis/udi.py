"""GS1 element strings, as carried by a UDI (GS1 General Specifications §3 and §7.8): parse and check.

A UDI arrives in several shapes, and all of them parse to the same elements:

* human-readable, with parentheses: ``(01)05391234562002(17)360209(10)LOT-F-2601(21)VP2-2601-001``
  (spaces around the data are ignored, as when it is typed off a label);
* as a scanner transmits it: ``]d201053912345620021736020910LOT-F-2601<GS>21VP2-2601-001``, with an
  optional symbology identifier (``]C1`` GS1-128, ``]d2`` GS1 DataMatrix, ``]Q3`` GS1 QR Code, ``]e0``
  GS1 DataBar) and FNC1 field separators written as the GS control character (``\\x1d``), the control
  picture ``␝``, or the literal text ``<GS>``;
* a GS1 Digital Link URI: ``https://id.gs1.org/01/05391234562002/10/LOT-F-2601``.

The table of Application Identifiers, their formats and the check-digit and date rules come from the
`biip` library. Everything `biip` only reports is made an error here: a wrong check digit in a GTIN,
SSCC or GLN, an AI it does not know, data that does not fit the AI's format, an impossible date, and
the same AI twice with different values. Each error says which AI and at which character of the string
as given (1-based), so that the person holding the label can find it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from biip import ParseConfig, ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_element_strings import GS1ElementString
from biip.symbology import SymbologyIdentifier

from ..findings import QmsError

GS = "\x1d"
# How an FNC1 separator reaches us when it cannot be typed: the control picture, and the common literal.
_TYPED_SEPARATORS = ("<GS>", "\u241d")
_CONFIG = ParseConfig(separator_chars=[GS])
_MAX_LENGTH = 4096  # a Data Matrix holds at most 2,335 characters; anything longer is not a UDI


class UdiError(QmsError):
    """A GS1 element string that cannot be accepted; `position` is 1-based in the string as given (0 = none)."""

    def __init__(self, message: str, position: int = 0, ai: str | None = None):
        super().__init__(message)
        self.position = position
        self.ai = ai


@dataclass(frozen=True)
class Element:
    ai: str  # "01", "17", "10", "21", "7003", ...
    name: str  # GS1's description: "Batch or lot number"
    title: str  # GS1's data title: "BATCH/LOT"
    value: str  # the data as encoded
    position: int  # 1-based character of the string as given where this element's AI starts (0 = unknown)
    date: dt.date | None = None  # for date AIs (11, 13, 15, 16, 17, ...): day 00 means the month's last day
    check_digit: bool = False  # a GS1 key whose check digit was verified (GTIN, SSCC, GLN)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ai": self.ai, "name": self.name, "title": self.title, "value": self.value}
        if self.date is not None:
            out["date"] = self.date.isoformat()
        if self.check_digit:
            out["check_digit"] = "verified"
        return out


@dataclass(frozen=True)
class Udi:
    text: str  # the string as given
    symbology: str | None  # "]d2" etc. when the string carried a symbology identifier
    form: str  # "hri" (parentheses), "raw" (as scanned) or "digital_link"
    elements: tuple[Element, ...]

    def value(self, ai: str) -> str | None:
        return next((e.value for e in self.elements if e.ai == ai), None)

    def date(self, ai: str) -> dt.date | None:
        return next((e.date for e in self.elements if e.ai == ai), None)

    @property
    def gtin(self) -> str | None:
        return self.value("01")

    @property
    def lot(self) -> str | None:
        return self.value("10")

    @property
    def serial(self) -> str | None:
        return self.value("21")

    @property
    def expiry(self) -> dt.date | None:
        return self.date("17")

    @property
    def production_date(self) -> dt.date | None:
        return self.date("11")

    def as_json(self) -> dict[str, Any]:
        def iso(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "gtin": self.gtin,
            "expiry": iso(self.expiry),
            "lot": self.lot,
            "serial": self.serial,
            "production_date": iso(self.production_date),
            "symbology": self.symbology,
            "elements": [e.as_json() for e in self.elements],
        }


def check_digit(payload: str) -> int:
    """The GS1 standard check digit (General Specifications §7.9.1) for the digits before it."""
    if not payload.isdigit() or not payload.isascii():
        raise ValueError(f"{payload!r} is not a string of digits")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return (10 - total % 10) % 10


def parse_udi(text: str) -> Udi:
    """The elements of a GS1 element string in any of the forms above; UdiError if it cannot be accepted."""
    if len(text) > _MAX_LENGTH:
        raise UdiError(f"the string is {len(text):,} characters long; a UDI carrier holds far fewer")
    start = len(text) - len(text.lstrip())
    body = text.strip()
    if not body:
        raise UdiError("the UDI is empty")
    if body.lower().startswith(("http://", "https://")):
        return _digital_link(text, body)
    symbology = None
    if body.startswith("]"):
        symbology = _symbology(body, start + 1)
        start += len(symbology)
        body = body[len(symbology):]
    chars, origin = _normalise(body, start)
    if not chars:
        raise UdiError("the UDI has no data after its symbology identifier")
    stripped = chars.lstrip(GS)
    if stripped.startswith("("):
        form, elements = "hri", _parse_hri(chars, origin)
    else:
        form, elements = "raw", _parse_raw(chars, origin)
    if not elements:
        raise UdiError("the UDI holds no GS1 element strings")
    _no_conflicts(elements)
    return Udi(text, symbology, form, tuple(elements))


def _symbology(body: str, where: int) -> str:
    try:
        found = SymbologyIdentifier.extract(body)
    except ParseError:
        raise UdiError(f"'{body[:3]}' at character {where} is not a symbology identifier",
                       position=where) from None
    if found.gs1_symbology is None:
        raise UdiError(f"symbology identifier '{found.value}' at character {where} is "
                       f"{found.iso_symbology.name.replace('_', ' ')} without GS1 data (FNC1); it does not carry "
                       "GS1 element strings", position=where)
    return found.value


def _normalise(body: str, start: int) -> tuple[str, list[int]]:
    """The body with every typed separator made a GS character, and each character's 1-based position."""
    chars: list[str] = []
    origin: list[int] = []
    i = 0
    while i < len(body):
        for typed in _TYPED_SEPARATORS:
            if body.startswith(typed, i) or body[i:i + len(typed)].upper() == typed:
                chars.append(GS)
                origin.append(start + i + 1)
                i += len(typed)
                break
        else:
            chars.append(body[i])
            origin.append(start + i + 1)
            i += 1
    origin.append(start + len(body) + 1)  # "just past the end"
    return "".join(chars), origin


def _parse_raw(chars: str, origin: list[int]) -> list[Element]:
    elements: list[Element] = []
    i = 0
    while i < len(chars):
        if chars[i] == GS:
            i += 1
            continue
        end = chars.find(GS, i)
        end = len(chars) if end < 0 else end
        segment = chars[i:end]
        where = origin[i]
        ai = _ai_at(segment, where)
        try:
            element = GS1ElementString.extract(segment, config=_CONFIG)
        except ParseError as err:
            raise _data_error(ai, segment, where, str(err)) from None
        elements.append(_element(element, where))
        i += len(element)
    return elements


def _parse_hri(chars: str, origin: list[int]) -> list[Element]:
    elements: list[Element] = []
    i = 0
    while i < len(chars):
        c = chars[i]
        if c == GS or c.isspace():
            i += 1
            continue
        where = origin[i]
        if c != "(":
            raise UdiError(f"expected '(' and an Application Identifier at character {where}, found "
                           f"{_show(chars[i:i + 8])}; write every element as (AI)data, or none of them",
                           position=where)
        close = chars.find(")", i)
        if close < 0:
            raise UdiError(f"the '(' at character {where} is never closed", position=where)
        ai = chars[i + 1:close].strip()
        if not (ai.isdigit() and ai.isascii() and 2 <= len(ai) <= 4):
            raise UdiError(f"'({ai})' at character {where} is not an Application Identifier "
                           "(2 to 4 digits in parentheses)", position=where)
        if not _known(ai):
            raise UdiError(f"unknown GS1 Application Identifier ({ai}) at character {where}",
                           position=where, ai=ai)
        j = close + 1
        nxt = len(chars)
        for stop in ("(", GS):
            k = chars.find(stop, j)
            if 0 <= k < nxt:
                nxt = k
        data = chars[j:nxt].strip()
        try:
            element = GS1ElementString.parse(ai + data, config=_CONFIG)
        except ParseError as err:
            raise _data_error(ai, ai + data, where, str(err)) from None
        elements.append(_element(element, where))
        i = nxt
    return elements


def _digital_link(text: str, body: str) -> Udi:
    from biip.gs1_digital_link_uris import GS1DigitalLinkURI

    try:
        message = GS1DigitalLinkURI.parse(body, config=_CONFIG).as_gs1_message()
    except ParseError as err:
        raise UdiError(f"not a GS1 Digital Link URI: {err}") from None
    elements = [_element(e, 0) for e in message.element_strings]
    if not elements:
        raise UdiError("the GS1 Digital Link URI holds no GS1 element strings")
    _no_conflicts(elements)
    return Udi(text, None, "digital_link", tuple(elements))


def _known(ai: str) -> bool:
    try:
        return GS1ApplicationIdentifier.extract(ai).ai == ai
    except ParseError:
        return False


def _ai_at(segment: str, where: int) -> str:
    try:
        return GS1ApplicationIdentifier.extract(segment).ai
    except ParseError:
        pass
    digits = ""
    for ch in segment[:4]:
        if not (ch.isdigit() and ch.isascii()):
            break
        digits += ch
    if len(digits) < 2:
        mixed = "; write every element as (AI)data, or none of them" if segment.startswith("(") else ""
        raise UdiError(f"expected an Application Identifier at character {where}, found {_show(segment[:8])}"
                       f"{mixed}", position=where)
    tried = " or ".join(f"'{digits[:n]}'" for n in range(2, len(digits) + 1))
    raise UdiError(f"unknown GS1 Application Identifier at character {where}: no AI is {tried} "
                   f"(found {_show(segment[:8])})", position=where, ai=digits[:2])


def _data_error(ai: str, element: str, where: int, detail: str) -> UdiError:
    spec = GS1ApplicationIdentifier.extract(ai)
    data = element[len(ai):]
    if not data:
        return UdiError(f"AI ({ai}) {spec.data_title} at character {where} has no data", position=where, ai=ai)
    wrong = _bad_date(ai, data)  # a month 13 fails biip's pattern before its own date check
    if wrong or "date" in detail:
        why = f"is not a valid date (YYMMDD{': ' + wrong if wrong else ''})"
    else:
        why = f"does not fit its format {spec.format}"
        if not detail.startswith("Failed to match"):  # biip's own words add something beyond its regex
            why += f" ({detail.rstrip('.')})"
    return UdiError(f"AI ({ai}) {spec.data_title} at character {where}: {_show(data)} {why}", position=where, ai=ai)


# AIs whose data starts with a YYMMDD date (GS1 General Specifications 3.4; the set biip parses as dates).
_DATE_AIS = ("11", "12", "13", "15", "16", "17", "4324", "4325", "4326", "7003", "7006", "7007", "7011", "8008")


def _bad_date(ai: str, data: str) -> str | None:
    """What is wrong with the YYMMDD date a date AI's data starts with, or None (day 00 is the month's end)."""
    head = data[:6]
    if ai not in _DATE_AIS or len(head) < 6 or not (head.isdigit() and head.isascii()):
        return None
    month, day = int(head[2:4]), int(head[4:6])
    if not 1 <= month <= 12:
        return f"there is no month {head[2:4]}"
    try:
        dt.date(2000 + int(head[:2]), month, day or 1)
    except ValueError:
        return f"month {head[2:4]} has no day {head[4:6]}"
    return None


def _element(es: GS1ElementString, where: int) -> Element:
    ai = es.ai.ai
    for error in (es.gtin_error, es.sscc_error, es.gln_error):
        if error:
            raise UdiError(f"AI ({ai}) {es.ai.data_title} at character {where}: wrong check digit in "
                           f"{es.value}: {_check_digit_detail(es.value, error)}", position=where, ai=ai)
    date = es.date if es.date is not None else (es.datetime.date() if es.datetime is not None else None)
    verified = any(key is not None for key in (es.gtin, es.sscc, es.gln))
    return Element(ai, es.ai.description, es.ai.data_title, es.value, where, date, verified)


def _check_digit_detail(value: str, fallback: str) -> str:
    digits = value.strip()
    if digits.isdigit() and digits.isascii() and len(digits) > 1:
        return f"the check digit should be {check_digit(digits[:-1])}, not {digits[-1]}"
    return fallback


def _no_conflicts(elements: list[Element]) -> None:
    seen: dict[str, Element] = {}
    for e in elements:
        first = seen.setdefault(e.ai, e)
        if first is not e and first.value != e.value:
            where = f" at character {e.position}" if e.position else ""
            raise UdiError(f"AI ({e.ai}) {e.title} appears twice with different values{where}: "
                           f"{first.value!r} and {e.value!r}", position=e.position, ai=e.ai)


def _show(s: str) -> str:
    return repr(s.replace(GS, "<GS>")) if s else "the end of the string"

"""Logger exports: the readings of a temperature logger (CSV or xlsx), each with its location.

A data file that a TemperatureLog record points at, read here in the load layer so that analyses
(mean kinetic temperature, excursions) compute on readings and never open files. The header row is
found by name even below preamble lines; comma, semicolon and tab separators, decimal commas, and
separate date and time columns are understood; day/month order in slashed dates is decided from the
whole column or refused. Every reading keeps the cell (or line) it came from.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..findings import Location, QmsError
from .files import MAX_DATA_BYTES, read_regular

KELVIN = 273.15
HEADER_SEARCH_ROWS = 50  # preamble lines a logger may write above the header


class ColdChainError(QmsError):
    """A logger export that cannot be read; the message starts with the location."""

    def __init__(self, location: Location | str, message: str, hint: str | None = None):
        text = f"{location}: {message}"
        if hint:
            text += f" (hint: {hint})"
        super().__init__(text)
        self.location = location
        self.hint = hint


@dataclass(frozen=True)
class Reading:
    time: dt.datetime
    celsius: float
    location: Location  # the timestamp's cell (its line, in a CSV)
    value_location: Location  # the temperature's cell


@dataclass(frozen=True)
class LoggerExport:
    file: str
    sheet: str
    time_column: str
    temperature_column: str
    readings: tuple[Reading, ...]


# --------------------------------------------------------------------------------------------------
# Reading a logger export

_TIME_WORDS = re.compile(r"\b(time\s*stamp|timestamp|date\s*time|datetime|date|time|zeit|datum)\b")
_NOT_TIME = re.compile(r"elapsed|duration|interval|\btemp|°|º|celsius")
_TEMP_WORDS = re.compile(r"temp|°\s*c\b|º\s*c\b|celsius|\bdeg\s*c\b|\bdegc\b")
_NOT_TEMP = re.compile(r"alarm|limit|setpoint|set point|humid|\brh\b|dew|\bmin\b|\bmax\b|status|flag|unit")
_FAHRENHEIT = re.compile(r"°\s*f\b|º\s*f\b|fahrenheit|\bdeg\s*f\b")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_UNIT_SUFFIX = re.compile(r"\s*(?:°|º)?\s*C$", re.IGNORECASE)
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"
                    r"\s*([AaPp][Mm])?)?$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})")
_OLE = b"\xd0\xcf\x11\xe0"


Row = tuple[int, list[Any]]  # (line or sheet row, cells)


def read_export(path: Path, name: str | None = None, time_column: str | None = None,
                temperature_column: str | None = None) -> LoggerExport:
    """The readings of a logger export (.csv, .txt, .xlsx); `name` is how locations spell the file."""
    name = name or str(path)
    try:
        raw = read_regular(path, MAX_DATA_BYTES)  # a regular file, size checked before it is read
    except FileNotFoundError:
        raise QmsError(f"{name}: no such file") from None
    except OSError as err:
        raise QmsError(f"{name}: cannot be read: {err.strerror or err}") from None
    if path.suffix.lower() in (".xlsx", ".xlsm") or raw.startswith(b"PK\x03\x04"):
        return _read_workbook(raw, name, time_column, temperature_column)
    if raw.startswith(_OLE) or path.suffix.lower() == ".xls":
        raise ColdChainError(name, "an encrypted workbook or the old .xls format cannot be read",
                             hint="save it as .xlsx or export CSV")
    return _read_csv(raw, name, time_column, temperature_column)


def _read_csv(raw: bytes, name: str, time_column: str | None, temperature_column: str | None) -> LoggerExport:
    text = _decode(raw, name)
    if not text.strip():
        raise ColdChainError(name, "the file is empty")
    lines = text.splitlines()
    failures: list[tuple[Location, _NoHeader]] = []
    for delimiter in ("\t", ";", ","):
        head = _csv_rows(lines[:HEADER_SEARCH_ROWS + 1], delimiter, name)
        try:
            header = _find_header(head, time_column, temperature_column)
        except _NoHeader as why:
            failures.append((Location(name, why.row), why))
            continue
        if header is None:
            continue
        row_number, columns = header
        rows = _csv_rows(lines, delimiter, name)
        return _collect(rows, row_number, columns, name, "")
    raise _no_header(Location(name, 1), failures, time_column, temperature_column)


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ColdChainError(name, "the file starts like UTF-16 but is not") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # logger software on Windows writes ANSI text


def _csv_rows(lines: list[str], delimiter: str, name: str) -> Iterator[Row]:
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise ColdChainError(Location(name, reader.line_num), f"CSV cannot be read: {err}") from None
        number = reader.line_num
        yield number, cells


def _read_workbook(raw: bytes, name: str, time_column: str | None,
                   temperature_column: str | None) -> LoggerExport:
    from python_calamine import CalamineError, CalamineWorkbook

    from ..load.tabular import workbook_problem

    problem = workbook_problem(raw, name)
    if problem is not None:
        raise ColdChainError(name, problem.message, hint=problem.hint)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(book.sheet_names)
    except (CalamineError, ValueError, OSError) as err:
        raise ColdChainError(name, f"workbook cannot be read: {err}", hint="re-save it from Excel as .xlsx") from None
    failures: list[tuple[Location, _NoHeader]] = []
    for sheet in names:
        if sheet.startswith("_"):
            continue
        try:
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except (CalamineError, ValueError) as err:
            raise ColdChainError(Location(name, sheet=sheet), f"sheet cannot be read: {err}") from None
        numbered = list(enumerate(rows, 1))
        try:
            header = _find_header(iter(numbered[:HEADER_SEARCH_ROWS + 1]), time_column, temperature_column)
        except _NoHeader as why:
            failures.append((Location(name, why.row, 0, sheet), why))
            continue
        if header is None:
            continue
        row_number, columns = header
        return _collect(iter(numbered), row_number, columns, name, sheet)
    raise _no_header(Location(name), failures, time_column, temperature_column)


class _NoHeader(Exception):
    """A row that names columns, but not usably (ambiguous, °F, or missing a named column)."""

    def __init__(self, message: str, row: int = 0):
        super().__init__(message)
        self.row = row


@dataclass(frozen=True)
class _Columns:
    time: int
    date: int | None  # a separate date column when the time column holds only the time of day
    temperature: int
    names: tuple[str, str]  # as written in the header, for the result
    width: int  # cells in the header row


def _norm(cell: Any) -> str:
    return re.sub(r"\s+", " ", str(cell).strip().lower()) if cell is not None else ""


def _find_header(rows: Iterable[Row], time_column: str | None,
                 temperature_column: str | None) -> tuple[int, _Columns] | None:
    """The first row naming a time column and a temperature column; _NoHeader if none does and one tried."""
    problems: list[tuple[int, _NoHeader]] = []
    for number, cells in rows:
        names = [_norm(c) for c in cells]
        filled = sum(1 for n in names if n)
        if filled < 2:
            continue
        try:
            columns = _columns(cells, names, time_column, temperature_column)
        except _NoHeader as why:
            problems.append((filled, _NoHeader(str(why), number)))
            continue
        if columns is not None:
            return number, columns
    if problems:  # the fullest row that looked like a header says best what is wrong
        raise max(problems, key=lambda p: p[0])[1]
    return None


def _columns(cells: list[Any], names: list[str], time_column: str | None,
             temperature_column: str | None) -> _Columns | None:
    date_col: int | None = None
    if time_column is not None:
        time_col = _named(names, time_column)
    else:
        time_col, date_col = _time_like(names)
    if temperature_column is not None:
        temp_col = _named(names, temperature_column)
    else:
        temp_col = _temp_like(names, cells)
    if time_col is None and temp_col is None:
        return None
    if time_col is None or temp_col is None:
        missing, kind = ((time_column, "time") if time_col is None else (temperature_column, "temperature"))
        if missing is None:
            return None  # a row that merely mentions a temperature or a date
        close = difflib.get_close_matches(_norm(missing), [n for n in names if n], n=1)
        suggestion = f"; did you mean '{str(cells[names.index(close[0])]).strip()}'?" if close else ""
        raise _NoHeader(f"no {kind} column '{missing}'{suggestion}")
    if time_col == temp_col:
        raise _NoHeader(f"column '{cells[time_col]}' cannot be both the time and the temperature")
    if _FAHRENHEIT.search(names[temp_col]):
        raise _NoHeader(f"column '{cells[temp_col]}' is in °F; the readings must be in °C")
    return _Columns(time_col, date_col, temp_col, (str(cells[time_col]).strip(), str(cells[temp_col]).strip()),
                    len(cells))


def _named(names: list[str], wanted: str) -> int | None:
    key = _norm(wanted)
    hits = [i for i, n in enumerate(names) if n == key]
    if len(hits) > 1:
        raise _NoHeader(f"column '{wanted}' appears {len(hits)} times")
    return hits[0] if hits else None


def _time_like(names: list[str]) -> tuple[int | None, int | None]:
    candidates = [(i, n) for i, n in enumerate(names) if n and _TIME_WORDS.search(n) and not _NOT_TIME.search(n)]
    if not candidates:
        return None, None

    def rank(name: str) -> int:
        if re.search(r"time\s*stamp|timestamp|date\s*time|datetime|date\s*(/|&|and)\s*time|zeitstempel", name):
            return 0
        if re.search(r"\b(time|zeit)\b", name) and re.search(r"\b(date|datum)\b", name):
            return 0
        if re.search(r"\b(time|zeit)\b", name):
            return 1
        return 2  # date only

    ranked = sorted(candidates, key=lambda c: rank(c[1]))
    best = rank(ranked[0][1])
    tied = [c for c in ranked if rank(c[1]) == best]
    if len(tied) > 1:
        raise _NoHeader("several columns could be the timestamp: " + ", ".join(f"'{n}'" for _, n in tied))
    if best == 1:
        dates = [i for i, n in candidates if rank(n) == 2]
        if len(dates) > 1:
            raise _NoHeader("several columns could be the date: " + ", ".join(f"'{names[i]}'" for i in dates))
        return ranked[0][0], (dates[0] if dates else None)
    return ranked[0][0], None


def _temp_like(names: list[str], cells: list[Any]) -> int | None:
    fahrenheit = [i for i, n in enumerate(names) if n and _FAHRENHEIT.search(n) and not _NOT_TEMP.search(n)]
    candidates = [i for i, n in enumerate(names)
                  if n and _TEMP_WORDS.search(n) and not _NOT_TEMP.search(n) and not _FAHRENHEIT.search(n)]
    if len(candidates) > 1:
        raise _NoHeader("several columns could be the temperature: "
                        + ", ".join(f"'{cells[i]}'" for i in candidates))
    if not candidates and fahrenheit:
        raise _NoHeader(f"column '{cells[fahrenheit[0]]}' is in °F; the readings must be in °C")
    return candidates[0] if candidates else None


def _no_header(where: Location, failures: list[tuple[Location, _NoHeader]], time_column: str | None,
               temperature_column: str | None) -> ColdChainError:
    hint = None if time_column or temperature_column else "name the columns with --time-col and --temp-col"
    if failures:
        location, why = failures[0]
        return ColdChainError(location, str(why), hint=hint)
    wanted = " and ".join(
        f"'{n}'" if n else kind for n, kind in ((time_column, "a time column"),
                                                (temperature_column, "a temperature column")))
    return ColdChainError(where, f"no header row naming {wanted} in the first {HEADER_SEARCH_ROWS} rows",
                          hint=hint)


def _cell(cells: Sequence[Any], i: int | None) -> Any:
    """The cell in column `i` of a row, None where the row stops short or the column is absent."""
    return cells[i] if i is not None and i < len(cells) else None


def _collect(rows: Iterable[Row], header_row: int, columns: _Columns, name: str, sheet: str) -> LoggerExport:
    raw_rows: list[tuple[Location, Any, Any, Location, Any]] = []
    for number, cells in rows:
        if number <= header_row:
            continue
        if not any(present(c) for c in cells):
            continue
        if not sheet and any(present(c) for c in cells[columns.width:]):
            raise ColdChainError(Location(name, number), f"the row has {len(cells)} cells but the header "
                                 f"{columns.width}", hint="a decimal comma in a comma-separated file? "
                                 "Quote such values or export with semicolons")
        raw_rows.append((Location(name, number, columns.time, sheet), _cell(cells, columns.time),
                         _cell(cells, columns.date), Location(name, number, columns.temperature, sheet),
                         _cell(cells, columns.temperature)))
    slash_order = _slash_order(raw_rows, columns)
    readings: list[Reading] = []
    previous: Reading | None = None
    for where_time, time_cell, date_cell, where_temp, temp_cell in raw_rows:
        when = _timestamp(time_cell, date_cell, where_time, columns, slash_order)
        celsius = _temperature(temp_cell, where_temp, columns.names[1])
        reading = Reading(when, celsius, where_time, where_temp)
        if previous is not None:
            _after(previous, reading)
        readings.append(reading)
        previous = reading
    if not readings:
        raise ColdChainError(Location(name, header_row, -1, sheet), "the export has a header row but no readings")
    return LoggerExport(name, sheet, columns.names[0], columns.names[1], tuple(readings))


def _after(previous: Reading, reading: Reading) -> None:
    a, b = previous.time, reading.time
    if (a.tzinfo is None) != (b.tzinfo is None):
        raise ColdChainError(reading.location, f"timestamp {_show_time(b)} mixes a time zone with readings without one",
                             hint="export every timestamp the same way, preferably in UTC")
    if b > a:
        return
    what = "repeats" if b == a else "is earlier than"
    raise ColdChainError(reading.location,
                         f"timestamp {_show_time(b)} {what} the previous reading's {_show_time(a)} "
                         f"({previous.location}); timestamps must increase",
                         hint="remove duplicated rows; a repeated hour in autumn is a daylight-saving change: "
                              "export in UTC")


def present(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _show_time(t: dt.datetime) -> str:
    return t.isoformat(sep=" ")


def _temperature(value: Any, where: Location, column: str) -> float:
    if isinstance(value, bool):
        raise ColdChainError(where, f"temperature {value!r} is not a number (column '{column}')")
    if isinstance(value, (int, float)):
        number = float(value)
    elif present(value):
        text = str(value).strip().replace("\u2212", "-")
        text = _UNIT_SUFFIX.sub("", text)
        if _DECIMAL_COMMA.match(text):  # 19,8: a decimal comma (no temperature has a thousands separator)
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise ColdChainError(where, f"temperature {str(value).strip()!r} is not a number "
                                        f"(column '{column}')") from None
    else:
        raise ColdChainError(where, f"no temperature (column '{column}')",
                             hint="a logger export has a reading in every row; mark sensor faults in the record, "
                                  "not by blanks")
    if not math.isfinite(number) or number <= -KELVIN:
        raise ColdChainError(where, f"temperature {number} °C is not a possible reading (column '{column}')")
    return number


def _slash_order(rows: list[tuple[Location, Any, Any, Location, Any]], columns: _Columns) -> str | None:
    """'dmy' or 'mdy' for d/m/y-looking timestamps, decided from the whole column; None if there are none."""
    day_first = month_first = None
    seen = False
    for where, time_cell, date_cell, _, _ in rows:
        text = date_cell if columns.date is not None else time_cell
        if not isinstance(text, str):
            continue
        match = _SLASH.match(text.strip())
        if not match:
            continue
        seen = True
        first, second = int(match[1]), int(match[2])
        if first > 12 and day_first is None:
            day_first = where
        if second > 12 and month_first is None:
            month_first = where
    if not seen:
        return None
    if day_first and month_first:
        raise ColdChainError(month_first, f"dates are day-first at {day_first} but month-first here",
                             hint="export ISO 8601 timestamps (YYYY-MM-DD hh:mm)")
    if day_first:
        return "dmy"
    if month_first:
        return "mdy"
    first_row = next(w for w, t, d, _, _ in rows if isinstance(d if columns.date is not None else t, str))
    raise ColdChainError(first_row, "dates like 01/07/2026 are ambiguous (1 July or January 7) and no date "
                                    "in the column settles it", hint="export ISO 8601 timestamps (YYYY-MM-DD hh:mm)")


def _timestamp(value: Any, date_value: Any, where: Location, columns: _Columns, slash_order: str | None) -> dt.datetime:
    if columns.date is not None and not _full_timestamp(value):
        day = _date_part(date_value, Location(where.file, where.line, columns.date, where.sheet), slash_order)
        clock = _time_part(value, where)
        return dt.datetime.combine(day, clock)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(0))
    if isinstance(value, str) and value.strip():
        parsed = _parse_datetime(value.strip(), slash_order)
        if parsed is not None:
            return parsed
    shown = repr(str(value).strip()) if present(value) else "empty"
    hint = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        hint = "format the column as a date and time in Excel, or export ISO 8601 text"
    raise ColdChainError(where, f"timestamp {shown} is not a date and time (column '{columns.names[0]}')",
                         hint=hint or "use ISO 8601, e.g. 2026-07-01 14:00")


def _full_timestamp(value: Any) -> bool:
    """A 'Time' cell that holds the whole timestamp (some exports repeat the date there)."""
    if isinstance(value, dt.datetime):
        return True
    return isinstance(value, str) and bool(re.search(r"\d[-./]\d{1,2}[-./]\d", value))


def _parse_datetime(text: str, slash_order: str | None) -> dt.datetime | None:
    candidate = text
    if _ISO_SLASH.match(candidate):
        candidate = candidate.replace("/", "-", 2)
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        return dt.datetime.fromisoformat(candidate)
    except ValueError:
        pass
    match = _DOTTED.match(text)
    if match:
        return _build(int(match[3]), int(match[2]), int(match[1]), match[4], match[5], match[6])
    match = _SLASH.match(text)
    if match and slash_order:
        a, b, year = int(match[1]), int(match[2]), int(match[3])
        day, month = (a, b) if slash_order == "dmy" else (b, a)
        hour = match[4]
        if hour is not None and match[8]:
            h = int(hour) % 12 + (12 if match[8].lower() == "pm" else 0)
            if not 1 <= int(hour) <= 12:
                return None
            hour = str(h)
        return _build(year, month, day, hour, match[5], match[6], match[7])
    return None


def _build(year: int, month: int, day: int, hour: str | None, minute: str | None, second: str | None,
           fraction: str | None = None) -> dt.datetime | None:
    try:
        micro = int((fraction or "0").ljust(6, "0"))
        return dt.datetime(year, month, day, int(hour or 0), int(minute or 0), int(second or 0), micro)
    except ValueError:
        return None


def _date_part(value: Any, where: Location, slash_order: str | None) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        parsed = _parse_datetime(value.strip(), slash_order)
        if parsed is not None and parsed.time() == dt.time(0):
            return parsed.date()
    shown = repr(str(value).strip()) if present(value) else "empty"
    raise ColdChainError(where, f"date {shown} is not a date", hint="use ISO 8601, e.g. 2026-07-01")


def _time_part(value: Any, where: Location) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, dt.timedelta):  # calamine gives a duration for a time-only cell
        seconds = value.total_seconds()
        if 0 <= seconds < 86400:
            return (dt.datetime.min + value).time()
    if isinstance(value, str) and value.strip():
        text = value.strip()
        match = re.match(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$", text)
        if match:
            hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
            if match[4]:
                if not 1 <= hour <= 12:
                    hour = 99
                else:
                    hour = hour % 12 + (12 if match[4].lower() == "pm" else 0)
            try:
                return dt.time(hour, minute, second)
            except ValueError:
                pass
    shown = repr(str(value).strip()) if present(value) else "empty"
    raise ColdChainError(where, f"time {shown} is not a time of day", hint="use hh:mm or hh:mm:ss")

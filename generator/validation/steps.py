"""The step library: Gherkin steps that read like protocol text, so common checks need no new Python.

Every step takes the `qms` fixture (validation.context.RunContext) and records what it checked
with `qms.check(...)`. A phrase works after Given, When or Then alike. Paths are relative to the
quality repository. Numbers are compared as written in the protocol: limits are inclusive.

Data:        the measurement file "F" [sheet "S"] · the column "C" holds ... · I select the rows where "C" is "V"
             · I group the measurements by "C" · there are [at least] N measurements · there are N groups
             · every value of "C" lies between L and H · the value of "C" lies between L and H / is "T"
             · every row has "C" equal to "T" · the mean / minimum / maximum / standard deviation of "C" ...
             · the Cp|Cpk|Pp|Ppk of "C" against the limits L and U [with subgroups of N] is at least X
             · at most K values of "C" lie outside L and H · the group means of "C" differ by no more than X
             · every value of "C" is within P % of "R"
Records:     the record "ID" exists · the record "ID" is in status "S" · the field "F" of record "ID" is "V"
             · the equipment "ID" is calibrated on the execution date
Installation: the installed package "P" has version "V" / satisfies "SPEC" · every dependency of the installed
             package "P" is installed and satisfies its requirement · the Python version is at least "V"
             · the file "F" exists · the file "F" has SHA-256 "H" · the installed file "F" of "MODULE" has SHA-256 "H"
Commands:    I run qms with "ARGS" · the exit code is N · the output contains "T" · the output reports CODE at "LOC"
             · every bad-input fixture in "FOLDER" yields its expected finding
Calculations: the success-run sample sizes are: (table confidence | reliability | failures | n)
             · the capability of "C" against the limits L and U [with subgroups of N] is: (table index | expected)
Builds:      I build the dossier twice · both builds have no validation errors · the two dossiers are byte-identical
             · qms verify passes on the dossier
"""

from __future__ import annotations

import math
import re
import shlex
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytest_bdd import parsers
from pytest_bdd import step as bdd_step

from .context import RunContext, StepFailed

NUMBER = r"(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
_FINDING_LINE = re.compile(r"^\s*(?P<location>\S.*?): (?:error|warning) (?P<code>QMS\d{3})\b")


def step(pattern: str, regex: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register one phrase for Given, When and Then."""
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        parser = parsers.re(pattern) if regex else parsers.parse(pattern)
        return bdd_step(parser, stacklevel=2)(fn)  # the step fixture lands in this module, not in register()
    return register


def _num(text: str) -> float:
    return float(text)


def _fmt(x: float) -> str:
    return f"{x:.6g}"


# ------------------------------------------------------------------------------------------------ data

@step('the measurement file "{path}" sheet "{sheet}"')
def measurement_sheet(qms: RunContext, path: str, sheet: str) -> None:
    table = qms.open_table(path, sheet)
    qms.check(f"{path}[{sheet}] read", f"{len(table.rows)} rows", "a readable sheet with a header row", True)


@step('the measurement file "{path}"')
def measurement_file(qms: RunContext, path: str) -> None:
    table = qms.open_table(path)
    qms.check(f"{path} read", f"{len(table.rows)} rows", "a readable file with a header row", True)


@step('the column "{column}" holds {description}')
def column_holds(qms: RunContext, column: str, description: str) -> None:
    table = qms.current_table()
    qms.check(f'column "{column}" present', column in table.columns, True, column in table.columns)


@step('I select the rows where "{column}" is "{value}"')
def select_rows(qms: RunContext, column: str, value: str) -> None:
    base = qms.scratch.setdefault("unfiltered", qms.current_table())
    qms.table = base.select(column, value)
    qms.check(f'rows where "{column}" is "{value}"', len(qms.table.rows), "at least 1", len(qms.table.rows) >= 1)


@step('I group the measurements by "{column}"')
def group_by(qms: RunContext, column: str) -> None:
    qms.grouped = qms.current_table().groups(column)
    qms.check(f'groups of "{column}"', list(qms.grouped), "at least 1 group", bool(qms.grouped))


@step(r"there are (?P<at_least>at least )?(?P<count>\d+) (?P<what>measurements|rows)", regex=True)
def row_count(qms: RunContext, at_least: str | None, count: str, what: str) -> None:
    n, wanted = len(qms.current_table().rows), int(count)
    qms.check(f"number of {what}", n, f">= {wanted}" if at_least else wanted, n >= wanted if at_least else n == wanted)


@step('every row has a value in "{column}"')
def every_row_filled(qms: RunContext, column: str) -> None:
    table = qms.current_table()
    empty = [i for i, v in enumerate(table.values(column)) if v is None or str(v).strip() == ""]
    actual = f"{len(table.rows) - len(empty)} of {len(table.rows)} rows filled"
    if empty:
        actual += f"; first empty: {table.where(empty[0], column)}"
    qms.check(f'"{column}" recorded in every row', actual, f"all {len(table.rows)} rows", bool(table.rows) and not empty)


@step("there are {count:d} groups")
def groups_count(qms: RunContext, count: int) -> None:
    if qms.grouped is None:
        raise StepFailed("no grouping: use 'When I group the measurements by \"...\"' first")
    qms.check("number of groups", len(qms.grouped), count, len(qms.grouped) == count)


def _between(qms: RunContext, column: str, low: str, high: str) -> None:
    table = qms.current_table()
    values = table.numbers(column)
    lo, hi = _num(low), _num(high)
    outside = [(i, v) for i, v in enumerate(values) if not lo <= v <= hi]
    actual = (f"{len(values) - len(outside)} of {len(values)} within; min {_fmt(min(values))}, max {_fmt(max(values))}"
              if values else "no values")
    if outside:
        i, v = outside[0]
        actual += f"; first outside: {_fmt(v)} at {table.where(i, column)}"
    qms.check(f'every value of "{column}" within limits', actual, f"all within {low} to {high}",
              bool(values) and not outside)


@step(rf'every value of "(?P<column>[^"]+)" lies between (?P<low>{NUMBER}) and (?P<high>{NUMBER})', regex=True)
def every_value_between(qms: RunContext, column: str, low: str, high: str) -> None:
    _between(qms, column, low, high)


@step(rf'the value of "(?P<column>[^"]+)" lies between (?P<low>{NUMBER}) and (?P<high>{NUMBER})', regex=True)
def one_value_between(qms: RunContext, column: str, low: str, high: str) -> None:
    table = qms.current_table()
    qms.check(f'rows holding "{column}"', len(table.rows), 1, len(table.rows) == 1)
    _between(qms, column, low, high)


@step('the value of "{column}" is "{text}"')
def one_value_is(qms: RunContext, column: str, text: str) -> None:
    from ..load.measurements import text_of

    table = qms.current_table()
    qms.check(f'rows holding "{column}"', len(table.rows), 1, len(table.rows) == 1)
    value = text_of(table.values(column)[0])
    qms.check(f'value of "{column}"', value, text, value == text)


@step('every row has "{column}" equal to "{text}"')
def every_row_equal(qms: RunContext, column: str, text: str) -> None:
    from ..load.measurements import same

    table = qms.current_table()
    values = table.values(column)
    bad = [i for i, v in enumerate(values) if not same(v, text)]
    actual = f"{len(values) - len(bad)} of {len(values)} rows"
    if bad:
        actual += f"; first other: '{values[bad[0]]}' at {table.where(bad[0], column)}"
    qms.check(f'"{column}" equal to "{text}" in every row', actual, f"all {len(values)} rows",
              bool(values) and not bad)


_STATS: dict[str, Callable[[list[float]], float]] = {
    "mean": statistics.fmean, "minimum": min, "maximum": max, "standard deviation": statistics.stdev,
}


@step(rf'the (?P<stat>mean|minimum|maximum|standard deviation) of "(?P<column>[^"]+)" '
      rf'(?P<op>lies between|is at least|is at most) (?P<a>{NUMBER})(?: and (?P<b>{NUMBER}))?', regex=True)
def statistic(qms: RunContext, stat: str, column: str, op: str, a: str, b: str | None) -> None:
    values = qms.current_table().numbers(column)
    if len(values) < (2 if stat == "standard deviation" else 1):
        qms.check(f"{stat} of \"{column}\"", f"{len(values)} value(s)", "enough values", False)
    value = _STATS[stat](values)
    if op == "lies between":
        if b is None:
            raise StepFailed("'lies between' needs two limits: 'lies between L and H'")
        ok, expected = _num(a) <= value <= _num(b), f"{a} to {b}"
    elif op == "is at least":
        ok, expected = value >= _num(a), f">= {a}"
    else:
        ok, expected = value <= _num(a), f"<= {a}"
    qms.check(f'{stat} of "{column}"', round(value, 6), expected, ok)


@step(rf'the (?P<index>Cpk|Ppk|Cp|Pp) of "(?P<column>[^"]+)" against the limits (?P<lsl>{NUMBER}) and '
      rf'(?P<usl>{NUMBER})(?: with subgroups of (?P<size>\d+))? is at least (?P<target>{NUMBER})', regex=True)
def capability_at_least(qms: RunContext, index: str, column: str, lsl: str, usl: str, size: str | None,
                        target: str) -> None:
    from ..analysis.capability import capability

    values = qms.current_table().numbers(column)
    result = capability(values, _num(lsl), _num(usl), int(size) if size else 1)
    value = getattr(result, index.lower())
    qms.check(f'{index} of "{column}" (n = {len(values)}, LSL {lsl}, USL {usl})',
              None if value is None else round(value, 4), f">= {target}", value is not None and value >= _num(target))


@step(rf'at most (?P<k>\d+) values? of "(?P<column>[^"]+)" lies? outside (?P<low>{NUMBER}) and (?P<high>{NUMBER})',
      regex=True)
def failures_at_most(qms: RunContext, k: str, column: str, low: str, high: str) -> None:
    values = qms.current_table().numbers(column)
    outside = sum(1 for v in values if not _num(low) <= v <= _num(high))
    qms.check(f'values of "{column}" outside {low} to {high}', outside, f"<= {k}", outside <= int(k))


@step(rf'the group means of "(?P<column>[^"]+)" differ by no more than (?P<limit>{NUMBER})', regex=True)
def group_means(qms: RunContext, column: str, limit: str) -> None:
    if qms.grouped is None:
        raise StepFailed("no grouping: use 'When I group the measurements by \"...\"' first")
    means = {k: statistics.fmean(t.numbers(column)) for k, t in qms.grouped.items()}
    spread = max(means.values()) - min(means.values())
    shown = ", ".join(f"{k}: {_fmt(m)}" for k, m in means.items())
    qms.check(f'spread of the group means of "{column}" ({shown})', round(spread, 6), f"<= {limit}",
              spread <= _num(limit))


@step(rf'every value of "(?P<column>[^"]+)" is within (?P<pct>{NUMBER}) % of "(?P<reference>[^"]+)"', regex=True)
def within_percent(qms: RunContext, column: str, pct: str, reference: str) -> None:
    table = qms.current_table()
    values, refs = table.numbers(column), table.numbers(reference)
    worst, where = 0.0, None
    for i, (v, r) in enumerate(zip(values, refs)):
        dev = math.inf if r == 0 else abs(v - r) / abs(r) * 100
        if dev > worst:
            worst, where = dev, table.where(i, column)
    actual = f"largest deviation {worst:.3f} %" + (f" at {where}" if where else "")
    qms.check(f'"{column}" against "{reference}"', actual, f"<= {pct} % in each of {len(values)} rows",
              bool(values) and worst <= _num(pct))


# --------------------------------------------------------------------------------------------- records

def _record(qms: RunContext, record_id: str) -> Any:
    record = qms.records.get(record_id)
    qms.check(f"record {record_id} exists", record is not None, True, record is not None)
    return record


@step('the record "{record_id}" exists')
def record_exists(qms: RunContext, record_id: str) -> None:
    _record(qms, record_id)


@step('the record "{record_id}" is in status "{status}"')
def record_status(qms: RunContext, record_id: str, status: str) -> None:
    record = _record(qms, record_id)
    qms.check(f"status of {record_id}", record.status, status, record.status == status)


@step('the field "{field}" of record "{record_id}" is "{value}"')
def record_field(qms: RunContext, field: str, record_id: str, value: str) -> None:
    record = _record(qms, record_id)
    current: Any = record
    for part in field.split("."):
        current = getattr(current, part, None)
    shown = "" if current is None else str(current)
    qms.check(f"{record_id} {field}", shown, value, shown == value)


@step('the equipment "{record_id}" is calibrated on the execution date')
def calibrated(qms: RunContext, record_id: str) -> None:
    record = _record(qms, record_id)
    cal = getattr(record, "calibration", None)
    last, due = (cal.last, cal.due) if cal else (None, None)
    ok = last is not None and due is not None and last <= qms.date <= due
    qms.check(f"{record_id} calibration on {qms.date}", f"last {last}, due {due}",
              f"last on or before {qms.date}, due on or after it", ok)


# -------------------------------------------------------------------------------------------- installation

@step('the installed package "{name}" has version "{version}"')
def package_version(qms: RunContext, name: str, version: str) -> None:
    installed = _installed(name)
    qms.check(f"installed version of {name}", installed, version, installed == version)


@step('the installed package "{name}" satisfies "{spec}"')
def package_satisfies(qms: RunContext, name: str, spec: str) -> None:
    from packaging.specifiers import SpecifierSet

    installed = _installed(name)
    ok = installed is not None and SpecifierSet(spec).contains(installed, prereleases=True)
    qms.check(f"installed version of {name}", installed, spec, ok)


@step('every dependency of the installed package "{name}" is installed and satisfies its requirement')
def dependencies_satisfied(qms: RunContext, name: str) -> None:
    from importlib.metadata import PackageNotFoundError, requires

    from packaging.requirements import Requirement

    try:
        wanted = [Requirement(r) for r in requires(name) or ()]
    except PackageNotFoundError:
        qms.check(f"{name} installed", None, "installed", False)
        return
    checked = 0
    for req in wanted:
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue  # optional extras (e.g. test) are not part of the installation
        installed = _installed(req.name)
        ok = installed is not None and req.specifier.contains(installed, prereleases=True)
        qms.check(f"dependency {req.name}", installed, str(req.specifier) or "any version", ok)
        checked += 1
    qms.check(f"dependencies of {name} checked", checked, "at least 1", checked > 0)


def _installed(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


@step('the Python version is at least "{version}"')
def python_version(qms: RunContext, version: str) -> None:
    import platform

    from packaging.version import Version

    current = platform.python_version()
    qms.check("Python version", current, f">= {version}", Version(current) >= Version(version))


@step('the file "{path}" exists')
def file_exists(qms: RunContext, path: str) -> None:
    exists = qms.path(path).is_file()
    if exists:
        qms.hash_file(path)
    qms.check(f"{path} exists", exists, True, exists)


@step('the file "{path}" has SHA-256 "{digest}"')
def file_hash(qms: RunContext, path: str, digest: str) -> None:
    actual = qms.hash_file(path)
    qms.check(f"SHA-256 of {path}", actual, digest.lower(), actual == digest.lower())


@step('the installed file "{path}" of "{module}" has SHA-256 "{digest}"')
def installed_file_hash(qms: RunContext, path: str, module: str, digest: str) -> None:
    """A file installed with a Python package (package data), found where the import system finds it."""
    import hashlib
    from importlib.resources import files

    try:
        data = files(module).joinpath(path).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError) as err:
        qms.check(f"{module}:{path} installed", f"not found ({type(err).__name__})", "installed", False)
        return
    actual = hashlib.sha256(data).hexdigest()
    qms.files_read[f"{module}:{path}"] = actual
    qms.check(f"SHA-256 of {module}:{path}", actual, digest.lower(), actual == digest.lower())


# ------------------------------------------------------------------------------------------------ commands

@step('I run qms with "{args}"')
def run_qms(qms: RunContext, args: str) -> None:
    qms.command = _invoke(qms.root, shlex.split(args))
    qms.check(f"qms {args}", f"exit {qms.command.exit_code}", "the command ran", True)


def _invoke(root: Path, args: list[str]) -> Any:
    """Run the qms CLI in-process in `root` (the command's own error handling, as on a terminal)."""
    import contextlib
    import io
    import os

    from ..cli import run
    from .context import CommandResult

    out = io.StringIO()
    here = os.getcwd()
    try:
        os.chdir(root)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = run(args)
    finally:
        os.chdir(here)
    return CommandResult(tuple(args), code, out.getvalue())


def _command(qms: RunContext) -> Any:
    if qms.command is None:
        raise StepFailed("no command has run: use 'When I run qms with \"...\"' first")
    return qms.command


@step("the exit code is {code:d}")
def exit_code(qms: RunContext, code: int) -> None:
    result = _command(qms)
    qms.check(f"exit code of qms {' '.join(result.args)}", result.exit_code, code, result.exit_code == code)


@step('the output contains "{text}"')
def output_contains(qms: RunContext, text: str) -> None:
    result = _command(qms)
    found = text in result.output
    first = result.output.strip().splitlines()[:1]
    qms.check(f'output of qms {" ".join(result.args)} contains "{text}"',
              "found" if found else f"not found (output begins: {first[0] if first else 'empty'})", "found", found)


@step('the output reports {code} at "{location}"')
def output_reports(qms: RunContext, code: str, location: str) -> None:
    """A finding in `qms validate` output, text or JSON: this code at exactly this location."""
    import json

    result = _command(qms)
    try:
        found = [(f["code"], f["location"]) for f in json.loads(result.output).get("findings", [])]
    except (json.JSONDecodeError, AttributeError):  # the text form: "LOCATION: error QMS122 [ID]: message"
        found = [(m["code"], m["location"]) for m in map(_FINDING_LINE.match, result.output.splitlines()) if m]
    ok = (code, location) in found
    qms.check(f"finding {code} at {location}", "reported" if ok else f"not reported (found: {found[:3]})",
              "reported", ok)


@step('every bad-input fixture in "{folder}" yields its expected finding')
def fixtures_yield(qms: RunContext, folder: str) -> None:
    import json

    import yaml

    base = qms.path(folder)
    expected = yaml.safe_load(qms.path(f"{folder}/expected.yaml").read_text("utf-8"))
    qms.hash_file(f"{folder}/expected.yaml")
    checked = skipped = 0
    for name in sorted(expected):
        case = expected[name]
        repo = base / name
        if case.get("written_at_test_time") or not repo.is_dir():
            skipped += 1  # its broken file is written by the test suite at run time (huge files, links)
            continue
        result = _invoke(repo, ["--repo", str(repo), "validate", "--format", "json", "--no-cache",
                                *case.get("args", [])])
        try:
            found = [(f["code"], f["location"]) for f in json.loads(result.output).get("findings", [])]
        except (json.JSONDecodeError, AttributeError):
            found = []
        hit = (case["code"], case["location"]) in found
        ok = hit and result.exit_code == case["exit"]
        # The actual in the expected's own terms: the code at its location (or what was found instead), the exit.
        seen = (f"{case['code']} at {case['location']}" if hit
                else "not reported (found: " + (", ".join(f"{c} at {at}" for c, at in found[:3]) or "nothing") + ")")
        qms.check(f"fixture {name}", f"{seen}, exit {result.exit_code} ({len(found)} finding(s) in all)",
                  f"{case['code']} at {case['location']}, exit {case['exit']}", ok)
        checked += 1
    qms.check(f"fixtures in {folder}", f"{checked} checked, {skipped} written at test time",
              "at least 1 checked", checked > 0)


# ---------------------------------------------------------------------------------------------- calculations

@step("the success-run sample sizes are:")
def success_run_table(qms: RunContext, datatable: list[list[str]]) -> None:
    from ..analysis.sample_size import success_run

    header, *rows = datatable
    for row in rows:
        cell = dict(zip(header, row))
        c, r, k = float(cell["confidence"]), float(cell["reliability"]), int(cell.get("failures", 0) or 0)
        n = success_run(c, r, k)
        qms.check(f"success run C={c:g} R={r:g} failures={k}", n, int(cell["n"]), n == int(cell["n"]))


@step(rf'the capability of "(?P<column>[^"]+)" against the limits (?P<lsl>{NUMBER}) and (?P<usl>{NUMBER})'
      rf'(?: with subgroups of (?P<size>\d+))? is:', regex=True)
def capability_table(qms: RunContext, column: str, lsl: str, usl: str, size: str | None,
                     datatable: list[list[str]]) -> None:
    from ..analysis.capability import capability

    result = capability(qms.current_table().numbers(column), _num(lsl), _num(usl), int(size) if size else 1)
    header, *rows = datatable
    for row in rows:
        cell = dict(zip(header, row))
        index, expected = cell["index"].lower(), cell["expected"]
        places = len(expected.split(".")[1]) if "." in expected else 0
        value = getattr(result, index)
        shown = None if value is None else f"{value:.{places}f}"
        qms.check(f"{cell['index']} of \"{column}\"", shown, expected, shown == expected)


# ---------------------------------------------------------------------------------------------------- builds

@step("I build the dossier twice")
def build_twice(qms: RunContext) -> None:
    """Two full builds from two separate loads, each into its own folder, as `qms build` does;
    the automated protocols are not run inside them (this step is one of them)."""
    import tempfile

    from ..load.repo import load_repository
    from ..recordset import RecordSet
    from ..render.dossier import build_dossier, verify_dossier

    builds = []
    with tempfile.TemporaryDirectory(prefix="qms-pq-") as work:
        for n in (1, 2):
            loaded = load_repository(qms.root)
            records = RecordSet(loaded.records, loaded.config)
            out = Path(work) / f"build{n}"
            built = build_dossier(qms.root, loaded, records, qms.date, out, protocols=False)
            builds.append({"errors": built.errors, "files": {f["path"]: f["sha256"] for f in built.files},
                           "verified": verify_dossier(out).clean})
    qms.scratch["builds"] = builds
    qms.check("dossiers built", len(builds), 2, True)


def _builds(qms: RunContext) -> list[dict[str, Any]]:
    if "builds" not in qms.scratch:
        raise StepFailed("no dossier built: use 'When I build the dossier twice' first")
    return qms.scratch["builds"]


@step("both builds have no validation errors")
def builds_clean(qms: RunContext) -> None:
    for n, built in enumerate(_builds(qms), 1):
        qms.check(f"validation errors in build {n}", built["errors"], 0, built["errors"] == 0)


@step("the two dossiers are byte-identical")
def builds_identical(qms: RunContext) -> None:
    one, two = (b["files"] for b in _builds(qms))
    differ = sorted(p for p in one.keys() | two.keys() if one.get(p) != two.get(p))
    # The builds inside this step do not run the automated protocols (this step is one of them), so they hold
    # every file of the dossier but those runs' evidence and executed reports, and manifest.json (which lists
    # the others): say so, so the count is not read as the whole dossier's.
    qms.check("files whose SHA-256 differs between the builds (each dossier without the automated protocols' "
              "executed reports and evidence, and without manifest.json)", differ[:5] if differ else "none",
              f"none of {len(one)} files", not differ and bool(one))


@step("qms verify passes on the dossier")
def verify_passes(qms: RunContext) -> None:
    verified = _builds(qms)[0]["verified"]
    qms.check("qms verify of the first build", "clean" if verified else "files differ from the manifest", "clean",
              verified)

"""Wrong values are located errors at load: never silently accepted, never an OverflowError (issue 14).

Control characters and non-characters spelled as YAML escapes, NaN and infinity, numbers where a date
belongs, and days, counts and dates so large that date arithmetic overflows: each is refused when the
record is loaded, as a finding with its code and exact `file:line`, and the commands that used to end
in an internal error (exit 3) on such a value now refuse it like any other bad input.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.dom.minidom
from pathlib import Path

import openpyxl
import pytest
from support import make_repo, run_qms, validate_json

REQ_PATH = "records/requirements/REQ-0001.yaml"
MAT_PATH = "records/materials/MAT-001.yaml"
CAPA_POLICY_PATH = "specs/policies/POL-CAPA.yaml"


def req(statement: str = "The pump shall deliver 1-999 mL/h", extra: str = "") -> str:
    return f"id: REQ-0001\ntitle: Flow accuracy\nstatus: draft\nstatement: {statement}\n{extra}"


def material(storage: str) -> str:
    return ("id: MAT-001\ntitle: Infusion set\nstatus: approved\ntype: component\nstorage:\n"
            f"  {storage}\n")


def findings(repo: Path, *extra: str) -> tuple[int, list[tuple[str, str, str]]]:
    code, report = validate_json(repo, "--no-cache", *extra)
    return code, [(f["code"], f["location"], f["message"]) for f in report["findings"]]


def only(repo: Path, *extra: str) -> tuple[int, str, str, str]:
    """Exit code, and the code, location and message of the one finding `qms validate` must give."""
    code, found = findings(repo, *extra)
    assert len(found) == 1, found
    return (code, *found[0])


def refused(proc) -> None:  # type: ignore[no-untyped-def]
    """A command met the bad value as bad input: exit 1 or 2 with a message, not an internal error."""
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode in (1, 2), (proc.returncode, proc.stdout[-500:], proc.stderr[-500:])


# --------------------------------------------------------------------------- control characters


@pytest.mark.parametrize("escaped, char", [
    (r'"start \x01 of heading"', "U+0001"),
    (r'"nul \0 byte"', "U+0000"),
    (r'"colour \e[31m red"', "U+001B"),
    (r'"bell \a"', "U+0007"),
    (r'"vertical \v tab"', "U+000B"),
    (r'"delete \x7f"', "U+007F"),
    (r'"c1 \x9b control"', "U+009B"),
    (r'"next line \N"', "U+0085"),
    (r'"non-character \uFFFE"', "U+FFFE"),
    (r'"non-character \uFDD0"', "U+FDD0"),
    (r'"last code point \U0010FFFF"', "U+10FFFF"),
])
def test_an_escaped_control_character_in_a_value_is_refused_at_its_line(tmp_path, escaped, char):
    repo = make_repo(tmp_path, {REQ_PATH: req(escaped)})
    code, rule, where, message = only(repo)
    assert (code, rule, where) == (2, "QMS103", f"{REQ_PATH}:4")
    assert f"character {char} is not allowed" in message


def test_an_escaped_control_character_in_a_key_or_a_nested_value_is_refused_at_its_line(tmp_path):
    key = "id: REQ-0001\ntitle: Flow accuracy\n\"sta\\x01tus\": draft\nstatement: The pump shall run\n"
    nested = req(extra="tags:\n  - fine\n  - \"bad \\x02 tag\"\n")
    for name, text, line in (("key", key, 3), ("nested", nested, 7)):
        repo = make_repo(tmp_path / name, {REQ_PATH: text})
        assert only(repo)[:3] == (2, "QMS103", f"{REQ_PATH}:{line}")


def test_a_raw_control_byte_is_refused_at_its_line_not_line_1(tmp_path):
    repo = make_repo(tmp_path, {REQ_PATH: req().encode() + b"description: bad \x01 byte\n"})
    code, rule, where, message = only(repo)
    assert (code, rule, where) == (2, "QMS103", f"{REQ_PATH}:5")
    assert "U+0001" in message


def test_a_control_character_in_qms_yaml_is_refused_at_its_line(tmp_path):
    repo = make_repo(tmp_path)
    (repo / "qms.yaml").write_text('company: {name: Test Co, code: TC}\ndevice: {name: "Pump \\e[2J"}\n')
    code, rule, where, _ = only(repo)
    assert (code, rule, where) == (2, "QMS103", "qms.yaml:2")


def test_tab_line_breaks_unicode_and_literal_backslashes_still_load(tmp_path):
    text = req(r'"Tab\there, line\r\nbreak, µL/h, ≤ 5 %, 🙂"',
               "description: 'a literal \\x01 in single quotes is four characters'\n")
    repo = make_repo(tmp_path, {REQ_PATH: text})
    code, found = findings(repo)
    assert [f for f in found if f[0] in ("QMS103", "QMS111")] == []
    assert code in (0, 1)


def test_commands_that_write_documents_refuse_a_control_character_instead_of_crashing(tmp_path):
    repo = make_repo(tmp_path / "repo", {REQ_PATH: req(r'"bad \x01 value"')})
    for args in (("build", "--out", str(tmp_path / "dossier")),
                 ("trace", "--out", str(tmp_path / "trace.xlsx")),
                 ("excel", "export", "--out", str(tmp_path / "export.xlsx")),
                 ("export", "reqif", "--kinds", "requirement", "--out", str(tmp_path / "out.reqif"))):
        proc = run_qms("--repo", str(repo), *args, timeout=180)
        refused(proc)
    reqif = tmp_path / "out.reqif"
    if reqif.exists():  # whatever was written is well-formed XML
        xml.dom.minidom.parse(str(reqif))


# --------------------------------------------------------------------------- NaN and infinity


@pytest.mark.parametrize("storage", [
    "max_c: .nan", "min_c: -.inf", "mkt_max_c: .NaN", "activation_energy_kj_mol: .inf", "max_c: 1.0e+999",
])
def test_nan_and_infinity_are_refused_where_written(tmp_path, storage):
    repo = make_repo(tmp_path, {MAT_PATH: material(storage)})
    code, rule, where, message = only(repo)
    assert (code, rule, where) == (1, "QMS111", f"{MAT_PATH}:6")
    assert "not a finite number" in message


@pytest.mark.parametrize("storage", ['max_c: "nan"', "max_c: '-Infinity'"])
def test_nan_as_text_is_refused_by_the_schema(tmp_path, storage):
    repo = make_repo(tmp_path, {MAT_PATH: material(storage)})
    code, rule, where, message = only(repo)
    assert (code, rule, where) == (1, "QMS111", f"{MAT_PATH}:6")
    assert "storage.max_c" in message and "finite number" in message


def test_nan_in_a_policy_map_is_refused(tmp_path):
    policy = ("id: POL-SUPPLIER\ntitle: Supplier policy\nstatus: effective\npolicy: supplier\n"
              "weights: {quality: 0.5, delivery: 0.5, responsiveness: \"nan\"}\ngrades: [{grade: A, min_score: 0}]\n"
              "reevaluate_below: 70\n")
    repo = make_repo(tmp_path, {"specs/policies/POL-SUPPLIER.yaml": policy})
    code, rule, where, message = only(repo)
    assert (code, rule, where) == (1, "QMS111", "specs/policies/POL-SUPPLIER.yaml:5")
    assert "weights.responsiveness" in message


def test_nan_in_a_csv_cell_is_refused_at_the_cell(tmp_path):
    lots = "id,status,lot_type,material,quantity\nLOT-001,planned,component,MAT-001,nan\n"
    repo = make_repo(tmp_path, {MAT_PATH: material("max_c: 25"), "records/production/lots.csv": lots})
    code, found = findings(repo)
    assert code == 1
    assert [(f[0], f[1]) for f in found] == [("QMS111", "records/production/lots.csv:2")]
    assert "finite number" in found[0][2]


# --------------------------------------------------------------------------- a number is never a date


@pytest.mark.parametrize("value", ["0", "1702080000", '"1702080000"', "2026.5", "-1", "'45000'"])
def test_a_number_is_not_a_date(tmp_path, value):
    repo = make_repo(tmp_path, {REQ_PATH: req(extra=f"created: {value}\n")})
    code, rule, where, message = only(repo)
    assert (code, rule, where) == (1, "QMS113", f"{REQ_PATH}:5")
    assert "is a number, not a date" in message and "'created'" in message


@pytest.mark.parametrize("value", ["2026-01-05", '"2026-01-05"', "'2026-01-05'"])
def test_a_written_date_still_loads(tmp_path, value):
    repo = make_repo(tmp_path, {REQ_PATH: req(extra=f"created: {value}\n")})
    _, found = findings(repo, "--as-of", "2026-11-25")
    assert [f for f in found if f[0] in ("QMS111", "QMS113")] == []


def test_a_number_for_a_date_time_is_refused(tmp_path):
    log = ("id: TL-001\ntitle: Fridge\nstatus: open\ndata: records/coldchain/data/log.csv\n"
           "start: 1702080000\n")
    repo = make_repo(tmp_path, {"records/coldchain/TL-001.yaml": log,
                                "records/coldchain/data/log.csv": "time,temp\n2026-01-05T10:00:00,5.0\n"})
    code, found = findings(repo)
    assert ("QMS113", "records/coldchain/TL-001.yaml:5") in [(f[0], f[1]) for f in found]
    assert code == 1


def _lots_workbook(path: Path, manufactured: object, number_format: str | None) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Lots"
    sheet.append(["id", "status", "lot_type", "material", "quantity", "manufactured"])
    sheet.append(["LOT-001", "planned", "component", "MAT-001", 10, manufactured])
    if number_format:
        sheet["F2"].number_format = number_format
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def test_a_date_cell_loads_and_a_general_number_cell_is_not_a_date(tmp_path):
    ok = make_repo(tmp_path / "ok", {MAT_PATH: material("max_c: 25")})
    _lots_workbook(ok / "records/production/lots.xlsx", dt.date(2026, 1, 5), "yyyy-mm-dd")
    code, found = findings(ok, "--as-of", "2026-11-25")
    assert (code, found) == (0, [])

    bad = make_repo(tmp_path / "bad", {MAT_PATH: material("max_c: 25")})
    _lots_workbook(bad / "records/production/lots.xlsx", 1702080000, None)
    code, rule, where, message = only(bad, "--as-of", "2026-11-25")
    assert (code, rule, where) == (1, "QMS113", "records/production/lots.xlsx[Lots]!F2")
    assert "not a date" in message


def test_json_schema_still_says_format_date(tmp_path):
    repo = make_repo(tmp_path)
    proc = run_qms("--repo", str(repo), "schema", "--out", str(tmp_path / "schemas"))
    assert proc.returncode == 0, proc.stderr
    (path,) = [p for p in (tmp_path / "schemas").rglob("*.json") if "capa" in p.name.lower()]
    props = json.loads(path.read_text())["properties"]
    for name in ("created", "opened", "due"):
        assert {"type": "string", "format": "date"} in props[name]["anyOf"], props[name]


# --------------------------------------------------------------------------- ranges: days, counts, dates


CAPA_POLICY = """\
id: POL-CAPA
title: CAPA policy
status: effective
policy: capa
recurrence:
  count: 2
  window_days: {window}
  by: [category]
due_days: {due}
effectiveness_wait_days: 30
"""


def nc(number: int, detected: str) -> str:
    return (f"id: NC-2026-00{number}\ntitle: Burr {number}\nstatus: open\nsource: production\n"
            f"category: dimensional\ndetected: {detected}\n")


def capa_repo(tmp_path: Path, window: str = "90", due: str = "90", extra: dict[str, str] | None = None,
              ncs: int = 2) -> Path:
    """A CAPA policy and `ncs` nonconformances that (at two) make a recurrence trend for `qms capa draft`."""
    files = {CAPA_POLICY_PATH: CAPA_POLICY.format(window=window, due=due)}
    for number, detected in list(enumerate(("2026-01-05", "2026-01-09"), 1))[:ncs]:
        files[f"records/events/nc/NC-2026-00{number}.yaml"] = nc(number, detected)
    return make_repo(tmp_path, {**files, **(extra or {})})


@pytest.mark.parametrize("window, due, line", [
    ("99999999999", "90", 7), ("0", "90", 7), ("36501", "90", 7), ("90", "99999999", 9), ("90", "0", 9),
    pytest.param("90", "9" * 5000, 9, id="5000-digits"),
])
def test_policy_days_are_bounded_and_capa_draft_no_longer_overflows(tmp_path, window, due, line):
    repo = capa_repo(tmp_path, window, due)
    code, rule, where, message = only(repo, "--as-of", "2026-02-01")
    assert (code, rule, where) == (1, "QMS111", f"{CAPA_POLICY_PATH}:{line}")
    bound = "greater than or equal to 1" if "0" in (window, due) else "less than or equal to 36500"
    assert (bound if len(due) < 100 else "exceeded maximum size") in message
    refused(run_qms("--repo", str(repo), "capa", "draft", "--as-of", "2026-02-01", "--dry-run"))


def test_policy_days_at_the_bounds_are_accepted(tmp_path):
    repo = capa_repo(tmp_path, "36500", "36500")
    _, found = findings(repo, "--as-of", "2026-02-01")
    assert [f for f in found if f[0] == "QMS111"] == []
    proc = run_qms("--repo", str(repo), "capa", "draft", "--as-of", "2026-02-01", "--dry-run")
    assert proc.returncode == 0, proc.stderr


def test_stage_days_in_a_map_are_bounded(tmp_path):
    repo = capa_repo(tmp_path, extra={})
    path = repo / CAPA_POLICY_PATH
    path.write_text(path.read_text() + "stage_days:\n  investigation: 30\n  action: 99999999\n")
    assert only(repo, "--as-of", "2026-02-01")[:3] == (1, "QMS111", f"{CAPA_POLICY_PATH}:13")


CAPA = """\
id: CAPA-2026-001
title: Burrs on housings
status: effectiveness_check
owner: USR-001
sources: [NC-2026-001]
opened: 2026-01-10
actions:
  - type: corrective
    description: Replace the worn fixture
    status: done
    done: {done}
effectiveness:
  criteria: No burr for three months
  checked: 2026-06-01
  result: effective
"""


@pytest.mark.parametrize("done, message", [
    ("9999-12-31", "9999-12-31 lies outside the dates a record may hold (1900-01-01 to 2199-12-31)"),
    ("1899-12-31", "1899-12-31 lies outside the dates a record may hold (1900-01-01 to 2199-12-31)"),
])
def test_a_date_outside_the_window_is_refused_and_build_no_longer_overflows(tmp_path, done, message):
    repo = capa_repo(tmp_path, extra={"records/events/capa/CAPA-2026-001.yaml": CAPA.format(done=done)}, ncs=1)
    code, rule, where, said = only(repo, "--as-of", "2026-11-25")
    assert (code, rule, where) == (1, "QMS113", "records/events/capa/CAPA-2026-001.yaml:11")
    assert said == f"'actions.0.done': {message}"
    refused(run_qms("--repo", str(repo), "build", "--as-of", "2026-11-25", "--out", str(tmp_path / "out"),
                    timeout=180))


def test_the_last_date_of_the_window_is_accepted(tmp_path):
    repo = capa_repo(tmp_path, extra={"records/events/capa/CAPA-2026-001.yaml": CAPA.format(done="2026-05-01")
                                      .replace("opened: 2026-01-10", "opened: 2026-01-10\ndue: 2199-12-31")})
    _, found = findings(repo, "--as-of", "2026-11-25")
    assert [f for f in found if f[0] in ("QMS111", "QMS113")] == []


VIGILANCE = """\
id: POL-VIGILANCE
title: Vigilance
status: effective
policy: vigilance
clocks:
  - authority: eu_mdr
    event_class: malfunction
    days: {days}
    business_days: {business}
"""

COMPLAINT = """\
id: CMP-2026-001
title: Occlusion alarm did not sound
status: investigation
received: 2026-03-02
awareness: 2026-03-02
country: DE
event_class: malfunction
reportable: true
"""


@pytest.mark.parametrize("business", ["false", "true"])
def test_a_vigilance_clock_is_bounded_and_kpi_no_longer_overflows(tmp_path, business):
    repo = make_repo(tmp_path, {"specs/policies/POL-VIGILANCE.yaml": VIGILANCE.format(days=99999999, business=business),
                                "records/events/complaints/CMP-2026-001.yaml": COMPLAINT})
    code, found = findings(repo, "--as-of", "2026-11-25")
    # the clock is refused at its line; the reportable complaint is also, truly, not yet weighed by a risk file
    assert (code, [(rule, where) for rule, where, _ in found]) == (1, [
        ("QMS317", "records/events/complaints/CMP-2026-001.yaml:1"), ("QMS111", "specs/policies/POL-VIGILANCE.yaml:8")])
    # kpi computes what loads and says what did not (exit 0): the clock no longer overflows or loops.
    proc = run_qms("--repo", str(repo), "kpi", "--as-of", "2026-11-25", timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "qms: 1 record(s) could not be loaded and are missing from the "
                                                 "KPIs; run `qms validate`\n")


@pytest.mark.parametrize("as_of, message", [
    ("9999-12-31", "lies outside the dates a record may hold"),
    ("0", "is a number, not a date"),
])
def test_qms_yaml_as_of_is_a_plausible_date(tmp_path, as_of, message):
    repo = make_repo(tmp_path)
    (repo / "qms.yaml").write_text(f"company: {{name: Test Co, code: TC}}\ndevice: {{name: Pump}}\nas_of: {as_of}\n")
    code, rule, where, said = only(repo)
    assert (code, rule, where) == (1, "QMS115", "qms.yaml:3")
    assert message in said
    proc = run_qms("--repo", str(repo), "kpi")
    assert proc.returncode in (0, 1, 2) and "Traceback" not in proc.stderr and "internal error" not in proc.stderr


@pytest.mark.parametrize("field, value", [
    ("lot_size", "1000000000000"), ("sample_size", "99999999999"), ("aql", ".inf"), ("aql", "1e6"),
])
def test_counts_and_quantities_are_bounded(tmp_path, field, value):
    lines = {"lot_size": "500", "aql": "1.0", "sample_size": "50"}
    lines[field] = value
    body = "".join(f"{k}: {v}\n" for k, v in lines.items())
    ins = f"id: INS-001\nstatus: planned\nreceipt: RCV-001\n{body}"
    repo = make_repo(tmp_path, {"records/supply/INS-001.yaml": ins})
    line = 4 + list(lines).index(field)
    code, found = findings(repo)
    assert code == 1
    assert ("QMS111", f"records/supply/INS-001.yaml:{line}") in [(f[0], f[1]) for f in found]


@pytest.mark.parametrize("command", [("validate",), ("kpi",), ("capa", "draft", "--dry-run")])
def test_an_as_of_option_outside_the_window_is_bad_usage(tmp_path, command):
    repo = capa_repo(tmp_path)
    proc = run_qms("--repo", str(repo), *command, "--as-of", "9999-12-31")
    assert proc.returncode == 2, proc.stderr
    assert "9999-12-31 lies outside the dates records may hold (1900-01-01 to 2199-12-31)" in proc.stderr


# --------------------------------------------------------------------------- every model, by construction


def _models():
    """Every model read from a file: record kinds, policies, the models nested in them, and qms.yaml's."""
    from generator.config import RepoConfig
    from generator.model import MODELS, plan
    from generator.model.policy import POLICIES

    seen, todo = [], [*MODELS, *POLICIES.values(), RepoConfig]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        todo.extend(f.nested for f in plan(model).fields.values() if f.nested is not None)
        todo.extend(f.annotation for f in model.model_fields.values()
                    if isinstance(f.annotation, type) and hasattr(f.annotation, "model_fields"))
    return seen


def _numbers(annotation, metadata):  # type: ignore[no-untyped-def]
    """(type, bounds) of every int/float a field holds, through Optional, list, dict and Annotated."""
    import typing

    import annotated_types

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        yield from _numbers(inner, [*metadata, *extra])
    elif origin is not None:
        args = typing.get_args(annotation)
        for arg in args[1:] if origin is dict else args:
            yield from _numbers(arg, [] if origin in (list, dict) else metadata)
    elif annotation in (int, float):
        bounds = {type(m).__name__ for m in metadata if isinstance(m, annotated_types.BaseMetadata)}
        for m in metadata:  # a Field(...) inside Annotated carries its bounds as metadata of its own
            bounds |= {type(x).__name__ for x in getattr(m, "metadata", [])}
        yield annotation, bounds


def test_every_model_refuses_non_finite_numbers_and_bounds_every_number():
    unbounded = []
    for model in _models():
        assert model.model_config.get("allow_inf_nan") is False, model
        for name, info in model.model_fields.items():
            for kind, bounds in _numbers(info.annotation, info.metadata):
                if not ({"Ge", "Gt"} & bounds and {"Le", "Lt"} & bounds):
                    unbounded.append(f"{model.__name__}.{name} ({kind.__name__})")
    assert unbounded == []


def test_every_date_field_uses_the_shared_date_type():
    import datetime as dt
    import typing

    bare = []
    for model in _models():
        for name, info in model.model_fields.items():
            annotation = info.annotation
            if typing.get_origin(annotation) is None:  # a required Date: pydantic moves its validator to metadata
                plain = annotation in (dt.date, dt.datetime) and not info.metadata
            else:  # Date | None keeps Annotated inside the union
                plain = any(a in (dt.date, dt.datetime) for a in typing.get_args(annotation))
            if plain:
                bare.append(f"{model.__name__}.{name}")
    assert bare == []

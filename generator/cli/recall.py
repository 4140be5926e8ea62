"""`qms recall`: what a bad lot, unit, UDI or supplier lot reaches — lots, serial units, shipments, customers."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from ..analysis.cycles import strongly_connected
from ..analysis.genealogy import RecallResult, index
from ..analysis.genealogy import recall as find_recall
from ..analysis.genealogy_checks import cycle_members
from ..findings import Finding
from ..load.repo import load_repository
from ..recordset import RecordSet
from .app import FORMAT, App, IsoDate, refuse_dossier_out


@click.command("recall")
@click.option("--lot", default=None, help="An internal lot ID (component, subassembly or finished).")
@click.option("--serial", default=None, help="A serial unit: its ID (SN-...) or the serial number as marked.")
@click.option("--udi", default=None, help="A scanned or typed UDI (its serial, else its lot).")
@click.option("--supplier-lot", "supplier_lot", default=None,
              help="A supplier's lot number; SUPPLIER:NUMBER when two suppliers share the number.")
@FORMAT
@click.option("--engine", type=click.Choice(["records", "duckdb", "spark"]), default="records", show_default=True,
              help="records: every record loaded and validated (small repositories); duckdb: SQL over Parquet copies "
                   "of the bulk tables, cached by content (millions of rows; `qms validate` remains the check); "
                   "spark: the same SQL on a Spark session (extra `spark`).")
@click.option("--fast", is_flag=True, help="Same as --engine duckdb.")
@click.option("--spark-master", "spark_master", default=None,
              help="Spark master URL for --engine spark (default: qms.yaml genealogy.spark_master, else local[*]).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write recall_impact.xlsx and recall_summary.docx (a controlled document) into this folder.")
@click.option("--as-of", "as_of", type=IsoDate(), default=None,
              help="Date of recall_summary.docx while it is a draft (no valid approval of the DOC- record with its "
                   "number); an approved one is effective on its approval's date (default: qms.yaml's as_of, else "
                   "today).")
@click.pass_obj
def recall(app: App, lot: str | None, serial: str | None, udi: str | None, supplier_lot: str | None,
           fmt: str, engine: str, fast: bool, spark_master: str | None, out: Path | None,
           as_of: dt.date | None) -> None:
    """Trace forward (and back) from exactly one of --lot, --serial, --udi or --supplier-lot.

    Lists the affected lots, serial units, shipments, customers and countries, and the component
    lots, receipts and suppliers behind them. Exit 0 when answered, 2 for a selector that names
    nothing, more than one thing, or when not exactly one selector is given.
    """
    refuse_dossier_out(app, out)
    given = [name for name, value in (("--lot", lot), ("--serial", serial), ("--udi", udi),
                                      ("--supplier-lot", supplier_lot)) if value is not None]
    if len(given) != 1:
        what = "none was given" if not given else f"got {', '.join(given)}"
        raise click.UsageError(f"give exactly one of --lot, --serial, --udi or --supplier-lot ({what})")
    load_errors = []
    records: RecordSet | None = None
    config = None
    if fast:
        engine = "duckdb"
    looped: list[list[str]] = []
    if engine != "records":
        from ..load.repo import load_config

        config, _ = load_config(app.root)
        master = spark_master or (config.genealogy.spark_master if config is not None else None) or "local[*]"
        result, bulk_findings = _on_engine(app.root, engine, master, lot=lot, serial=serial, udi=udi,
                                           supplier_lot=supplier_lot)
        # Every cycle among all lots, found once per cache build (the record path's index holds them all too).
        looped = [cycle_members(f) for f in bulk_findings if f.code == "QMS128"]
        load_errors = [f for f in bulk_findings if f.code != "QMS128"]
    else:
        loaded = load_repository(app.root)
        records = RecordSet(loaded.records, loaded.config)
        config = loaded.config
        load_errors = [f for f in loaded.findings if f.severity == "error"]
        result = find_recall(records, lot=lot, serial=serial, udi=udi, supplier_lot=supplier_lot)
        idx = index(records)
        looped = [sorted(c) for c in strongly_connected(sorted(idx.consumes), lambda lot_id: idx.consumes.get(lot_id, ()))
                  if len(c) > 1]
    written: list[Path] = []
    if out is not None:
        from ..render.document import DocumentSet
        from ..render.recall import write_recall_docx, write_recall_workbook

        documents = DocumentSet.on_demand(app.root, config, records, effective=app.as_of(as_of))
        write_recall_workbook(result, out / "recall_impact.xlsx")
        written.append(out / "recall_impact.xlsx")
        write_recall_docx(result, out / "recall_summary.docx", documents)
        written.append(out / "recall_summary.docx")
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        _text(result)
        for path in written:
            click.echo(f"wrote {path}")
    if load_errors and engine != "records":  # located, as `qms validate` words them; the first few
        for finding in load_errors[:_SHOWN]:
            click.echo(f"qms: {finding.severity}: {finding.location}: {finding.message} ({finding.code})", err=True)
        more = f" ({len(load_errors) - _SHOWN} more not shown)" if len(load_errors) > _SHOWN else ""
        click.echo(f"qms: {len(load_errors)} finding(s) in the bulk tables{more}: rows refused are missing from the "
                   "genealogy; run `qms validate`", err=True)
    elif load_errors:
        click.echo(f"qms: {len(load_errors)} record(s) could not be loaded and are missing from the genealogy; "
                   "run `qms validate`", err=True)
    # Lots consuming each other (QMS128) make no true genealogy: the impact is shown, and the run fails.
    if looped:
        for lots in looped:
            click.echo(f"qms: error: lots consume each other ({', '.join(lots)}): the genealogy holds a cycle "
                       "and this impact cannot be trusted; run `qms validate` (QMS128)", err=True)
        raise SystemExit(1)


_SHOWN = 20  # located findings printed by an engine run; `qms validate` lists them all


def _on_engine(root: Path, engine: str, master: str,
               **selector: str | None) -> tuple[RecallResult, list[Finding]]:
    """The recall as SQL over the Parquet tables, on DuckDB in this process or on a Spark session, and the
    bulk tables' findings."""
    import duckdb

    from ..analysis.genealogy_engines import DuckDBEngine, SparkEngine, prepare
    from ..analysis.genealogy_sql import recall_sql

    try:
        tables, findings = prepare(root)
    except (duckdb.Error, OSError) as err:
        raise click.ClickException(f"the bulk tables cannot be read into Parquet: {err}") from None
    if engine == "duckdb":
        try:
            return recall_sql(DuckDBEngine(tables), **selector)[0], findings
        except duckdb.Error as err:
            raise click.ClickException(f"the genealogy query failed on DuckDB: {err}") from None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise click.UsageError("--engine spark needs pyspark: pip install 'qms-generator[spark]'") from None
    try:
        spark = SparkEngine(tables, master)
    except Exception as err:  # no Java, or the master cannot be reached: Spark names the cause
        raise click.ClickException(f"cannot start a Spark session on {master}: {str(err).splitlines()[0]}") from None
    try:
        return recall_sql(spark, **selector)[0], findings
    finally:
        spark.stop()


def _text(result: RecallResult) -> None:
    (key, value), = result.selector.items()
    c = result.counts
    click.echo(f"Recall impact of {key.replace('_', ' ')} {value}: matched {', '.join(result.matched) or 'nothing'}")
    click.echo(f"  {c['affected_lots']} lot(s), {c['affected_serials']} serial unit(s) "
               f"({c['shipped_serials']} shipped), {c['shipments']} shipment(s), {c['customers']} customer(s) "
               f"in {c['countries']} country(ies)")
    click.echo("\nAffected lots:")
    for lot_row in result.affected_lots or [{"id": "none"}]:
        extra = f"  {lot_row['lot_type']}, {lot_row['status']}, {lot_row['units']} unit(s)" if "status" in lot_row else ""
        click.echo(f"  {lot_row['id']}{extra}")
    click.echo("\nCustomers:")
    to_notify = result.to_notify()
    if not to_notify:
        click.echo("  none: no affected unit has been shipped")
    for (customer, country), held in to_notify.items():
        click.echo(f"  {customer}{f' [{country}]' if country else ''}: {', '.join(held)}")
    in_house = [u["serial"] for u in result.affected_serials if not u["shipments"]]
    if in_house:
        click.echo(f"\nNot shipped (quarantine): {', '.join(in_house)}")
    click.echo("\nComponents and suppliers:")
    if not result.components:
        click.echo("  none")
    for comp in result.components:
        click.echo(f"  {comp['lot'] or '(no lot)'}  {comp['material']}  {comp['supplier'] or '-'} "
                   f"lot {comp['supplier_lot'] or '-'}  receipt {comp['receipt'] or '-'}  {comp['status']}")

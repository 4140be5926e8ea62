"""Reading the reference tables from standards kept in generator/data/ (CSV with a `# source:` line)."""

from __future__ import annotations

import csv


def read_reference_csv(text: str) -> tuple[str, list[tuple[int, list[str]]]]:
    """(source, rows): the `# source:` comment and each non-comment row's cells with its line number.

    Every table from a standard names where it was transcribed from; an empty source is returned as ""
    so each table's loader can refuse it with its own error.
    """
    source = ""
    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            comment = stripped.lstrip("#").strip()
            if comment.lower().startswith("source:") and not source:
                source = comment.split(":", 1)[1].strip()
        elif stripped:
            rows.append((number, [c.strip() for c in next(csv.reader([line]))]))
    return source, rows

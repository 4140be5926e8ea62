"""Analyses: pure functions RecordSet → result objects (trace, risk, FMEA, ...).

Results sit between analysis and render: a document, a workbook and
`--format json` are three views of one computed result.
"""

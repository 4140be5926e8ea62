"""Requirements interchange: bring records over from doorstop, strictdoc and ReqIF, hand them back as ReqIF.

Each reader turns its format into `writer.Item`s (our field names, links by the other tool's IDs, the
file and line each came from); `writer.plan` gives them our IDs, rewrites every link, stamps reviewed
links, validates every record with its model and decides create / update / keep; `writer.apply` writes
the lot or nothing. `report.Report` says what was mapped to what and what was dropped and why.
"""

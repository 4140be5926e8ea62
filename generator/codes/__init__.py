"""Finding codes: what each code means, how severe it is, the clause it serves and why.

Codes are ground-floor facts: the loader, the readers of workbooks and the document-number register raise
them without knowing the rules that run over the RecordSet. `registry` keeps every code; `schema` and
`numbers` declare the codes raised while reading; the rules package attaches its checks to codes of its own.
"""

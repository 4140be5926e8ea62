"""What the cells of a result's tables hold, beyond plain values (the KPI and review input tables share it)."""


class Rec(str):
    """A record ID in a result's table: a document names it by ID and title, JSON and text keep the ID."""

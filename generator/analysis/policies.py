"""Finding the policy in force for a computation."""

from __future__ import annotations

from typing import TypeVar

from ..model.policy import _Policy
from ..recordset import RecordSet

P = TypeVar("P", bound=_Policy)

IN_FORCE = ("effective", "approved")


def in_force(records: RecordSet, policy_type: type[P]) -> P | None:
    """The policy of this type that is in force (effective before approved, then lowest ID), or None.

    A draft or obsolete policy never parameterises a computation.
    """
    candidates = [p for p in records.of_type(policy_type) if p.status in IN_FORCE]
    if not candidates:
        return None
    candidates.sort(key=lambda p: (IN_FORCE.index(p.status), p.id))
    return candidates[0]

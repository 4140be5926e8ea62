"""Which quality repository a qms export came from, so that an import recognises its own records.

An export names its repository in the ReqIF header's REPOSITORY-ID: the company code, the device name
and, when set, its Basic UDI-DI, from qms.yaml. An import into the repository of that name takes each
object's ID as the record it is; into any other repository those IDs mean nothing (another project's
REQ-0001 is not ours) and the objects are foreign, matched by origin only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import RepoConfig

PREFIX = "qms:"


def repository_key(config: RepoConfig | None) -> str:
    """The name an export gives its repository ('' without a configuration: nothing is recognised)."""
    if config is None:
        return ""
    return PREFIX + "|".join((config.company.code, config.device.name, config.device.basic_udi_di or ""))

"""The rules' Context while the RecordSet is watched: reading git or the data files marks the rule reading
them as one to run on every run (recordset.ALWAYS), since neither is a record whose change `qms validate` sees.
(Outside a git work tree `git` is None on every run with the same key: reading it then marks nothing.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..recordset import ALWAYS
from .context import Context

if TYPE_CHECKING:
    from ..gitio.signatures import GitFacts


class WatchedContext(Context):
    """A Context whose `git` and `exports` note ALWAYS on the RecordSet's watch when read."""

    @property
    def git(self) -> GitFacts | None:
        git: GitFacts | None = self.__dict__["_git"]
        if git is not None:
            self._seen()
        return git

    @git.setter
    def git(self, value: GitFacts | None) -> None:
        self.__dict__["_git"] = value

    @property
    def exports(self) -> dict[str, Any]:
        self._seen()
        return self.__dict__["_exports"]

    @exports.setter
    def exports(self, value: dict[str, Any]) -> None:
        self.__dict__["_exports"] = value

    def _seen(self) -> None:
        watch = self.records.watching
        if watch is not None:
            watch.add(ALWAYS)

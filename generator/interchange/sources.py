"""Read an importer's source files: only from inside the source, only regular files, size checked first.

The source of a doorstop import is the tree folder given; of a strictdoc or ReqIF file, the folder it
is in. A symbolic link is followed only while it stays inside that source (as the record loader does
for the repository): a link to `/home/me/.ssh/…` planted in a supplier's tree is refused by name, so
nothing outside what the user named is ever copied into a record. A FIFO or a device is refused before
it is opened (it would block or never end), and a file's size before it is read.
"""

from __future__ import annotations

from pathlib import Path

from ..findings import QmsError
from ..load.files import read_regular


def _real(path: Path, shown: str) -> Path:
    try:
        return path.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a symbolic-link loop this way
        raise QmsError(f"{shown}: a symbolic link that leads back to itself; replace it by the file") from None
    except OSError as err:
        raise QmsError(f"{shown}: cannot read: {err.strerror or err}") from None


def check_inside(path: Path, source: Path, shown: str, what: str) -> Path:
    """`path` resolved, refused (exit 2, naming it) when a symbolic link takes it outside `source`."""
    real = _real(path, shown)
    if not real.is_relative_to(_real(source, str(source))):
        raise QmsError(f"{shown}: a symbolic link that leads outside {what}; it is not followed and nothing was "
                       "imported (copy the file into the source to import it)")
    return real


def read_source(path: Path, source: Path, shown: str, what: str, limit: int) -> bytes:
    """The bytes of one regular file inside `source`, at most `limit` of them (the loader's own reader:
    a pipe or device is refused before it is opened, a size before a byte is read)."""
    real = check_inside(path, source, shown, what)
    try:
        return read_regular(real, limit)
    except OSError as err:  # Refused included: its strerror says why
        raise QmsError(f"{shown}: cannot be imported: {err.strerror or err}") from None

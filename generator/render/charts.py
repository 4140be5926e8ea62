"""Deterministic matplotlib figures: the Agg canvas (no pyplot, no display), a fixed size and
resolution, and PNG bytes without the 'Software' text chunk, so the same data gives the same bytes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DPI = 100


def new_figure(size_inches: tuple[float, float], dpi: int = DPI) -> Figure:
    """A matplotlib Figure on its own Agg canvas (pyplot's global state is never touched)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size_inches, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig: Figure, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes that depend only on what was drawn."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()

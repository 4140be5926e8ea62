"""Risk heat maps: the acceptability matrix in the policy's region colours, counts of situations in cells.

Rendered deterministically through render.charts (Agg canvas, fixed size and
resolution, no 'Software' PNG chunk), so the same result gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from ..analysis.risk import RiskResult
from ..atomic import write_bytes
from .charts import new_figure, png_bytes

SIZE_INCHES = (7.0, 5.0)
DPI = 100
NO_REGION = "#FFFFFF"
TITLES = {"initial": "Initial risk (before risk control)", "residual": "Residual risk (after risk control)"}


def heatmap_png(result: RiskResult, which: str) -> bytes:
    from matplotlib.patches import Patch, Rectangle

    colours = {r.name: r.color or NO_REGION for r in result.regions}
    grid = result.matrix(which)
    n_sev, n_prob = len(result.severity_scale), len(result.probability_scale)

    fig = new_figure(SIZE_INCHES, DPI)
    ax = fig.add_axes((0.2, 0.17, 0.58, 0.72))
    for i in range(n_prob):
        row = result.acceptability[i] if i < len(result.acceptability) else []
        for j in range(n_sev):
            region = row[j] if j < len(row) else None
            colour = colours.get(region, NO_REGION) if region is not None else NO_REGION
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=colour, edgecolor="white", linewidth=2))
            count = grid[i][j]
            if count:
                ax.text(j + 0.5, i + 0.5, str(count), ha="center", va="center", fontsize=14, fontweight="bold",
                        color="black")
    ax.set_xlim(0, max(n_sev, 1))
    ax.set_ylim(0, max(n_prob, 1))
    ax.set_xticks([j + 0.5 for j in range(n_sev)])
    ax.set_xticklabels([f"{lvl}\n{name}" for lvl, name in result.severity_scale], fontsize=8)
    ax.set_yticks([i + 0.5 for i in range(n_prob)])
    ax.set_yticklabels([f"{name} {lvl}" for lvl, name in result.probability_scale], fontsize=8)
    ax.set_xlabel("Severity")
    ax.set_ylabel("Probability")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    total = sum(map(sum, grid))
    ax.set_title(f"{TITLES.get(which, which)}: {total} hazardous situation(s)"
                 + (f"  [{result.policy}]" if result.policy else ""), fontsize=10)
    handles = [Patch(facecolor=colours[r.name], edgecolor="grey", label=r.name) for r in result.regions]
    if handles:
        fig.legend(handles=handles, loc="center right", fontsize=8, frameon=False, title="Region",
                   title_fontsize=8)
    return png_bytes(fig, DPI)


def write_heatmap(result: RiskResult, which: str, path: Path) -> None:
    write_bytes(path, heatmap_png(result, which))

"""The follow-up's picture: the actions of each workshop by Status, and attendance across the series.

Drawn with matplotlib's Agg canvas (no display, no pyplot's global state, so the web page may draw it
while a sync runs). The same picture goes into the Word file at print resolution and onto the web
page; its alt text says in words what the bars show, for screen readers and for mail that hides images.
"""
from __future__ import annotations

import io
import textwrap

from sync.core.due_dates import is_done
from sync.core.i18n import words

PRINT_DPI = 300  # Word prints the picture at its size in the document: 300 dots per inch is print quality
SCREEN_DPI = 110
WIDTH_CM, HEIGHT_CM = 16.0, 9.0
DONE, NONE, OTHERS = "#2E7D32", "#9CA3AF", ("#1F4E79", "#E0A100", "#8E44AD", "#16A085", "#C0392B", "#7F8C8D")


def chart_png(data: dict, lang: str, *, dpi: int = PRINT_DPI) -> bytes:
    """The picture as PNG bytes, WIDTH_CM wide."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2, width_ratios=(3, 2))
    _actions_panel(left, data, lang)
    _attendance_panel(right, data, lang)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _short(title: str) -> str:
    return textwrap.shorten(title, 28, placeholder="…")


def _colours(statuses: list[str], lang: str) -> list[str]:
    others = iter(OTHERS * (len(statuses) // len(OTHERS) + 1))
    none = words(lang).gettext("No status set")
    return [DONE if is_done(s) else NONE if s == none else next(others) for s in statuses]


def _actions_panel(axes, data: dict, lang: str) -> None:
    rows = data["workshops"]
    axes.set_title(words(lang).gettext("Actions by status"), fontsize=8, loc="left")
    labels = [_short(row["title"]) for row in rows][::-1]  # the first workshop on top
    starts = [0] * len(rows)
    for index, (status, colour) in enumerate(zip(data["statuses"], _colours(data["statuses"], lang))):
        counts = [row["counts"][index] for row in rows][::-1]
        axes.barh(labels, counts, left=starts, color=colour, label=status, height=0.6)
        starts = [a + b for a, b in zip(starts, counts)]
    axes.tick_params(labelsize=7)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    if data["statuses"]:
        axes.legend(fontsize=6, frameon=False, loc="best")


def _attendance_panel(axes, data: dict, lang: str) -> None:
    rows = data["attendance"]
    axes.set_title(words(lang).gettext("Attendance"), fontsize=8, loc="left")
    places = list(range(len(rows)))
    axes.plot(places, [r["people"] for r in rows], marker="o", color=OTHERS[0], label=words(lang).gettext("people"))
    axes.plot(places, [r["organisations"] for r in rows], marker="s", color=OTHERS[1],
              label=words(lang).gettext("organisations"))
    axes.set_xticks(places, [_short(r["title"]) for r in rows], rotation=30, ha="right", fontsize=6)
    axes.tick_params(axis="y", labelsize=7)
    axes.set_ylim(bottom=0)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    if rows:
        axes.legend(fontsize=6, frameon=False)

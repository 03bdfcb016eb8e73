"""The health report's charts: matplotlib figures written as vector SVG, for inlining in the page.

Imported only when ``report health`` draws its page (through
:func:`hrtrust.present.health.to_html`, which first gives matplotlib a temporary settings
folder): matplotlib and numpy take ~0.3 s to import, which no other command pays
(``tests/test_imports.py`` checks it).

How the charts stay readable for everyone:

- Text stays text (``svg.fonttype: none``), in a font stack that exists on Windows, macOS and
  Linux with Traditional Chinese glyphs; a browser fills in any glyph the first font lacks.
- Quantities are lightness (the heat map's ``cividis`` ramp, made for colour-blind readers and
  monotone in greyscale), and every series also differs in hatch, marker or line style, so a
  greyscale print tells them apart.
- Layout does not depend on the fonts installed where the page is made: text is measured in
  DejaVu Sans (shipped with matplotlib) and margins are sized from the labels' character
  widths (a CJK character counts as an em), so the same data draws the same page anywhere.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import math
import re
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import matplotlib
from matplotlib.axes import Axes
from matplotlib.colors import Colormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from hrtrust.domain.health import Health, ManagerLine, PulseLine
from hrtrust.locale import _
from hrtrust.present.common import one_line

# Fonts with Traditional Chinese on Windows, macOS and Linux, then the generic family: what
# the page and its charts are drawn in. The charts are laid out with DejaVu Sans (shipped with
# matplotlib, wider than these for Latin text), whatever fonts this machine has, so the same
# data gives the same page here and on any other machine.
FONTS = ("Microsoft JhengHei", "PingFang TC", "Noto Sans CJK TC")
FONT_STACK = ", ".join([*(f'"{f}"' for f in FONTS), "sans-serif"])
_SVG_FONTS = ", ".join([*(f"'{f}'" for f in FONTS), "sans-serif"])  # in a style="..."
_LAID_OUT = "font-family: 'DejaVu Sans', sans-serif"
SIZE = 8.0  # points, at the page's width (the SVG scales with the column)
WIDTH = 7.0  # inches: an A4 column between 12 mm margins, at 96 dpi
INK = "#222222"
MUTED = "#666666"
# Okabe & Ito's palette (safe for colour-blind readers), for series told apart by hue as well.
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINES = ("-", "--", ":", "-.")
HATCHES = ("", "////", "xxxx")

RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "hrtrust",  # ids from the content, not random: the same data, the same page
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": SIZE,
    "text.parse_math": False,  # a "$" in a name is a dollar sign
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": INK,
    "ytick.labelcolor": INK,
    "hatch.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": SIZE,
    "figure.dpi": 72,  # one user unit of the SVG per point
}


@contextmanager
def _drawing() -> Iterator[None]:
    """matplotlib's settings for these charts, and quiet: a name in CJK measured with a font
    that lacks its glyphs is not worth a warning (the browser draws it with the font stack)."""
    loggers = [logging.getLogger(n) for n in ("matplotlib.font_manager", "matplotlib.text")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), matplotlib.rc_context(cast(Any, RC)):
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
            warnings.filterwarnings("ignore", message=r"findfont")
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _ems(text: str) -> float:
    """How wide ``text`` is in ems, roughly: CJK and other wide characters count as one em,
    others as 0.6 (DejaVu Sans's average, wider than most fonts)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def _spacing(labels: Sequence[str]) -> float:
    """Space between legend entries, in ems: matplotlib measures a CJK name with DejaVu Sans
    where no CJK font is installed (narrower than it will be drawn), so wide names get more."""
    wide = max(
        (sum(unicodedata.east_asian_width(ch) in "WF" for ch in t) for t in labels), default=0
    )
    return 2.0 + 0.5 * wide


def _inches(labels: Sequence[str], size: float = SIZE) -> float:
    return max((_ems(t) for t in labels), default=0.0) * size / 72


_REFERENCE = re.compile(r'(\sid="|url\(#|href="#)')


def _svg(fig: Figure, key: str, title: str) -> str:
    """The figure as an ``<svg>`` element that scales with its container and is named for
    screen readers (``role="img"`` and a ``<title>``). Its ids (``figure_1``, clip paths,
    markers) start with ``key``, so the charts of one page never share one."""
    import html

    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, count=1, flags=re.S)
    # only inside tags: text content holds no "<" (escaped), so a name is never rewritten
    text = re.sub(
        r"<[^>]*>",
        lambda m: _REFERENCE.sub(rf"\1{key}-", m.group()).replace(
            _LAID_OUT, f"font-family: {_SVG_FONTS}"
        ),
        text,
    )
    head, rest = text.split(">", 1)
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    return f'{head} role="img"><title>{html.escape(title)}</title>{rest}'


def month_ticks(months: Sequence[str]) -> list[str]:
    """``Dec`` over ``2025`` for the first month and each January, else ``Jan`` (``12月``
    over ``2025年``, else ``1月``)."""
    from hrtrust.present.common import month_only, year_only

    out = []
    for i, key in enumerate(months):
        day = dt.date(int(key[:4]), int(key[5:7]), 1)
        month = month_only(day)
        out.append(f"{month}\n{year_only(day)}" if i == 0 or day.month == 1 else month)
    return out


def _cmap(name: str) -> Colormap:
    return matplotlib.colormaps[name]


def _ink_on(rgba: Sequence[float]) -> str:
    """Black or white text, whichever reads on a cell of this colour."""
    r, g, b = rgba[:3]
    return INK if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "#ffffff"


def _share(value: float, low: float, high: float) -> float:
    """Where ``value`` falls between ``low`` and ``high``, as the colour map reads it (0..1)."""
    return min(1.0, max(0.0, (value - low) / (high - low))) if high > low else 1.0


def _clean(text: str) -> str:
    return one_line(text)


# -- coverage heat map -------------------------------------------------------------------------


def coverage(h: Health, labels: Sequence[str], title: str) -> str:
    """Departments x months: a cell's shade is its touches, its text touches / people; a
    triangle marks a month an ally was met; broadcasts are a strip of their own below."""
    rows = h.coverage
    n, m = len(rows), len(h.logged)
    cell = 0.3
    left = _inches(labels) + 0.2
    top, bottom = 0.45, 0.1
    strip = 0.5 if any(h.broadcasts) else 0.0
    height = top + n * cell + strip + bottom
    peak = max((c.touches for r in rows for c in r.cells), default=0)
    cmap = _cmap("cividis_r").with_extremes(under="#ffffff")
    with _drawing():
        fig = Figure(figsize=(WIDTH, height))
        ax = fig.add_axes(
            (left / WIDTH, (bottom + strip) / height, 1 - (left + 0.1) / WIDTH, n * cell / height)
        )
        values = [[c.touches for c in r.cells] for r in rows]
        vmax = max(peak, 1)
        ax.pcolormesh(values, cmap=cmap, vmin=0.5, vmax=vmax, edgecolors="#ffffff", linewidth=1.5)
        ax.invert_yaxis()
        for i, r in enumerate(rows):
            for j, c in enumerate(r.cells):
                ink = _ink_on(cmap(_share(c.touches, 0.5, vmax))) if c.touches else "#999999"
                text = f"{c.touches}/{c.people}" if c.touches else "0"
                ax.text(j + 0.5, i + 0.55, text, ha="center", va="center", color=ink, fontsize=7)
                if c.allies:
                    ax.plot(
                        [j + 0.86],
                        [i + 0.24],
                        marker="^",
                        markersize=4.5,
                        markerfacecolor="#ffffff",
                        markeredgecolor=INK,
                        markeredgewidth=0.6,
                        linestyle="none",
                    )
        ax.set_yticks([i + 0.5 for i in range(n)], [_clean(t) for t in labels])
        ax.set_xticks([j + 0.5 for j in range(m)], month_ticks(h.logged))
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        if strip:
            _broadcast_strip(fig, h, left, bottom, strip, height)
        return _svg(fig, "coverage", title)


def _broadcast_strip(
    fig: Figure, h: Health, left: float, bottom: float, strip: float, height: float
) -> None:
    ax = fig.add_axes(
        (left / WIDTH, bottom / height, 1 - (left + 0.1) / WIDTH, (strip - 0.2) / height)
    )
    peak = max(h.broadcasts)
    cmap = _cmap("Greys").with_extremes(under="#ffffff")
    vmax = peak * 2.5  # light greys: they are not the touches above
    ax.pcolormesh(
        [list(h.broadcasts)],
        cmap=cmap,
        vmin=0.5,
        vmax=vmax,
        edgecolors="#ffffff",
        linewidth=1.5,
    )
    for j, count in enumerate(h.broadcasts):
        ink = _ink_on(cmap(_share(count, 0.5, vmax))) if count else "#999999"
        ax.text(j + 0.5, 0.5, str(count), ha="center", va="center", color=ink, fontsize=7)
    ax.set_yticks([0.5], [_("Broadcasts")])
    ax.set_xticks([])
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)


# -- promises -------------------------------------------------------------------------------


def promises(h: Health, title: str) -> str:
    """Stacked bars per month (kept on time, kept late, broken) and the keeping rate as a line
    on its own 0-100% axis."""
    rows = h.promises
    x = list(range(len(rows)))
    cmap = _cmap("cividis")
    colours = (cmap(0.1), cmap(0.55), cmap(0.95))
    with _drawing():
        fig = Figure(figsize=(WIDTH, 2.3))
        ax = fig.add_axes((0.08, 0.2, 0.84, 0.62))
        base = [0] * len(rows)
        parts = (
            (_("kept on time"), [r.kept for r in rows]),
            (_("kept late"), [r.late for r in rows]),
            (_("broken"), [r.broken for r in rows]),
        )
        for (label, values), colour, hatch in zip(parts, colours, HATCHES, strict=True):
            ax.bar(
                x,
                values,
                bottom=base,
                width=0.62,
                color=colour,
                hatch=hatch,
                edgecolor=INK,
                linewidth=0.5,
                label=label,
            )
            base = [a + b for a, b in zip(base, values, strict=True)]
        ax.set_ylim(0, max(max(base, default=0), 1) * 1.15)
        ax.set_ylabel(_("promises"))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xticks(x, month_ticks([r.month for r in rows]))
        ax.set_xlim(-0.6, len(rows) - 0.4)
        rate = ax.twinx()
        rate.spines["right"].set_visible(True)
        rates = [math.nan if r.rate is None else r.rate * 100 for r in rows]
        rate.plot(
            x,
            rates,
            color=INK,
            marker="o",
            markersize=4,
            markerfacecolor="#ffffff",
            linewidth=1.2,
            label=_("kept on time (%)"),
        )
        rate.set_ylim(0, 105)
        rate.set_ylabel(_("kept on time (%)"))
        handles, names = ax.get_legend_handles_labels()
        more, more_names = rate.get_legend_handles_labels()
        fig.legend(
            handles + more,
            names + more_names,
            loc="upper left",
            bbox_to_anchor=(0.06, 1.0),
            ncols=4,
            handlelength=1.6,
            columnspacing=_spacing(names + more_names),
        )
        return _svg(fig, "promises", title)


# -- pulse -----------------------------------------------------------------------------------


def pulse(h: Health, lines: Sequence[PulseLine], labels: Sequence[str], title: str) -> str:
    """One line per department of ``lines`` (hue, marker and line style differ), scores over
    ``h``'s window, named in the legend by ``labels``. Results from too few respondents are
    not among the points, so they are never drawn."""
    shown = [i for i, line in enumerate(lines) if line.points]
    columns, rows, spacing = _legend_grid([labels[i] for i in shown], 2.6)
    plot, bottom, top = 1.7, 0.4, 0.12 + rows * 0.2
    height = bottom + plot + top
    with _drawing():
        fig = Figure(figsize=(WIDTH, height))
        ax = fig.add_axes((0.55 / WIDTH, bottom / height, 1 - 0.7 / WIDTH, plot / height))
        low = min((p.score for line in lines for p in line.points), default=1.0)
        high = max((line.scale for line in lines), default=5.0)
        for i in shown:
            line = lines[i]
            ax.plot(
                [p.date.toordinal() for p in line.points],
                [p.score for p in line.points],
                color=SERIES[i % len(SERIES)],
                marker=MARKERS[i % len(MARKERS)],
                linestyle=LINES[i % len(LINES)],
                markersize=5,
                linewidth=1.4,
                label=_clean(labels[i]),
            )
        ax.set_xlim(h.first.toordinal(), h.today.toordinal())
        ax.set_ylim(max(0.0, math.floor(low * 2) / 2 - 0.5), high)
        ax.set_ylabel(_("score (of {scale})").format(scale=f"{high:g}"))
        ticks = [dt.date(int(k[:4]), int(k[5:7]), 1).toordinal() for k in h.months]
        ax.set_xticks(ticks, month_ticks(h.months))
        ax.grid(axis="y", color="#dddddd", linewidth=0.5)
        ax.set_axisbelow(True)
        fig.legend(
            loc="upper left",
            bbox_to_anchor=(0.4 / WIDTH, 1.0),
            ncols=columns,
            handlelength=2.6,
            columnspacing=spacing,
        )
        return _svg(fig, "pulse", title)


def _legend_grid(labels: Sequence[str], handle: float) -> tuple[int, int, float]:
    """How many columns and rows a legend of ``labels`` takes across the figure, and the space
    between columns (ems): as many columns as fit the widest entry."""
    spacing = _spacing(labels)
    entry = handle + 0.8 + max((_ems(t) for t in labels), default=0.0) + spacing
    room = (WIDTH - 0.6) * 72 / SIZE
    columns = max(1, min(len(labels), int(room // entry)))
    return columns, max(1, math.ceil(len(labels) / columns)), spacing


# -- horizontal bars: balance, feedback, recognition --------------------------------------------


def _bars_figure(
    labels: Sequence[str],
    per_row: float,
    *,
    groups: int = 1,
    legend: bool = False,
    right: float = 0.5,
) -> tuple[Figure, Axes]:
    """A figure for horizontal bars, one row (of ``groups`` bars) per label, with room for
    the labels at the left, ``right`` inches for notes and a legend at the top if asked."""
    n = max(len(labels), 1)
    left = _inches(labels) + 0.2
    top, bottom = (0.4 if legend else 0.22), 0.5
    height = top + n * per_row * groups + bottom
    fig = Figure(figsize=(WIDTH, height))
    ax = fig.add_axes(
        (left / WIDTH, bottom / height, 1 - (left + right) / WIDTH, n * per_row * groups / height)
    )
    ax.set_yticks(range(n), [_clean(t) for t in labels])
    ax.set_ylim(n - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    return fig, ax


def balance(
    rows: Sequence[ManagerLine],
    median: float | None,
    labels: Sequence[str],
    notes: Sequence[str],
    title: str,
) -> str:
    """Touches per manager over the window, most first; the median (of every manager) as a
    dashed line; those below half of it hatched; one with none says so (``notes``)."""
    colour = _cmap("cividis")(0.2)
    with _drawing():
        fig, ax = _bars_figure(labels, 0.24, right=1.0)
        peak = max((r.touches for r in rows), default=0)
        for i, r in enumerate(rows):
            if not r.touches:  # no bar at all, not a hairline: the note says none
                ax.text(0.1, i, notes[i], va="center", fontsize=7, color="#8a3b00")
                continue
            ax.barh(
                i,
                r.touches,
                height=0.62,
                color="#ffffff" if r.low else colour,
                hatch="////" if r.low else "",
                edgecolor=colour,
                linewidth=0.6,
            )
            ax.text(
                r.touches + peak * 0.01 + 0.05,
                i,
                str(r.touches),
                va="center",
                fontsize=7,
                bbox={"facecolor": "#ffffff", "edgecolor": "none", "pad": 0.6},
            )
        ax.set_xlim(0, max(peak, median or 0, 1) * 1.12)  # the median shows, of every manager
        if median is not None:
            ax.axvline(median, color=INK, linestyle="--", linewidth=1)
            ax.text(
                median,
                -0.75,
                _("median {value}").format(value=f"{median:g}"),
                ha="center",
                va="bottom",
                fontsize=7,
            )
        ax.set_xlabel(_("touchpoints in the window"))
        return _svg(fig, "balance", title)


def feedback(h: Health, labels: Sequence[str], notes: Sequence[str], title: str) -> str:
    """Received, acted on and closed per department, as three bars told apart by shade and
    hatch; the median days to close at the right (``notes``)."""
    rows = h.feedback
    cmap = _cmap("cividis")
    parts = (
        (_("received"), [r.received for r in rows], cmap(0.95), ""),
        (_("acted on"), [r.acted for r in rows], cmap(0.55), "////"),
        (_("closed"), [r.closed for r in rows], cmap(0.1), ""),
    )
    with _drawing():
        fig, ax = _bars_figure(labels, 0.15, groups=3, legend=True, right=1.2)
        peak = max((r.received for r in rows), default=0)
        for k, (label, values, colour, hatch) in enumerate(parts):
            drawn = [(i + (k - 1) * 0.27, v) for i, v in enumerate(values) if v]  # no 0-wide bar
            ax.barh(
                [y for y, _ in drawn],
                [v for _, v in drawn],
                height=0.25,
                color=colour,
                hatch=hatch,
                edgecolor=INK,
                linewidth=0.5,
                label=label,
            )
        for i, note in enumerate(notes):
            ax.text(
                1.02,
                i,
                note,
                va="center",
                fontsize=7,
                color=INK,
                transform=ax.get_yaxis_transform(),
            )
        ax.set_xlim(0, max(peak, 1))
        ax.set_xlabel(_("feedback items received in the window"))
        ax.spines["right"].set_visible(False)
        fig.legend(
            loc="upper left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=3,
            handlelength=1.6,
            columnspacing=_spacing([label for label, *_rest in parts]),
        )
        return _svg(fig, "feedback", title)


def recognition(h: Health, labels: Sequence[str], title: str) -> str:
    """Recognitions given per department over the window."""
    rows = h.recognition
    colour = _cmap("cividis")(0.35)
    with _drawing():
        fig, ax = _bars_figure(labels, 0.24)
        peak = max((r.given for r in rows), default=0)
        for i, r in enumerate(rows):
            if r.given:
                ax.barh(i, r.given, height=0.62, color=colour, edgecolor=colour)
            ax.text(
                r.given + peak * 0.01 + 0.05,
                i,
                str(r.given) if r.given else _("none"),
                va="center",
                fontsize=7,
                color=INK if r.given else "#8a3b00",
            )
        ax.set_xlim(0, max(peak, 1) * 1.12)
        ax.set_xlabel(_("recognitions given in the window"))
        return _svg(fig, "recognition", title)

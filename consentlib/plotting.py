"""The book's one figure style, and the figures its chapters share.

Every figure in the book is drawn after :func:`use_book_style`, so that fonts, colours and sizes
agree from chapter to chapter. Each arm of the experiment keeps one colour everywhere.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from consentlib._validation import check_columns, check_dataframe, check_positive_int

#: One colour per experimental condition, used by every figure in the book.
CONDITION_COLORS: dict[str, str] = {
    "control": "#4d4d4d",
    "placebo": "#e69f00",
    "treatment": "#0072b2",
}

#: A colour-blind-safe palette (Okabe & Ito) for everything else.
PALETTE: tuple[str, ...] = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
)

_STYLE = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
}


def use_book_style() -> None:
    """Set the book's matplotlib style for every figure drawn afterwards.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> use_book_style()
    >>> mpl.rcParams["axes.spines.top"]
    False
    """
    mpl.rcParams.update(_STYLE)


def _group_colors(values: pd.Series, role: str) -> dict[str, str]:
    """Give each distinct value of ``values`` a palette colour, in order of first appearance."""
    levels = list(dict.fromkeys(values.astype(str)))
    if len(levels) > len(PALETTE):
        raise ValueError(
            f"{role} has {len(levels)} distinct values; at most {len(PALETTE)} can be coloured"
        )
    return {level: PALETTE[i] for i, level in enumerate(levels)}


def event_timeline(
    events: pd.DataFrame,
    *,
    event: str = "event",
    when: str = "when",
    phase: str = "phase",
    wrap: int = 64,
    ax: Axes | None = None,
) -> Axes:
    """Draw a sequence of events down a vertical line, one dot per event, coloured by phase.

    Events are drawn in the order of the rows, first at the top. Dates need not be exact: the
    ``when`` column is printed as written ("months before", "hours later"), which suits case
    studies whose sources give only the order and rough spacing of events.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, in order.
    event : str, default "event"
        Column with the description of each event, wrapped to ``wrap`` characters.
    when : str, default "when"
        Column with the time of each event, printed to the left of the line.
    phase : str, default "phase"
        Column naming the phase each event belongs to; each phase gets one colour from
        :data:`PALETTE` and an entry in the legend.
    wrap : int, default 64
        Width, in characters, at which event descriptions are wrapped.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure sized to the number of events is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes holding the timeline.

    Examples
    --------
    >>> import pandas as pd
    >>> steps = pd.DataFrame({
    ...     "when": ["day 1", "day 2"],
    ...     "event": ["A plan is announced", "A crowd gathers"],
    ...     "phase": ["bargaining", "protest"],
    ... })
    >>> ax = event_timeline(steps)
    >>> len(ax.collections[0].get_offsets())
    2
    >>> plt.close(ax.figure)
    """
    data = check_dataframe(events, "events")
    check_columns(data, [event, when, phase])
    wrap = check_positive_int(wrap, "wrap")
    colors = _group_colors(data[phase], f"column {phase!r}")
    n = len(data)
    if ax is None:
        lines = sum(len(textwrap.wrap(str(text), wrap)) for text in data[event])
        fig, ax = plt.subplots(figsize=(7.0, 0.7 + 0.3 * n + 0.2 * lines))
        fig.subplots_adjust(left=0.02, right=0.98, top=0.98, bottom=0.12)
    y = np.arange(n)
    ax.plot([0, 0], [0, n - 1], color="0.75", linewidth=2, zorder=1)
    ax.scatter(
        np.zeros(n),
        y,
        s=70,
        c=[colors[str(p)] for p in data[phase]],
        edgecolors="white",
        zorder=2,
    )
    for yi, (time, text) in enumerate(zip(data[when], data[event], strict=True)):
        ax.annotate(
            str(time),
            (0, yi),
            xytext=(-12, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=9,
            color="0.3",
        )
        ax.annotate(
            textwrap.fill(str(text), wrap),
            (0, yi),
            xytext=(12, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=9.5,
        )
    ax.set_xlim(-1.0, 3.0)
    ax.set_ylim(n - 0.5, -0.5)
    ax.axis("off")
    handles = [
        Line2D([], [], marker="o", linestyle="", color=color, label=label)
        for label, color in colors.items()
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=min(len(handles), 5),
        fontsize=9,
    )
    return ax


def cases_grid(
    cases: pd.DataFrame,
    attributes: Sequence[str] = ("business_role", "violence", "demand_met", "formal_sanctions"),
    *,
    group: str = "issue_area",
    labels: Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw cases against yes/no attributes: a filled dot for yes, open for no, a dash if unknown.

    Each row is a case, labelled "place (year)" and coloured by ``group``; each column is a
    boolean attribute. Missing values are drawn as a grey dash so that what the sources do not
    record stays visible instead of being read as "no".

    Parameters
    ----------
    cases : pandas.DataFrame
        One row per case, with columns ``place``, ``year``, ``group`` and each attribute, such as
        the table returned by :func:`consentlib.data.cases`. Rows are drawn in their order.
    attributes : sequence of str, optional
        Boolean columns (True, False or missing) to show, left to right.
    group : str, default "issue_area"
        Column whose values colour the dots and row labels.
    labels : mapping, optional
        Column headings for the attributes; by default the column name with spaces.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure sized to the table is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes holding the grid. Its three scatter collections have the gids ``"yes"``,
        ``"no"`` and ``"not recorded"``.

    Examples
    --------
    >>> from consentlib.data import cases
    >>> ax = cases_grid(cases())
    >>> [t.get_text() for t in ax.get_yticklabels()][:2]
    ['county C (2013)', 'Daye (2005)']
    >>> plt.close(ax.figure)
    """
    data = check_dataframe(cases, "cases")
    if isinstance(attributes, str):
        raise ValueError(
            f"attributes must be a sequence of column names; got the single string {attributes!r}"
        )
    attributes = list(attributes)
    if not attributes:
        raise ValueError("attributes must name at least one boolean column; got none")
    check_columns(data, ["place", "year", group], role="column")
    check_columns(data, attributes, role="attribute")
    for column in attributes:
        if not pd.api.types.is_bool_dtype(data[column]):
            raise ValueError(
                f"attribute {column!r} must be a boolean column (True, False or missing); "
                f"got dtype {data[column].dtype}"
            )
    colors = _group_colors(data[group], f"column {group!r}")
    labels = dict(labels or {})
    n, m = len(data), len(attributes)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 1.0 + 0.34 * n))
    row_colors = [colors[str(g)] for g in data[group]]
    cells = {"yes": ([], [], []), "no": ([], [], []), "not recorded": ([], [], [])}
    for j, column in enumerate(attributes):
        for i, value in enumerate(data[column]):
            key = "not recorded" if pd.isna(value) else ("yes" if value else "no")
            cells[key][0].append(j)
            cells[key][1].append(i)
            cells[key][2].append(row_colors[i])
    xs, ys, cs = cells["yes"]
    ax.scatter(xs, ys, s=90, c=cs, edgecolors=cs, linewidths=1.5, gid="yes")
    xs, ys, cs = cells["no"]
    ax.scatter(xs, ys, s=90, facecolors="white", edgecolors=cs, linewidths=1.5, gid="no")
    xs, ys, _ = cells["not recorded"]
    ax.scatter(xs, ys, s=90, marker="_", c="0.6", linewidths=1.5, gid="not recorded")
    ax.set_xticks(
        range(m),
        [textwrap.fill(labels.get(c, c.replace("_", " ").capitalize()), 12) for c in attributes],
    )
    ax.xaxis.tick_top()
    ax.set_yticks(
        range(n), [f"{p} ({y})" for p, y in zip(data["place"], data["year"], strict=True)]
    )
    for tick, color in zip(ax.get_yticklabels(), row_colors, strict=True):
        tick.set_color(color)
    ax.set_xlim(-0.5, m - 0.5)
    ax.set_ylim(n - 0.5, -0.5)
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=color, label=label)
        for label, color in colors.items()
    ]
    handles += [
        Line2D([], [], marker="o", linestyle="", color="0.3", label="yes"),
        Line2D([], [], marker="o", linestyle="", markerfacecolor="white", color="0.3", label="no"),
        Line2D([], [], marker="_", linestyle="", color="0.6", markersize=10, label="not recorded"),
    ]
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=9)
    return ax


#: One colour per scenario of the book's consent-instability model (the formal-model chapter).
SCENARIO_COLORS: dict[str, str] = {
    "no tolerance": "#4d4d4d",
    "tolerance, unanticipated": "#d55e00",
    "tolerance, anticipated": "#0072b2",
}


def _colors_for(values: pd.Series, colors: Mapping[str, str] | None, role: str) -> dict[str, str]:
    """Colours for the distinct values: ``colors`` if given, the scenario colours if they cover
    every value, else the palette in order of first appearance."""
    levels = list(dict.fromkeys(values.astype(str)))
    for chosen in (colors, SCENARIO_COLORS):
        if chosen is not None and all(level in chosen for level in levels):
            return {level: chosen[level] for level in levels}
    return _group_colors(values, role)


def offer_curves(
    table: pd.DataFrame,
    *,
    cost: str = "instability_cost",
    concession: str = "concession",
    acceptance: str = "acceptance",
    group: str = "distribution",
    points: Sequence[str] = (),
) -> plt.Figure:
    """Draw the superior's optimal concession and its acceptance probability against its cost.

    Two panels side by side: the optimal concession (left) and the probability that the
    subordinate accepts it (right), each against the superior's instability cost, one curve per
    value of ``group``.

    Parameters
    ----------
    table : pandas.DataFrame
        Long format, one row per cost and group, such as :attr:`consentlib.model.Offer.table`
        with a ``group`` column added.
    cost, concession, acceptance : str
        Columns with the instability cost, the optimal concession and the acceptance probability.
    group : str, default "distribution"
        Column naming the curve each row belongs to.
    points : sequence of str, optional
        Groups to draw as markers instead of lines (for a numerical check laid over a formula).

    Returns
    -------
    matplotlib.figure.Figure
        The figure; its two axes are ``fig.axes``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"instability_cost": [0.0, 0.4] * 2, "concession": [0.1, 0.3] * 2,
    ...                   "acceptance": [0.2, 0.6] * 2, "distribution": ["a", "a", "b", "b"]})
    >>> fig = offer_curves(t, points=["b"])
    >>> [len(ax.get_lines()) for ax in fig.axes]
    [2, 2]
    >>> plt.close(fig)
    """
    data = check_dataframe(table, "table")
    check_columns(data, [cost, concession, acceptance, group])
    colors = _colors_for(data[group], None, f"column {group!r}")
    fig, axes = plt.subplots(1, 2, figsize=(8.0, 3.6), sharex=True, layout="constrained")
    for label, rows in data.groupby(data[group].astype(str), sort=False):
        rows = rows.sort_values(cost)
        style = (
            {"marker": "o", "linestyle": "", "markersize": 4, "markerfacecolor": "white"}
            if label in points
            else {"linewidth": 2}
        )
        for ax, column in zip(axes, (concession, acceptance), strict=True):
            ax.plot(rows[cost], rows[column], color=colors[label], label=label, **style)
    axes[0].set_ylabel("optimal concession x*")
    axes[1].set_ylabel("probability the offer is accepted")
    for ax in axes:
        ax.set_xlabel("superior's instability cost")
        ax.set_ylim(bottom=0)
    axes[1].set_ylim(0, 1.02)
    axes[0].legend(fontsize=9, loc="upper left")
    return fig


def curves_by_group(
    table: pd.DataFrame,
    x: str,
    y: str,
    group: str,
    *,
    colors: Mapping[str, str] | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw one line of ``y`` against ``x`` per value of ``group``, with an optional reference line.

    Groups named like the scenarios of the consent-instability model get
    :data:`SCENARIO_COLORS`; other groups get the palette in order of first appearance.

    Parameters
    ----------
    table : pandas.DataFrame
        Long format, one row per point.
    x, y, group : str
        Columns for the horizontal axis, the vertical axis and the line each row belongs to.
    colors : mapping of str to str, optional
        A colour for each group, overriding the defaults.
    reference : float, optional
        Height of a dashed horizontal reference line (a threshold, say).
    reference_label : str, optional
        Legend entry for the reference line.
    xlabel, ylabel : str, optional
        Axis labels; the column names if omitted.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes holding the lines.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"d": [0, 1, 0, 1], "p": [0.4, 0.4, 0.4, 0.9],
    ...                   "scenario": ["no tolerance"] * 2 + ["tolerance, unanticipated"] * 2})
    >>> ax = curves_by_group(t, "d", "p", "scenario", reference=0.5)
    >>> len(ax.get_lines())
    3
    >>> plt.close(ax.figure)
    """
    data = check_dataframe(table, "table")
    check_columns(data, [x, y, group])
    palette = _colors_for(data[group], colors, f"column {group!r}")
    if ax is None:
        _, ax = plt.subplots(layout="constrained")
    for label, rows in data.groupby(data[group].astype(str), sort=False):
        rows = rows.sort_values(x)
        ax.plot(rows[x], rows[y], color=palette[label], linewidth=2, label=label)
    if reference is not None:
        ax.axhline(reference, color="0.4", linestyle="--", linewidth=1, label=reference_label)
    ax.set_xlabel(xlabel or x)
    ax.set_ylabel(ylabel or y)
    ax.legend(fontsize=9)
    return ax


def scenario_bars(
    table: pd.DataFrame,
    *,
    scenario: str = "scenario",
    estimate: str = "p_cancel",
    std_error: str = "std_error",
    exact: str | None = "p_cancel_exact",
    ax: Axes | None = None,
) -> Axes:
    """Draw one bar per scenario with a 95% interval, and a marker at the exact value.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per scenario, such as
        :attr:`consentlib.model.ScenarioComparison.table`.
    scenario, estimate, std_error : str
        Columns with the scenario's name, the simulated estimate and its standard error.
    exact : str or None, default "p_cancel_exact"
        Column with the value computed without simulation, drawn as a black diamond; None to
        leave it out.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes holding the bars.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"scenario": ["no tolerance", "tolerance, anticipated"],
    ...                   "p_cancel": [0.41, 0.45], "std_error": [0.01, 0.01],
    ...                   "p_cancel_exact": [0.415, 0.446]})
    >>> ax = scenario_bars(t)
    >>> len(ax.patches)
    2
    >>> plt.close(ax.figure)
    """
    data = check_dataframe(table, "table")
    columns = [scenario, estimate, std_error] + ([exact] if exact else [])
    check_columns(data, columns)
    colors = _colors_for(data[scenario], None, f"column {scenario!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 3.8), layout="constrained")
    positions = np.arange(len(data))
    names = data[scenario].astype(str)
    ax.bar(
        positions,
        data[estimate],
        yerr=1.96 * data[std_error],
        color=[colors[n] for n in names],
        width=0.6,
        capsize=4,
        label="simulated (95% interval)",
    )
    tops = data[estimate] + 1.96 * data[std_error]
    for pos, value, top in zip(positions, data[estimate], tops, strict=True):
        ax.annotate(
            f"{value:.3f}", (pos, top), xytext=(0, 9), textcoords="offset points", ha="center"
        )
    if exact:
        ax.scatter(positions, data[exact], marker="D", color="black", zorder=3, label="exact")
    ax.set_xticks(positions, [textwrap.fill(n, 14) for n in names])
    ax.set_ylim(0, 1.08)
    ax.set_ylabel("probability the city cancels")
    ax.grid(axis="x", visible=False)
    ax.legend(fontsize=9, loc="upper left")
    return ax

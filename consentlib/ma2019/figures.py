"""The chapters' own figures: the county's events, the cases, the article's tables, the model.

The figures of the reusable core (responses, estimates, designs, tests, power) are in
:mod:`consentlib.plotting`; these draw what belongs to this book alone.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from consentlib._validation import check_columns, check_dataframe, check_positive_int
from consentlib.ma2019.published import TABLES, PublishedTable
from consentlib.plotting import coefficient_plot, group_colors
from consentlib.results import EstimationResult, tidy_table

__all__ = [
    "SCENARIO_COLORS",
    "cases_grid",
    "contrast_comparison",
    "event_timeline",
    "offer_curves",
    "scenario_bars",
]


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
        :data:`consentlib.plotting.PALETTE` and an entry in the legend.
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
    colors = group_colors(data[phase], f"column {phase!r}")
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
    colors = group_colors(data[group], f"column {group!r}")
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


def _contrast_term(table: PublishedTable) -> str:
    """The name of a table's contrast in one regression with control as the reference."""
    if table.reference == "control":
        return table.treated
    return f"{table.treated} - {table.reference}"


def contrast_comparison(
    fits: Mapping[int, EstimationResult],
    *,
    extra: Mapping[str, pd.DataFrame] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw the contrasts of the article's Tables 2–4, published beside reproduced.

    One row per table: treatment against control (Table 2), placebo against control (Table 3)
    and treatment against placebo (Table 4). The published interval is the printed estimate
    plus or minus the t quantile times the printed standard error, on the degrees of freedom
    and confidence level of the reproduced fit (the article prints neither).

    Parameters
    ----------
    fits : mapping of int to EstimationResult
        The regressions behind Tables 2, 3 and 4, keyed by table number, such as the ``fits``
        of ``consentlib.estimation.replicate_tables(data)``.
    extra : mapping of str to pandas.DataFrame, optional
        Further sources to draw beside them, each a table indexed by the contrast's name in a
        regression with control as the reference: ``"treatment"``, ``"placebo"`` and
        ``"treatment - placebo"`` (as :func:`consentlib.estimation.contrast` names them), with
        the columns ``estimate``, ``conf_low`` and ``conf_high``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, as returned by :func:`consentlib.plotting.coefficient_plot`, with the sources
        ``"published"``, ``"reproduced"`` and those of ``extra``.

    Examples
    --------
    >>> from consentlib.data import replication_data
    >>> from consentlib.ma2019.replication import replicate_tables
    >>> ax = contrast_comparison(replicate_tables(replication_data()).fits)
    >>> [c.get_label() for c in ax.containers]
    ['published', 'reproduced']
    >>> plt.close(ax.figure)
    """
    published, reproduced, labels, alphas = [], [], {}, set()
    for spec in TABLES:
        fit = fits.get(spec.number) if isinstance(fits, Mapping) else None
        if not isinstance(fit, EstimationResult) or spec.treated not in fit.table.index:
            raise ValueError(
                f"fits must map table number {spec.number} to an EstimationResult with the "
                f"term {spec.treated!r}, such as replicate_tables(data).fits; got {fit!r}"
            )
        term = _contrast_term(spec)
        labels[term] = f"{spec.treated} vs {spec.reference}\n(Table {spec.number})"
        row = fit.table.loc[[spec.treated]]
        effect = spec.effect
        published.append(
            tidy_table(
                [term],
                np.array([float(effect.estimate)]),
                np.array([float(effect.std_error)]),
                float(row["df"].iloc[0]),
                fit.alpha,
            )
        )
        reproduced.append(row.rename(index={spec.treated: term}))
        alphas.add(fit.alpha)
    if len(alphas) > 1:
        raise ValueError(f"the fits must share one confidence level; got alphas {sorted(alphas)}")
    sources = {"published": pd.concat(published), "reproduced": pd.concat(reproduced)}
    sources.update(extra or {})
    return coefficient_plot(
        sources,
        terms=list(labels),
        labels=labels,
        xlabel=f"Difference in support (1-5 scale), {1 - alphas.pop():.0%} confidence interval",
        ax=ax,
    )


#: One colour per scenario of the book's consent-instability model (the formal-model chapter).
SCENARIO_COLORS: dict[str, str] = {
    "no tolerance": "#4d4d4d",
    "tolerance, unanticipated": "#d55e00",
    "tolerance, anticipated": "#0072b2",
}


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
        Long format, one row per cost and group, such as the ``table`` of an offer from
        ``consentlib.model.optimal_offer`` with a ``group`` column added.
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
    colors = group_colors(data[group], f"column {group!r}", SCENARIO_COLORS)
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
        One row per scenario, such as the ``table`` of
        ``consentlib.model.compare_scenarios``.
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
    colors = group_colors(data[scenario], f"column {scenario!r}", SCENARIO_COLORS)
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

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
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter
from numpy.typing import ArrayLike
from scipy import stats

from consentlib._validation import (
    check_columns,
    check_dataframe,
    check_numeric,
    check_positive_int,
)
from consentlib.published import TABLES, PublishedTable
from consentlib.results import EstimationResult, tidy_table

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


def _arm_order(labels: pd.Series) -> list[str]:
    """The arms present in ``labels``: category order if categorical, else the book's order."""
    if isinstance(labels.dtype, pd.CategoricalDtype):
        return [str(a) for a in labels.cat.categories if (labels == a).any()]
    present = sorted({str(a) for a in labels.dropna()})
    return [a for a in CONDITION_COLORS if a in present] + [
        a for a in present if a not in CONDITION_COLORS
    ]


#: Palette colours that no arm uses, for figures whose groups are not arms (black first).
_NON_ARM_COLORS: tuple[str, ...] = tuple(
    sorted((c for c in PALETTE if c not in CONDITION_COLORS.values()), key=lambda c: c != "#000000")
)


def _arm_colors(arms: Sequence[str]) -> dict[str, str]:
    """The book's colour for each known arm, and palette colours no arm uses for any other."""
    others = iter(_NON_ARM_COLORS)
    return {arm: CONDITION_COLORS.get(arm) or next(others) for arm in arms}


def response_distribution(
    data: pd.DataFrame,
    outcome: str = "support",
    condition: str = "condition",
    *,
    levels: Sequence[float] | None = None,
    level_labels: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw the share of each response within each arm, as grouped bars.

    Each arm's bars add up to 1, so arms of different sizes can be compared. Rows with a missing
    outcome or condition are left out; the legend gives each arm's number of responses and mean.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent.
    outcome : str, default "support"
        The numeric response column, such as the five-point support scale.
    condition : str, default "condition"
        The column of arm labels. Arms keep their category order if the column is categorical;
        otherwise control, treatment and placebo come first. Each arm has its colour from
        :data:`CONDITION_COLORS`.
    levels : sequence of numbers, optional
        The response values to show, left to right; by default every value observed. A
        response outside ``levels`` is an error.
    level_labels : sequence of str, optional
        Tick labels for the levels (such as the answer options); by default the values.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes; ``ax.containers`` holds one bar container per arm, labelled with the arm.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"support": [1, 2, 2, 3, 3, 3],
    ...                       "condition": ["control"] * 3 + ["treatment"] * 3})
    >>> ax = response_distribution(frame, levels=[1, 2, 3])
    >>> [[round(float(bar.get_height()), 3) for bar in bars] for bars in ax.containers]
    [[0.333, 0.667, 0.0], [0.0, 0.0, 1.0]]
    >>> plt.close(ax.figure)
    """
    data = check_dataframe(data)
    check_columns(data, [outcome, condition])
    check_numeric(data, outcome)
    answered = data.dropna(subset=[outcome, condition])
    if answered.empty:
        raise ValueError(f"no row has both {outcome!r} and {condition!r}; nothing to draw")
    values = answered[outcome].astype(float)
    if levels is None:
        levels = sorted(values.unique())
    levels = [float(level) for level in levels]
    outside = sorted(set(values) - set(levels))
    if outside:
        raise ValueError(
            f"column {outcome!r} has the value {outside[0]:g}, which is not among levels "
            f"{[f'{level:g}' for level in levels]}"
        )
    if level_labels is None:
        level_labels = [f"{level:g}" for level in levels]
    elif len(level_labels) != len(levels):
        raise ValueError(
            f"level_labels must give one label per level ({len(levels)}); got {len(level_labels)}"
        )
    arms = _arm_order(answered[condition])
    colors = _arm_colors(arms)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 3.8))
    width = 0.8 / len(arms)
    x = np.arange(len(levels))
    handles = []
    for i, arm in enumerate(arms):
        arm_values = values[(answered[condition].astype(str) == arm).to_numpy()]
        shares = arm_values.value_counts(normalize=True).reindex(levels, fill_value=0.0)
        offset = (i - (len(arms) - 1) / 2) * width
        ax.bar(x + offset, shares.to_numpy(), width=width, color=colors[arm], label=arm)
        legend_text = f"{arm}\nn = {len(arm_values)}, mean {arm_values.mean():.2f}"
        handles.append(Patch(color=colors[arm], label=legend_text))
    ax.set_xticks(x, list(level_labels))
    ax.set_ylabel("Share of the arm's responses")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.grid(axis="x", visible=False)
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=min(len(handles), 3),
        fontsize=9,
    )
    return ax


def coefficient_plot(
    estimates: Mapping[str, pd.DataFrame],
    *,
    terms: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    reference: float | None = 0.0,
    xlabel: str = "Estimate with its confidence interval",
    ax: Axes | None = None,
) -> Axes:
    """Draw estimates with their confidence intervals: one row per term, one marker per source.

    Use it to set estimates of the same quantities side by side, such as the published and the
    reproduced coefficients of a table.

    Parameters
    ----------
    estimates : mapping of str to pandas.DataFrame
        For each source (the legend entry), a table indexed by term with the columns
        ``estimate``, ``conf_low`` and ``conf_high``, such as the ``table`` of an
        :class:`~consentlib.results.EstimationResult`. Within a row, sources are drawn top to
        bottom in the mapping's order.
    terms : sequence of str, optional
        The terms to draw, top to bottom; by default the terms of every source, in order of
        first appearance. A source that lacks a term is skipped on that row.
    labels : mapping of str to str, optional
        Row labels for the terms; by default the term itself.
    reference : float or None, default 0.0
        Where to draw a vertical reference line (no effect); None draws none.
    xlabel : str, optional
        The label of the horizontal axis.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure sized to the number of rows is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes; ``ax.containers`` holds one error-bar container per source, labelled with the
        source.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"estimate": [0.8, 0.3], "conf_low": [0.5, 0.0],
    ...                       "conf_high": [1.1, 0.6]}, index=["treatment", "placebo"])
    >>> ax = coefficient_plot({"study": table})
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['treatment', 'placebo']
    >>> plt.close(ax.figure)
    """
    if not isinstance(estimates, Mapping) or not estimates:
        raise ValueError(
            "estimates must be a non-empty mapping from source name to a table of estimates; "
            f"got {type(estimates).__name__}"
        )
    if len(estimates) > len(_NON_ARM_COLORS):
        raise ValueError(
            f"estimates has {len(estimates)} sources; at most {len(_NON_ARM_COLORS)} can be drawn"
        )
    for source, table in estimates.items():
        check_dataframe(table, f"estimates[{source!r}]")
        check_columns(table, ["estimate", "conf_low", "conf_high"], f"estimates[{source!r}] column")
    known = list(dict.fromkeys(term for table in estimates.values() for term in table.index))
    terms = known if terms is None else list(terms)
    unknown = [term for term in terms if term not in known]
    if unknown or not terms:
        raise ValueError(
            f"terms must name rows of the estimates; {unknown[0] if unknown else 'none'!r} is "
            f"not one. The rows are {known}"
        )
    labels = dict(labels or {})
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 1.2 + 0.45 * len(terms) * max(len(estimates), 2)))
    k = len(estimates)
    offsets = np.linspace(-0.25, 0.25, k) if k > 1 else np.zeros(1)
    markers = ("o", "s", "D", "^", "v", "P", "X", "*")
    for i, (source, table) in enumerate(estimates.items()):
        rows = [term for term in terms if term in table.index]
        y = np.array([terms.index(term) for term in rows]) + offsets[i]
        x = table.loc[rows, "estimate"].to_numpy(float)
        error = [x - table.loc[rows, "conf_low"].to_numpy(float)]
        error.append(table.loc[rows, "conf_high"].to_numpy(float) - x)
        ax.errorbar(
            x,
            y,
            xerr=np.vstack(error),
            fmt=markers[i],
            color=_NON_ARM_COLORS[i],
            capsize=3,
            label=source,
        )
    if reference is not None:
        ax.axvline(reference, color="0.5", linewidth=1, linestyle="--", zorder=0)
    ax.set_yticks(range(len(terms)), [labels.get(term, term) for term in terms])
    ax.set_ylim(len(terms) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(k, 3), fontsize=9)
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
        The axes, as returned by :func:`coefficient_plot`, with the sources ``"published"``,
        ``"reproduced"`` and those of ``extra``.

    Examples
    --------
    >>> from consentlib.data import replication_data
    >>> from consentlib.estimation import replicate_tables
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


def criterion_histogram(
    criteria: ArrayLike,
    threshold: float,
    *,
    df: int | None = None,
    observed: float | None = None,
    bins: int = 40,
    ax: Axes | None = None,
) -> Axes:
    """Draw the distribution of a balance criterion, split at a rerandomization threshold.

    The criteria are those of many assignments drawn from a base design (complete or blocked
    random assignment), for example ``design.criterion(design.base.draw_codes(5000, seed=1))``
    for a rerandomized :class:`~consentlib.randomization.Design`. The histogram is drawn as a
    density, with the bins aligned on ``threshold``: the bars of the assignments that
    rerandomization would accept (criterion at most ``threshold``) in one colour and those it
    would reject in grey, with the share accepted in the legend. A dashed line marks the
    threshold. Optionally the chi-square density that the criterion approximately follows, and
    the criterion of one observed assignment, are added.

    Parameters
    ----------
    criteria : array-like of float
        The balance criterion of each drawn assignment; one-dimensional, finite, at least one.
    threshold : float
        The largest accepted criterion, a positive number (``design.threshold``).
    df : int, optional
        Degrees of freedom of the chi-square approximation (``design.criterion_df``); its
        density is drawn if given.
    observed : float, optional
        The criterion of one particular assignment, drawn as a solid vertical line.
    bins : int, default 40
        Number of bins across the range of ``criteria``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes holding the histogram. The bars have the gids ``"accepted"`` and
        ``"rejected"``; the lines have the gids ``"threshold"``, ``"chi-square"`` and
        ``"observed"``.

    Examples
    --------
    >>> import numpy as np
    >>> criteria = np.random.default_rng(0).chisquare(4, size=2000)
    >>> ax = criterion_histogram(criteria, threshold=1.064, df=4, observed=2.5)
    >>> [line.get_gid() for line in ax.lines]
    ['chi-square', 'threshold', 'observed']
    >>> ax.get_legend().get_texts()[0].get_text()
    'accepted (M ≤ threshold): 9.8% of draws'
    >>> plt.close(ax.figure)
    """
    values = np.asarray(criteria, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"criteria must be a non-empty 1-D array of balance criteria; got shape {values.shape}"
        )
    if not np.all(np.isfinite(values)):
        raise ValueError(
            f"criteria must be finite; got {int((~np.isfinite(values)).sum())} missing or "
            f"infinite value(s)"
        )
    threshold = float(threshold)
    if not (np.isfinite(threshold) and threshold > 0):
        raise ValueError(f"threshold must be a positive number; got {threshold!r}")
    if df is not None:
        df = check_positive_int(df, "df")
    if observed is not None and not np.isfinite(float(observed)):
        raise ValueError(f"observed must be a finite number; got {observed!r}")
    bins = check_positive_int(bins, "bins")
    if ax is None:
        _, ax = plt.subplots()
    low, high = float(values.min()), float(values.max())
    width = max(high - low, threshold * 1e-3) / bins
    start = threshold - width * np.ceil((threshold - low) / width)
    edges = start + width * np.arange(int(np.ceil((high - start) / width)) + 2)
    heights, edges = np.histogram(values, bins=edges, density=True)
    accepted = edges[:-1] < threshold
    share = float(np.mean(values <= threshold))
    handles = []
    for gid, keep, color, label in (
        ("accepted", accepted, PALETTE[2], f"accepted (M ≤ threshold): {share:.1%} of draws"),
        ("rejected", ~accepted, "0.75", "rejected"),
    ):
        bars = ax.bar(
            edges[:-1][keep],
            heights[keep],
            width=width,
            align="edge",
            color=color,
            edgecolor="white",
            linewidth=0.5,
            label=label,
        )
        for patch in bars:
            patch.set_gid(gid)
        handles.append(bars)
    right = max(high, float(observed) if observed is not None else high) + width
    if df is not None:
        grid = np.linspace(0, right, 400)
        (curve,) = ax.plot(
            grid,
            stats.chi2.pdf(grid, df),
            color="black",
            linewidth=1.2,
            label=f"chi-square, {df} df",
            gid="chi-square",
        )
        handles.append(curve)
    handles.append(
        ax.axvline(
            threshold,
            color="black",
            linestyle="--",
            linewidth=1.2,
            label=f"threshold, M = {threshold:.2f}",
            gid="threshold",
        )
    )
    if observed is not None:
        line = ax.axvline(
            float(observed),
            color=PALETTE[5],
            linewidth=2,
            label=f"observed assignment (M = {float(observed):.2f})",
            gid="observed",
        )
        handles.append(line)
    ax.set_xlim(0, right)
    ax.set_ylim(0, 1.55 * float(heights.max()))  # headroom for the legend
    ax.set_xlabel("balance criterion M")
    ax.set_ylabel("density")
    ax.legend(handles=handles, fontsize=9, loc="upper right")
    return ax


def p_value_function(
    null_effects: Sequence[float] | np.ndarray,
    p_values: Sequence[float] | np.ndarray,
    *,
    alpha: float = 0.05,
    estimate: float | None = None,
    interval: tuple[float, float] | None = None,
    interval_label: str = "t-based interval",
    ax: Axes | None = None,
) -> Axes:
    """Draw the p-value of each hypothesized effect: a confidence set by test inversion.

    Testing the sharp null of a constant effect for every value on a grid, and keeping the
    values whose p-value exceeds ``alpha``, gives a confidence set of level 1 - ``alpha``. The
    p-values are drawn against the hypothesized effects, a dotted line marks ``alpha``, and the
    span from the smallest to the largest grid value with a p-value above ``alpha`` is shaded.
    A vertical line can mark the estimate, and a horizontal bar at height ``alpha`` a reference
    interval (the t-based confidence interval, say) for comparison.

    Parameters
    ----------
    null_effects : sequence of float
        The hypothesized effects, one per test; finite, at least two, in any order.
    p_values : sequence of float
        The p-value of each test, between 0 and 1.
    alpha : float, default 0.05
        The level of the tests; the set has confidence 1 - ``alpha``.
    estimate : float, optional
        The point estimate, drawn as a solid vertical line.
    interval : tuple of float, optional
        The ends of a reference interval, drawn as a bar at height ``alpha``.
    interval_label : str, default "t-based interval"
        The legend entry of ``interval``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes. The curve has the gid ``"p-values"``; the other artists have the gids
        ``"alpha"``, ``"confidence-set"`` (absent when no p-value exceeds ``alpha``),
        ``"estimate"`` and ``"reference-interval"``.

    References
    ----------
    Gerber and Green (2012), *Field Experiments*, ch. 3.

    Examples
    --------
    >>> ax = p_value_function([0.0, 0.1, 0.2, 0.3, 0.4], [0.01, 0.2, 1.0, 0.3, 0.02])
    >>> [text.get_text() for text in ax.get_legend().get_texts()][2]
    '95% set: 0.10 to 0.30'
    >>> plt.close(ax.figure)
    """
    effects = np.asarray(null_effects, dtype=float)
    p = np.asarray(p_values, dtype=float)
    if effects.ndim != 1 or effects.size < 2 or not np.all(np.isfinite(effects)):
        raise ValueError(
            "null_effects must be a 1-D sequence of at least two finite numbers; "
            f"got shape {effects.shape}"
        )
    if p.shape != effects.shape:
        raise ValueError(
            f"p_values must have one value per null effect ({effects.size}); got shape {p.shape}"
        )
    if not np.all((p >= 0) & (p <= 1)):
        bad = float(p[~((p >= 0) & (p <= 1))][0])
        raise ValueError(f"p_values must lie between 0 and 1; got {bad!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1; got {alpha!r}")
    order = np.argsort(effects, kind="stable")
    effects, p = effects[order], p[order]
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(
        effects,
        p,
        marker="o",
        markersize=4,
        color=PALETTE[0],
        gid="p-values",
        label="randomization p-value",
    )
    ax.axhline(
        alpha, color="0.4", linestyle=":", linewidth=1, gid="alpha", label=f"alpha = {alpha:g}"
    )
    kept = effects[p > alpha]
    if kept.size:
        ax.axvspan(
            kept.min(),
            kept.max(),
            color=PALETTE[0],
            alpha=0.12,
            linewidth=0,
            gid="confidence-set",
            label=f"{1 - alpha:.0%} set: {kept.min():.2f} to {kept.max():.2f}",
        )
    if estimate is not None:
        ax.axvline(
            float(estimate),
            color="black",
            linewidth=1.2,
            gid="estimate",
            label=f"estimate {float(estimate):.2f}",
        )
    if interval is not None:
        low, high = (float(v) for v in interval)
        ax.plot(
            [low, high],
            [alpha, alpha],
            color=PALETTE[5],
            linewidth=4,
            solid_capstyle="butt",
            gid="reference-interval",
            label=f"{interval_label}: {low:.2f} to {high:.2f}",
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("hypothesized constant effect")
    ax.set_ylabel("p-value")
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def power_curves(
    results: Mapping[str, object],
    *,
    colors: Mapping[str, str] | None = None,
    marks: Mapping[str, float] | None = None,
    target: float | None = 0.8,
    ax: Axes | None = None,
) -> Axes:
    """Draw several power curves on one set of axes, with reference effects marked.

    Each curve is a :class:`~consentlib.simulation.PowerResult` (from
    :func:`~consentlib.simulation.simulate_power`): power against the average effect on the
    outcome's scale, with bars of 1.96 Monte Carlo standard errors. Dashed vertical lines can
    mark effects of interest, such as published estimates; a dashed horizontal line marks the
    target power and a dotted one the tests' level.

    Parameters
    ----------
    results : mapping of str to PowerResult
        For each curve (the legend entry), a result whose ``table`` has the columns ``effect``,
        ``power`` and ``power_mc_se``. All must share one ``alpha``.
    colors : mapping of str to str, optional
        A colour for some or all curves; the others get palette colours that no arm uses.
    marks : mapping of str to float, optional
        Effects to mark, each with a label written beside its line.
    target : float or None, default 0.8
        The power to draw as a reference line; None draws none.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes; ``ax.containers`` holds one error-bar container per curve, labelled with its
        key. The mark lines have the gids ``"mark:<label>"``.

    Examples
    --------
    >>> from consentlib.randomization import Design
    >>> from consentlib.simulation import simulate_power
    >>> design = Design.complete(60, conditions=("control", "treatment"))
    >>> result = simulate_power(design, "treatment", "control", shift=[0, 0.5], sims=50, seed=1)
    >>> ax = power_curves({"n = 60": result}, marks={"a guess": 0.3})
    >>> [c.get_label() for c in ax.containers], [line.get_gid() for line in ax.lines][-1]
    (['n = 60'], 'mark:a guess')
    >>> plt.close(ax.figure)
    """
    if not isinstance(results, Mapping) or not results:
        raise ValueError(
            "results must be a non-empty mapping from a label to a PowerResult; "
            f"got {type(results).__name__}"
        )
    for label, result in results.items():
        table = getattr(result, "table", None)
        check_dataframe(table, f"results[{label!r}].table")
        check_columns(table, ["effect", "power", "power_mc_se"], f"results[{label!r}] column")
    alphas = {float(getattr(result, "alpha", np.nan)) for result in results.values()}
    if len(alphas) != 1 or not np.isfinite(next(iter(alphas))):
        raise ValueError(f"the results must share one alpha; got {sorted(alphas)}")
    colors = dict(colors or {})
    others = iter(c for c in _NON_ARM_COLORS if c not in colors.values())
    if ax is None:
        _, ax = plt.subplots()
    for label, result in results.items():
        table = result.table
        ax.errorbar(
            table["effect"].to_numpy(float),
            table["power"].to_numpy(float),
            yerr=1.96 * table["power_mc_se"].to_numpy(float),
            marker="o",
            markersize=4,
            capsize=2,
            color=colors.get(label) or next(others),
            label=label,
        )
    if target is not None:
        ax.axhline(target, color="0.5", linestyle="--", linewidth=1)
    ax.axhline(alphas.pop(), color="0.5", linestyle=":", linewidth=1)
    for label, effect in (marks or {}).items():
        ax.axvline(float(effect), color="0.3", linestyle="--", linewidth=1, gid=f"mark:{label}")
        ax.annotate(
            label,
            xy=(float(effect), 0.02),
            xycoords=("data", "axes fraction"),
            xytext=(3, 0),
            textcoords="offset points",
            rotation=90,
            va="bottom",
            fontsize=9,
            color="0.3",
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("average effect on the response scale")
    ax.set_ylabel("power")
    ax.legend(fontsize=9, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(len(results), 3))
    return ax


def _one_bin_per_value(values: np.ndarray) -> np.ndarray:
    """Bin edges halfway between the distinct values (to 1e-9), so each value has its own bar."""
    distinct = np.unique(np.round(values, 9))
    if len(distinct) == 1:
        return np.array([distinct[0] - 0.5, distinct[0] + 0.5])
    middles = (distinct[1:] + distinct[:-1]) / 2
    first, last = (
        distinct[0] - (middles[0] - distinct[0]),
        distinct[-1] + (distinct[-1] - middles[-1]),
    )
    return np.concatenate([[first], middles, [last]])


def null_distribution(
    result, *, bins: int | str | Sequence[float] = "auto", ax: Axes | None = None
):
    """Histogram of a randomization test's null distribution, with the observed statistic.

    Parameters
    ----------
    result : RandomizationInferenceResult
        From :func:`consentlib.inference.randomization_inference`.
    bins : int, sequence or str
        Passed to matplotlib's ``hist``, or "values" for one bar per value the statistic takes.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The observed statistic is a solid line, its mirror image about the null effect (the
        other end of "at least as extreme") a dashed one.

    Examples
    --------
    >>> from consentlib.inference import randomization_inference
    >>> frame = pd.DataFrame({"y": [15, 15, 20, 20, 10, 15, 30],
    ...                       "arm": ["t", "c", "c", "c", "c", "c", "t"]})
    >>> ax = null_distribution(randomization_inference(frame, "y", "arm", "t", "c"),
    ...                        bins="values")
    >>> len(ax.lines)
    2
    >>> plt.close(ax.figure)
    """
    use_book_style()
    if ax is None:
        _, ax = plt.subplots()
    values = result.null_distribution
    if isinstance(bins, str) and bins == "values":
        bins = _one_bin_per_value(values)
    ax.hist(values, bins=bins, color="#bbbbbb", edgecolor="white")
    color = CONDITION_COLORS.get(result.term, PALETTE[0])
    ax.axvline(result.observed, color=color, linewidth=2, label="observed")
    mirror = 2 * result.null_effect - result.observed
    ax.axvline(mirror, color=color, linewidth=1, linestyle="--", label="as extreme")
    kind = "exact" if result.exact else f"{result.reps:,} draws"
    ax.set_xlabel(f"{result.statistic} statistic under the sharp null ({kind})")
    ax.set_ylabel("assignments")
    ax.set_title(f"{result.term}: observed {result.observed:.3f}, p = {result.p_value:.4f}")
    ax.legend()
    return ax

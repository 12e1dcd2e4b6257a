"""Figures of experiments and their analyses: responses, estimates, designs, tests and power.

Each arm keeps one colour everywhere (:data:`CONDITION_COLORS`). The figures change no global
setting; the book's fonts and sizes come from its style file, ``plt.style.use("consentlib.book")``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
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

__all__ = [
    "CONDITION_COLORS",
    "PALETTE",
    "coefficient_plot",
    "criterion_histogram",
    "curves_by_group",
    "null_distribution",
    "p_value_function",
    "power_curves",
    "response_distribution",
]

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


def group_colors(
    values: pd.Series, role: str, colors: Mapping[str, str] | None = None
) -> dict[str, str]:
    """A colour for each distinct value: from ``colors`` when it names every value, else the
    palette in order of first appearance.

    Examples
    --------
    >>> group_colors(pd.Series(["b", "a", "b"]), "column 'g'")
    {'b': '#0072b2', 'a': '#e69f00'}
    """
    levels = list(dict.fromkeys(values.astype(str)))
    if colors is not None and all(level in colors for level in levels):
        return {level: colors[level] for level in levels}
    if len(levels) > len(PALETTE):
        raise ValueError(
            f"{role} has {len(levels)} distinct values; at most {len(PALETTE)} can be coloured"
        )
    return {level: PALETTE[i] for i, level in enumerate(levels)}


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
    outcome: str,
    condition: str,
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
    outcome : str
        The numeric response column, such as the five-point support scale.
    condition : str
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
    >>> ax = response_distribution(frame, "support", "condition", levels=[1, 2, 3])
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
        raise (ValueError if isinstance(estimates, Mapping) else TypeError)(
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

    Groups get ``colors`` when it names every group, else the palette in order of first
    appearance.

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
    palette = group_colors(data[group], f"column {group!r}", colors)
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
    >>> result = simulate_power(design, "treatment", "control", shift=[0, 0.5], reps=50, seed=1)
    >>> ax = power_curves({"n = 60": result}, marks={"a guess": 0.3})
    >>> [c.get_label() for c in ax.containers], [line.get_gid() for line in ax.lines][-1]
    (['n = 60'], 'mark:a guess')
    >>> plt.close(ax.figure)
    """
    if not isinstance(results, Mapping) or not results:
        raise (ValueError if isinstance(results, Mapping) else TypeError)(
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

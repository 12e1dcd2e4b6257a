"""Explorers that work on a static web page: computed in advance over the sliders' grid.

An explorer built with ipywidgets' ``interact`` needs a running Python kernel, which a reader of
the book's website does not have. :func:`static_explorer` calls the function at every point of
the sliders' grid once, when the notebook runs, and writes a small self-contained piece of HTML:
one range input per slider, a bar chart drawn in SVG, and a few lines of JavaScript that look the
precomputed numbers up as the sliders move. It loads nothing from outside the page, and without
JavaScript it still shows the chart at the default values.

Examples
--------
>>> from consentlib.explorer import static_explorer
>>> explorer = static_explorer(
...     lambda a, b: {"sum": a + b, "product": a * b},
...     {"a": [0.0, 0.5, 1.0], "b": [1.0, 2.0]},
... )
>>> explorer
StaticExplorer(sum, product at 3 x 2 settings of a, b)
>>> explorer.value_at(a=0.5, b=2.0)
{'sum': 2.5, 'product': 1.0}
>>> "<svg" in explorer.to_html() and "http" not in explorer.to_html()
True
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

#: Bar colours when none are given: a colour-blind-safe palette (Okabe & Ito).
DEFAULT_COLORS: tuple[str, ...] = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9")

#: The largest number of precomputed values one explorer may carry, to keep its page light.
MAX_VALUES = 100_000

_WIDTH, _LABEL_WIDTH, _VALUE_WIDTH, _BAR_HEIGHT, _GAP, _TOP = 640, 200, 60, 26, 12, 8


@dataclass(frozen=True)
class StaticExplorer:
    """A function's values precomputed over a grid of slider settings, ready to show as HTML.

    Build one with :func:`static_explorer`; its HTML (``to_html``, or the notebook display) shows
    one horizontal bar per output of the function.

    Attributes
    ----------
    sliders : dict of str to tuple of float
        Each slider's name and its values, in increasing order.
    labels : dict of str to str
        Each slider's label as the reader sees it.
    bars : tuple of str
        The names of the function's outputs, one bar each.
    values : numpy.ndarray
        The outputs, shape ``(*slider sizes, len(bars))``: ``values[i, j, ..., k]`` is output
        ``bars[k]`` at the ``i``-th value of the first slider, the ``j``-th of the second, ...
    start : tuple of int
        The position of each slider when the page opens.
    title : str
        A caption above the chart.
    value_range : (float, float)
        The values at the left and right ends of the bars' axis.
    colors : tuple of str
        One colour per bar.
    digits : int
        Decimal places shown, and kept in the page.
    """

    sliders: dict[str, tuple[float, ...]]
    labels: dict[str, str]
    bars: tuple[str, ...]
    values: NDArray[np.float64]
    start: tuple[int, ...]
    title: str
    value_range: tuple[float, float]
    colors: tuple[str, ...]
    digits: int

    def value_at(self, **settings: float) -> dict[str, float]:
        """Return the precomputed outputs at one setting of every slider.

        Parameters
        ----------
        **settings : float
            One value per slider, each a point of that slider's grid.

        Returns
        -------
        dict of str to float
            Output name to value, as the function returned it.

        Examples
        --------
        >>> explorer = static_explorer(lambda x: {"square": x * x}, {"x": [1.0, 2.0, 3.0]})
        >>> explorer.value_at(x=2.0)
        {'square': 4.0}
        """
        if set(settings) != set(self.sliders):
            raise ValueError(
                f"value_at needs one value for each slider {sorted(self.sliders)}; "
                f"got {sorted(settings)}"
            )
        index = tuple(
            _grid_position(grid, settings[name], name) for name, grid in self.sliders.items()
        )
        return {bar: float(v) for bar, v in zip(self.bars, self.values[index], strict=True)}

    def to_html(self) -> str:
        """Return the explorer as one self-contained ``<div>``: sliders, SVG chart and script."""
        return _render(self)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        sizes = " x ".join(str(len(grid)) for grid in self.sliders.values())
        return (
            f"StaticExplorer({', '.join(self.bars)} at {sizes} settings of "
            f"{', '.join(self.sliders)})"
        )


def precompute(
    function: Callable[..., Mapping[str, float]], sliders: Mapping[str, Sequence[float]]
) -> tuple[tuple[str, ...], NDArray[np.float64]]:
    """Call ``function`` at every point of the sliders' grid.

    Parameters
    ----------
    function : callable
        Called with one keyword argument per slider; returns a mapping of output name to number,
        with the same names in the same order at every point.
    sliders : mapping of str to sequence of float
        Each slider's name (the function's keyword) and its values.

    Returns
    -------
    bars : tuple of str
        The output names.
    values : numpy.ndarray
        Shape ``(*slider sizes, len(bars))``, in the order of ``itertools.product``.

    Examples
    --------
    >>> bars, values = precompute(lambda a, b: {"sum": a + b}, {"a": [0, 1], "b": [10, 20, 30]})
    >>> bars, values.shape, float(values[1, 2, 0])
    (('sum',), (2, 3, 1), 31.0)
    """
    grids = _check_sliders(sliders)
    names = list(grids)
    bars: tuple[str, ...] | None = None
    rows = []
    for point in itertools.product(*grids.values()):
        settings = dict(zip(names, point, strict=True))
        result = function(**settings)
        if not isinstance(result, Mapping) or not result:
            raise TypeError(
                f"function must return a non-empty mapping of output name to number; got "
                f"{type(result).__name__} at {settings}"
            )
        keys = tuple(str(key) for key in result)
        if bars is None:
            bars = keys
        elif keys != bars:
            raise ValueError(f"function returned outputs {keys} at {settings}; expected {bars}")
        row = []
        for key, value in result.items():
            number = float(value)
            if not math.isfinite(number):
                raise ValueError(
                    f"function returned {key}={value!r} at {settings}; expected a finite number"
                )
            row.append(number)
        rows.append(row)
    assert bars is not None  # every grid has at least one point
    shape = (*(len(g) for g in grids.values()), len(bars))
    return bars, np.array(rows, dtype=float).reshape(shape)


def static_explorer(
    function: Callable[..., Mapping[str, float]],
    sliders: Mapping[str, Sequence[float]],
    *,
    defaults: Mapping[str, float] | None = None,
    labels: Mapping[str, str] | None = None,
    title: str = "",
    value_range: tuple[float, float] | None = None,
    colors: Mapping[str, str] | Sequence[str] | None = None,
    digits: int = 3,
) -> StaticExplorer:
    """Precompute ``function`` over the sliders' grid and return an explorer for a static page.

    Parameters
    ----------
    function : callable
        Called with one keyword argument per slider; returns a mapping of output name to number
        (one bar each), the same names at every point.
    sliders : mapping of str to sequence of float
        Each slider's name and its values, strictly increasing. The page carries
        ``len(bars)`` numbers per grid point, so keep the grid coarse (at most
        :data:`MAX_VALUES` numbers in all).
    defaults : mapping of str to float, optional
        Where each slider starts; a point of its grid. The middle of the grid if omitted.
    labels : mapping of str to str, optional
        The label shown for each slider; its name if omitted.
    title : str, optional
        A caption above the chart.
    value_range : (float, float), optional
        The bars' axis; from the smallest to the largest value (and 0) if omitted.
    colors : mapping of str to str or sequence of str, optional
        Colour of each bar, by output name or in order; :data:`DEFAULT_COLORS` if omitted.
    digits : int, default 3
        Decimal places shown and kept in the page.

    Returns
    -------
    StaticExplorer

    Examples
    --------
    >>> explorer = static_explorer(
    ...     lambda p: {"heads": p, "tails": 1 - p}, {"p": [0.25, 0.5, 0.75]},
    ...     defaults={"p": 0.75}, value_range=(0, 1),
    ... )
    >>> explorer.start, explorer.value_at(p=0.25)
    ((2,), {'heads': 0.25, 'tails': 0.75})
    """
    grids = _check_sliders(sliders)
    total = math.prod(len(g) for g in grids.values())
    bars, values = precompute(function, grids)
    if total * len(bars) > MAX_VALUES:
        raise ValueError(
            f"the sliders' grid holds {total} points of {len(bars)} outputs each, more than "
            f"{MAX_VALUES} numbers in all; use fewer slider values"
        )
    chosen = dict(defaults or {})
    unknown = sorted(set(chosen) - set(grids))
    if unknown:
        raise ValueError(f"defaults name no slider: {unknown}; sliders are {list(grids)}")
    start = tuple(
        _grid_position(grid, chosen[name], f"default of {name!r}")
        if name in chosen
        else (len(grid) - 1) // 2
        for name, grid in grids.items()
    )
    shown = {name: str((labels or {}).get(name, name)) for name in grids}
    if value_range is None:
        low, high = min(0.0, float(values.min())), max(0.0, float(values.max()))
        value_range = (low, high if high > low else low + 1.0)
    low, high = float(value_range[0]), float(value_range[1])
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"value_range must be two finite numbers, low < high; got {value_range}")
    if isinstance(colors, Mapping):
        missing = [bar for bar in bars if bar not in colors]
        if missing:
            raise ValueError(f"colors has no colour for outputs {missing}")
        palette = tuple(str(colors[bar]) for bar in bars)
    else:
        given = tuple(colors) if colors is not None else DEFAULT_COLORS
        if not given:
            raise ValueError("colors must hold at least one colour; got none")
        palette = tuple(str(given[i % len(given)]) for i in range(len(bars)))
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 10:
        raise ValueError(f"digits must be an integer from 0 to 10; got {digits!r}")
    return StaticExplorer(
        sliders=grids,
        labels=shown,
        bars=bars,
        values=values,
        start=start,
        title=str(title),
        value_range=(low, high),
        colors=palette,
        digits=digits,
    )


def _check_sliders(sliders: Mapping[str, Sequence[float]]) -> dict[str, tuple[float, ...]]:
    if not isinstance(sliders, Mapping) or not sliders:
        raise ValueError("sliders must map at least one slider name to its values; got none")
    grids = {}
    for name, values in sliders.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"slider names must be Python identifiers; got {name!r}")
        try:
            grid = tuple(float(v) for v in values)
        except (TypeError, ValueError) as error:
            raise TypeError(
                f"slider {name!r} needs a sequence of numbers; got {values!r}"
            ) from error
        if not grid or not all(math.isfinite(v) for v in grid):
            raise ValueError(f"slider {name!r} needs at least one finite value; got {values!r}")
        if any(b <= a for a, b in itertools.pairwise(grid)):
            raise ValueError(f"slider {name!r} needs strictly increasing values; got {values!r}")
        grids[name] = grid
    return grids


def _grid_position(grid: tuple[float, ...], value: float, name: str) -> int:
    matches = np.flatnonzero(np.isclose(grid, float(value), rtol=1e-9, atol=1e-12))
    if matches.size != 1:
        raise ValueError(f"{name} must be one of the slider's values {list(grid)}; got {value!r}")
    return int(matches[0])


def _number(value: float) -> str:
    """A slider value as the reader sees it: at most 10 significant digits, no float noise."""
    return f"{float(f'{value:.10g}'):g}"


def _render(explorer: StaticExplorer) -> str:
    bars, digits = explorer.bars, explorer.digits
    low, high = explorer.value_range
    sizes = [len(g) for g in explorer.sliders.values()]
    rounded = np.round(explorer.values, digits).reshape(-1)
    spec = {
        "sizes": sizes,
        "sliders": [[_number(v) for v in g] for g in explorer.sliders.values()],
        "bars": list(bars),
        "values": [float(v) for v in rounded],
        "low": low,
        "high": high,
        "digits": digits,
    }
    payload = json.dumps(spec, separators=(",", ":"))
    uid = "cl-explorer-" + hashlib.sha1(payload.encode()).hexdigest()[:10]
    start = explorer.values[explorer.start]
    chart_width = _WIDTH - _LABEL_WIDTH - _VALUE_WIDTH
    height = _TOP + len(bars) * (_BAR_HEIGHT + _GAP) + 18

    def width(value: float) -> float:
        share = (min(max(value, low), high) - low) / (high - low)
        return round(share * chart_width, 1)

    rows = []
    for k, (bar, value) in enumerate(zip(bars, start, strict=True)):
        y = _TOP + k * (_BAR_HEIGHT + _GAP)
        rows.append(
            f'<text x="{_LABEL_WIDTH - 8}" y="{y + _BAR_HEIGHT / 2}" text-anchor="end" '
            f'dominant-baseline="middle">{html.escape(bar)}</text>'
            f'<rect data-bar="{k}" x="{_LABEL_WIDTH}" y="{y}" width="{width(value)}" '
            f'height="{_BAR_HEIGHT}" fill="{html.escape(explorer.colors[k])}"></rect>'
            f'<text data-value="{k}" x="{_LABEL_WIDTH + width(value) + 6}" '
            f'y="{y + _BAR_HEIGHT / 2}" dominant-baseline="middle">{value:.{digits}f}</text>'
        )
    axis_y = _TOP + len(bars) * (_BAR_HEIGHT + _GAP)
    ticks = "".join(
        f'<line x1="{_LABEL_WIDTH + round(t * chart_width, 1)}" y1="{_TOP - 4}" '
        f'x2="{_LABEL_WIDTH + round(t * chart_width, 1)}" y2="{axis_y}" stroke="#d0d0d0"></line>'
        f'<text x="{_LABEL_WIDTH + round(t * chart_width, 1)}" y="{axis_y + 12}" '
        f'text-anchor="middle" font-size="11">{_number(low + t * (high - low))}</text>'
        for t in (0.0, 0.25, 0.5, 0.75, 1.0)
    )
    readout = "; ".join(f"{bar}: {v:.{digits}f}" for bar, v in zip(bars, start, strict=True))
    inputs = []
    for i, (name, grid) in enumerate(explorer.sliders.items()):
        at = explorer.start[i]
        inputs.append(
            f'<div class="cl-explorer-slider"><label for="{uid}-{i}">'
            f"{html.escape(explorer.labels[name])}</label>"
            f'<input type="range" id="{uid}-{i}" min="0" max="{len(grid) - 1}" step="1" '
            f'value="{at}" aria-valuetext="{_number(grid[at])}">'
            f'<output for="{uid}-{i}">{_number(grid[at])}</output></div>'
        )
    caption = (
        f'<figcaption class="cl-explorer-title">{html.escape(explorer.title)}</figcaption>'
        if explorer.title
        else ""
    )
    style = (
        f"#{uid}{{max-width:{_WIDTH}px;margin:1em 0;font-size:0.9rem}}"
        f"#{uid} figure{{margin:0}}"
        f"#{uid} svg{{width:100%;height:auto;font-family:inherit;font-size:13px;fill:#222}}"
        f"#{uid} .cl-explorer-slider{{display:flex;align-items:center;gap:0.6em;margin:0.2em 0}}"
        f"#{uid} .cl-explorer-slider label{{flex:0 0 45%}}"
        f"#{uid} .cl-explorer-slider input{{flex:1 1 auto}}"
        f"#{uid} .cl-explorer-slider output{{flex:0 0 3.5em;font-variant-numeric:tabular-nums}}"
        f"#{uid} .cl-explorer-readout{{margin:0.2em 0 0.6em;color:#333}}"
    )
    script = (
        "(function(){"
        f'var root=document.getElementById("{uid}");'
        'var spec=JSON.parse(root.querySelector("script.cl-explorer-data").textContent);'
        'var inputs=root.querySelectorAll("input[type=range]");'
        'var outputs=root.querySelectorAll("output");'
        f"var chart={chart_width},left={_LABEL_WIDTH};"
        "function update(){var at=0;"
        "for(var i=0;i<inputs.length;i++){var k=Number(inputs[i].value);at=at*spec.sizes[i]+k;"
        "var shown=spec.sliders[i][k];outputs[i].textContent=shown;"
        'inputs[i].setAttribute("aria-valuetext",shown);}'
        "var parts=[];"
        "for(var j=0;j<spec.bars.length;j++){var v=spec.values[at*spec.bars.length+j];"
        "var s=(Math.min(Math.max(v,spec.low),spec.high)-spec.low)/(spec.high-spec.low);"
        "var w=Math.round(s*chart*10)/10;var text=v.toFixed(spec.digits);"
        'root.querySelector("[data-bar=\\""+j+"\\"]").setAttribute("width",w);'
        'var label=root.querySelector("[data-value=\\""+j+"\\"]");'
        'label.setAttribute("x",left+w+6);label.textContent=text;'
        'parts.push(spec.bars[j]+": "+text);}'
        'root.querySelector(".cl-explorer-readout").textContent=parts.join("; ");}'
        'for(var i=0;i<inputs.length;i++){inputs[i].addEventListener("input",update);}'
        "})();"
    )
    description = html.escape(explorer.title or "Bar chart of the explorer's outputs")
    return (
        f'<div class="cl-explorer" id="{uid}"><style>{style}</style><figure>{caption}'
        f'<svg viewBox="0 0 {_WIDTH} {height}" role="img" aria-label="{description}" '
        f'aria-describedby="{uid}-readout">{ticks}{"".join(rows)}</svg>'
        f'<p class="cl-explorer-readout" id="{uid}-readout" aria-live="polite">'
        f"{html.escape(readout)}</p>{''.join(inputs)}</figure>"
        f'<script type="application/json" class="cl-explorer-data">'
        f"{payload.replace('</', '<' + chr(92) + '/')}</script>"
        f"<script>{script}</script></div>"
    )

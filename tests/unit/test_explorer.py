"""The static explorer: values precomputed over the sliders' grid, shown without a kernel."""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pytest
from browser import chromium, offline_page

from consentlib.explorer import precompute, static_explorer


def _curve(a: float, b: float, c: float) -> dict[str, float]:
    return {"first": a * b - c, "second": np.sin(a) + b**2 * c, "third": a + b + c}


SLIDERS = {"a": [0.0, 0.5, 1.0, 2.0], "b": [-1.0, 1.0, 3.0], "c": [0.1, 0.2]}


def _embedded(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" class="cl-explorer-data">(.*?)</script>', html, re.S
    )
    assert match, "the explorer's data are missing from its HTML"
    return json.loads(match.group(1))


def test_precomputed_values_equal_direct_calls_at_every_grid_point():
    explorer = static_explorer(_curve, SLIDERS)
    for a, b, c in itertools.product(*SLIDERS.values()):
        assert explorer.value_at(a=a, b=b, c=c) == pytest.approx(_curve(a, b, c), abs=0)


def test_the_page_carries_the_direct_values_rounded_in_grid_order():
    explorer = static_explorer(_curve, SLIDERS, digits=4)
    spec = _embedded(explorer.to_html())
    assert spec["sizes"] == [4, 3, 2]
    assert spec["bars"] == ["first", "second", "third"]
    flat = iter(spec["values"])
    for a, b, c in itertools.product(*SLIDERS.values()):
        for expected in _curve(a, b, c).values():
            assert next(flat) == pytest.approx(expected, abs=0.5e-4)


def test_precompute_orders_the_grid_like_itertools_product():
    bars, values = precompute(lambda x, y: {"v": 10 * x + y}, {"x": [1, 2], "y": [3, 4, 5]})
    assert bars == ("v",)
    assert values[:, :, 0].tolist() == [[13, 14, 15], [23, 24, 25]]


def test_the_chart_at_the_defaults_is_drawn_without_javascript():
    explorer = static_explorer(
        lambda p: {"yes": p, "no": 1 - p},
        {"p": [0.2, 0.4, 0.6]},
        defaults={"p": 0.4},
        value_range=(0, 1),
    )
    html = explorer.to_html()
    widths = [float(w) for w in re.findall(r'<rect data-bar="\d" [^>]*width="([\d.]+)"', html)]
    chart = 640 - 200 - 60
    assert widths == pytest.approx([0.4 * chart, 0.6 * chart], abs=0.1)
    assert "yes: 0.400; no: 0.600" in html
    assert 'value="1"' in html


def test_the_html_loads_nothing_from_outside():
    html = static_explorer(_curve, SLIDERS, title="A <title> & more").to_html()
    assert not re.search(r"\b(src|href)=", html)
    assert "http" not in html
    assert "A &lt;title&gt; &amp; more" in html


@pytest.mark.parametrize(
    ("sliders", "kwargs", "message"),
    [
        ({}, {}, "at least one slider"),
        ({"a": []}, {}, "slider 'a' needs at least one finite value"),
        ({"a": [0.0, 0.0]}, {}, "slider 'a' needs strictly increasing values"),
        ({"a": [0.0, float("nan")]}, {}, "slider 'a' needs at least one finite value"),
        ({"not a name": [0.0]}, {}, "identifiers"),
        ({"a": [0.0, 1.0]}, {"defaults": {"a": 0.5}}, "default of 'a' must be one of"),
        ({"a": [0.0, 1.0]}, {"defaults": {"z": 0.0}}, "defaults name no slider"),
        ({"a": [0.0, 1.0]}, {"value_range": (1, 1)}, "value_range"),
        ({"a": [0.0, 1.0]}, {"colors": {"other": "#000"}}, "no colour for outputs"),
        ({"a": [0.0, 1.0]}, {"digits": -1}, "digits"),
    ],
)
def test_bad_settings_say_what_was_expected(sliders, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        static_explorer(lambda **kw: {"v": 1.0}, sliders, **kwargs)


def test_a_function_whose_outputs_change_or_are_not_finite_is_refused():
    with pytest.raises(ValueError, match=r"returned outputs \('w',\) at \{'a': 1.0\}"):
        static_explorer(lambda a: {"v": a} if a == 0 else {"w": a}, {"a": [0.0, 1.0]})
    with pytest.raises(ValueError, match=r"v=nan at \{'a': 1.0\}; expected a finite number"):
        static_explorer(lambda a: {"v": a if a == 0 else float("nan")}, {"a": [0.0, 1.0]})
    with pytest.raises(TypeError, match="must return a non-empty mapping"):
        static_explorer(lambda a: a, {"a": [0.0, 1.0]})


def test_value_at_refuses_points_off_the_grid():
    explorer = static_explorer(_curve, SLIDERS)
    with pytest.raises(ValueError, match="a must be one of the slider's values"):
        explorer.value_at(a=0.25, b=1.0, c=0.1)
    with pytest.raises(ValueError, match="one value for each slider"):
        explorer.value_at(a=0.0)


def test_a_reader_moving_the_sliders_sees_the_direct_values():
    """In Chromium, with every request outside the page blocked, each slider position shows the
    function's own value at that point (rounded to the digits shown)."""
    explorer = static_explorer(_curve, SLIDERS, labels={"a": "the a value"}, title="Curves")
    with chromium() as browser:
        page, blocked, errors = offline_page(browser)
        page.set_content(f"<!doctype html><html lang='en'><body>{explorer.to_html()}</body></html>")
        inputs = page.locator("input[type=range]")
        for i, j, k in [(0, 0, 0), (3, 2, 1), (1, 0, 1), (2, 1, 0)]:
            for n, position in enumerate((i, j, k)):
                inputs.nth(n).fill(str(position))
            a, b, c = SLIDERS["a"][i], SLIDERS["b"][j], SLIDERS["c"][k]
            expected = "; ".join(f"{name}: {v:.3f}" for name, v in _curve(a, b, c).items())
            assert page.locator(".cl-explorer-readout").inner_text() == expected
            shown = page.locator("output").all_inner_texts()
            assert [float(s) for s in shown] == [a, b, c]
        assert page.get_by_label("the a value").count() == 1
        assert errors == [] and blocked == []
        page.context.close()

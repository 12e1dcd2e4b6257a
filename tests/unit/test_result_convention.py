"""Every public result object has a tidy ``.table`` with a named index and a notebook display.

The public result types are found by looking through the library's modules, so a new result
type without an example here fails the test instead of escaping the convention.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import numpy as np
import pandas as pd
import pytest

import consentlib as cl
from consentlib import model
from consentlib.ma2019.checks import fixed_effect_cells
from consentlib.ma2019.replication import replicate_tables

#: Modules edited apart from the core; their objects follow their own conventions.
SKIPPED_PACKAGES = ("consentlib.classroom",)
#: Holds a model's parameters, not a result: its table lists them with their symbols.
NOT_RESULTS = {"consentlib.model.ConsentModel"}


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "arm": np.tile(["control", "treatment"], 20),
            "group": np.repeat(["a", "b"], 20),
            "x": rng.normal(size=40),
        }
    )
    frame["y"] = frame["x"] + (frame["arm"] == "treatment") + rng.normal(size=40)
    return frame


def _examples() -> dict[str, object]:
    frame = _frame()
    fit = cl.ols(frame, "y", "arm")
    design = cl.Design.complete(20)
    return {
        "consentlib.results.EstimationResult": fit,
        "consentlib.heterogeneity.SubgroupResult": cl.subgroup_effects(
            frame, "y", "arm", "treatment", "control", moderator="group"
        ),
        "consentlib.estimation.BalanceResult": cl.balance_table(frame, ["x"], "arm"),
        "consentlib.inference.RandomizationInferenceResult": cl.randomization_inference(
            frame, "y", "arm", "treatment", "control", reps=50, seed=1
        ),
        "consentlib.inference.ConfidenceSet": cl.randomization_confidence_set(
            frame, "y", "arm", "treatment", "control", grid=[0.0, 1.0], reps=50, seed=1
        ),
        "consentlib.simulation.PowerResult": cl.simulate_power(
            design, "treatment", "control", shift=0.5, reps=20, seed=1
        ),
        "consentlib.randomization.RerandomizationResult": cl.rerandomize(frame[["x"]], seed=1),
        "consentlib.model.Offer": model.optimal_offer(0.8, [0.0, 0.5]),
        "consentlib.model.Simulation": model.simulate(model.ConsentModel(), 0.5, 0.5, reps=50),
        "consentlib.model.ScenarioComparison": model.compare_scenarios(reps=50, seed=1),
        "consentlib.ma2019.checks.FixedEffectCells": fixed_effect_cells(
            frame, "y", "arm", "treatment", "control", fixed_effects="group"
        ),
        "consentlib.ma2019.replication.ReplicatedTables": replicate_tables(cl.replication_data()),
    }


def _public_result_types() -> set[str]:
    """Public classes of the library whose instances carry a ``table``."""
    found = set()
    for info in pkgutil.walk_packages(cl.__path__, "consentlib."):
        if info.name.startswith(SKIPPED_PACKAGES) or "._" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or name.startswith("_"):
                continue
            has_table = (
                "table" in getattr(cls, "__dataclass_fields__", {})
                or isinstance(getattr(cls, "table", None), property)
                or "table : pandas.DataFrame" in (cls.__doc__ or "")
            )
            if has_table:
                found.add(f"{module.__name__}.{name}")
    return found - NOT_RESULTS


@pytest.fixture(scope="module")
def examples() -> dict[str, object]:
    return _examples()


def test_every_public_result_type_has_an_example(examples):
    assert _public_result_types() == set(examples)


@pytest.mark.parametrize("name", sorted(_public_result_types()))
def test_result_table_is_tidy_with_a_named_index(examples, name):
    result = examples[name]
    table = result.table
    assert isinstance(table, pd.DataFrame) and len(table) > 0
    assert all(table.index.names), f"{name}.table has an unnamed index"
    assert all(isinstance(c, str) and c == c.strip() for c in table.columns)
    assert not set(table.index.names) & set(table.columns), "index and column share a name"
    shown = result._repr_html_()
    assert shown.startswith("<p><b>") and "<table" in shown
    assert table.index.names[0] in shown  # the index's name is shown as a header

"""Formal models of protest as bargaining leverage: a superior proposes, a subordinate can resist.

Two models, both used in the book's chapter on the formal model: bargaining under a costly
lottery (Fearon 1995; :func:`bargaining_range`, :func:`optimal_offer`,
:func:`optimal_offer_numeric`) and the book's stylized consent-instability model (the book's own
construction, not a model from Ma 2019; :class:`ConsentModel`, :func:`simulate`,
:func:`cancel_probability`, :func:`county_payoff`). The book's API page states both models and
derives the closed forms used here.

References
----------
Fearon, J. D. (1995). Rationalist explanations for war. *International Organization* 49(3).
Lohmann, S. (1993). A signaling model of informative and manipulative political action.
*American Political Science Review* 87(2).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special, stats
from tqdm.auto import tqdm

from ._validation import as_generator, check_positive_int
from .results import result_html

__all__ = [
    "SCENARIOS",
    "BargainingRange",
    "ConsentModel",
    "Offer",
    "ScenarioComparison",
    "Simulation",
    "bargaining_range",
    "cancel_probability",
    "cancel_threshold",
    "compare_scenarios",
    "county_payoff",
    "escalation_onset",
    "escalation_probability",
    "instability_risk",
    "mobilization_cost",
    "noiseless_cancel_probability",
    "observe_turnout",
    "optimal_offer",
    "optimal_offer_numeric",
    "posterior_risk",
    "simulate",
    "superior_utility",
    "sweep",
    "turnout",
]

#: The three scenarios of the consent-instability model: (true tolerance, tolerance the city
#: believes in).
SCENARIOS: dict[str, tuple[float, float]] = {
    "no tolerance": (0.0, 0.0),
    "tolerance, unanticipated": (1.0, 0.0),
    "tolerance, anticipated": (1.0, 1.0),
}

#: Rows of the grid of grievances processed at once by :func:`posterior_risk` (bounds memory).
_CHUNK = 4096


# ---------------------------------------------------------------------------------------------
# Front-door checks
# ---------------------------------------------------------------------------------------------


def _check_number(
    value: object,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    strict: bool = False,
) -> float:
    """Check that ``value`` is one finite real number within the given bounds."""
    bounds = _describe_bounds(low, high, strict)
    if isinstance(value, (bool, str, bytes)):
        raise TypeError(f"{name} must be a number {bounds}; got {value!r}")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number {bounds}; got {value!r}") from None
    if not math.isfinite(number) or not _within(np.asarray(number), low, high, strict).all():
        raise ValueError(f"{name} must be a number {bounds}; got {value!r}")
    return number


def _check_array(
    value: ArrayLike,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    strict: bool = False,
) -> NDArray[np.float64]:
    """Check that ``value`` is a number or array of finite numbers within the given bounds."""
    bounds = _describe_bounds(low, high, strict)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numbers {bounds}; got {value!r}") from None
    if array.size == 0:
        raise ValueError(f"{name} must hold at least one number {bounds}; got {value!r}")
    bad = ~np.isfinite(array) | ~_within(array, low, high, strict)
    if bad.any():
        first = float(array[bad].flat[0])
        where = "" if array.ndim == 0 else f" at position {int(np.flatnonzero(bad)[0])}"
        raise ValueError(f"{name} must be numbers {bounds}; got {first!r}{where}")
    return array


def _within(array: np.ndarray, low: float | None, high: float | None, strict: bool) -> np.ndarray:
    ok = np.ones(array.shape, dtype=bool)
    if low is not None:
        ok &= array > low if strict else array >= low
    if high is not None:
        ok &= array < high if strict else array <= high
    return ok


def _describe_bounds(low: float | None, high: float | None, strict: bool) -> str:
    if low is not None and high is not None:
        return f"{'strictly ' if strict else ''}between {low:g} and {high:g}"
    if low is not None:
        return f"{'greater than' if strict else 'at least'} {low:g}"
    if high is not None:
        return f"{'less than' if strict else 'at most'} {high:g}"
    return "(any finite value)"


def _frozen(array: ArrayLike) -> NDArray[np.float64]:
    """A read-only float copy, so that result objects cannot be changed after the fact."""
    out = np.array(array, dtype=float)
    out.setflags(write=False)
    return out


# ---------------------------------------------------------------------------------------------
# Bargaining under a costly lottery
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BargainingRange:
    """The superior's shares of the stake that both sides prefer to conflict.

    Attributes
    ----------
    low : float
        The least the superior accepts rather than press on: ``win_prob - superior_cost``.
    high : float
        The most the subordinate concedes rather than resist: ``win_prob + subordinate_cost``.
    """

    low: float
    high: float

    @property
    def width(self) -> float:
        """The length of the range, ``superior_cost + subordinate_cost``."""
        return self.high - self.low

    @property
    def concessions(self) -> tuple[float, float]:
        """The same range as concessions to the subordinate, ``(1 - high, 1 - low)``."""
        return (1.0 - self.high, 1.0 - self.low)


def bargaining_range(
    win_prob: float, superior_cost: float, subordinate_cost: float
) -> BargainingRange:
    """Return Fearon's bargaining range ``[win_prob - superior_cost, win_prob + subordinate_cost]``.

    With risk-neutral players dividing a stake of size 1, conflict gives the superior an expected
    ``win_prob - superior_cost`` and the subordinate ``1 - win_prob - subordinate_cost``. Any
    share for the superior inside the returned range leaves both at least as well off as conflict,
    so the range is never empty when the costs are positive.

    Parameters
    ----------
    win_prob : float
        The superior's expected share of the stake if it presses on against resistance (Fearon's
        ``p``), between 0 and 1.
    superior_cost : float
        The superior's cost of conflict, at least 0: for a city, the expected instability cost to
        its officials' careers.
    subordinate_cost : float
        The subordinate's cost of conflict, at least 0.

    Returns
    -------
    BargainingRange
        The range of the superior's shares; ``.concessions`` gives it as concessions.

    Examples
    --------
    >>> r = bargaining_range(0.7, superior_cost=0.1, subordinate_cost=0.05)
    >>> round(r.low, 2), round(r.high, 2), round(r.width, 2)
    (0.6, 0.75, 0.15)
    >>> tuple(round(x, 2) for x in r.concessions)
    (0.25, 0.4)

    References
    ----------
    Fearon (1995), "Rationalist explanations for war", *International Organization* 49(3).
    """
    p = _check_number(win_prob, "win_prob", low=0.0, high=1.0)
    c_s = _check_number(superior_cost, "superior_cost", low=0.0)
    c_c = _check_number(subordinate_cost, "subordinate_cost", low=0.0)
    return BargainingRange(low=p - c_s, high=p + c_c)


@dataclass(frozen=True)
class Offer:
    """The superior's best concession for each instability cost, and what it brings.

    Attributes
    ----------
    instability_cost : numpy.ndarray
        The superior's cost of conflict, one entry per row.
    concession : numpy.ndarray
        The optimal concession to the subordinate.
    acceptance : numpy.ndarray
        The probability ``F(concession)`` that the subordinate accepts it.
    expected_utility : numpy.ndarray
        The superior's expected payoff at the optimal concession.
    """

    instability_cost: NDArray[np.float64]
    concession: NDArray[np.float64]
    acceptance: NDArray[np.float64]
    expected_utility: NDArray[np.float64]

    @property
    def conflict(self) -> NDArray[np.float64]:
        """The probability of conflict, ``1 - acceptance``."""
        return 1.0 - self.acceptance

    @property
    def table(self) -> pd.DataFrame:
        """One row per instability cost, in a tidy data frame."""
        return pd.DataFrame(
            {
                "instability_cost": self.instability_cost,
                "concession": self.concession,
                "acceptance": self.acceptance,
                "conflict": self.conflict,
                "expected_utility": self.expected_utility,
            },
            index=pd.RangeIndex(len(self.instability_cost), name="offer"),
        )

    def _repr_html_(self) -> str:
        caption = f"The superior's optimal offer at {len(self.instability_cost)} instability costs"
        return result_html(caption, self.table, digits=".3f")


def superior_utility(
    concession: ArrayLike,
    win_prob: float,
    instability_cost: ArrayLike,
    cdf: Callable[[np.ndarray], ArrayLike],
) -> NDArray[np.float64]:
    """Return the superior's expected payoff ``F(x)(1 - x) + (1 - F(x))(win_prob - cost)``.

    The subordinate accepts a concession ``x`` when its private reservation value ``r`` is at
    most ``x``, which happens with probability ``F(x) = cdf(x)``. Then the superior keeps
    ``1 - x``; otherwise the two go to conflict and the superior gets ``win_prob`` minus its
    instability cost. ``concession`` and ``instability_cost`` broadcast against each other.

    Parameters
    ----------
    concession : array_like
        Concessions ``x`` to the subordinate, between 0 and 1.
    win_prob : float
        The superior's expected share of the stake in conflict, between 0 and 1.
    instability_cost : array_like
        The superior's cost of conflict, at least 0.
    cdf : callable
        The distribution function ``F`` of the subordinate's reservation value, taking and
        returning arrays (for example ``scipy.stats.uniform(0, 0.5).cdf``).

    Returns
    -------
    numpy.ndarray
        The expected payoffs, with the broadcast shape of the inputs.

    Examples
    --------
    >>> from scipy import stats
    >>> f = stats.uniform(loc=0, scale=0.5).cdf
    >>> superior_utility([0.0, 0.25, 0.5], 0.8, 0.1, f).round(3)
    array([0.7  , 0.725, 0.5  ])
    """
    x = _check_array(concession, "concession", low=0.0, high=1.0)
    p = _check_number(win_prob, "win_prob", low=0.0, high=1.0)
    cost = _check_array(instability_cost, "instability_cost", low=0.0)
    accept = _check_cdf(cdf, x)
    return accept * (1.0 - x) + (1.0 - accept) * (p - cost)


def _check_cdf(cdf: Callable[[np.ndarray], ArrayLike], x: np.ndarray) -> NDArray[np.float64]:
    """Evaluate ``cdf`` at ``x`` and check that it behaves like a distribution function."""
    if not callable(cdf):
        raise TypeError(f"cdf must be a callable distribution function; got {cdf!r}")
    values = np.asarray(cdf(x), dtype=float)
    if values.shape != np.shape(x):
        values = np.broadcast_to(values, np.shape(x))
    if not np.all(np.isfinite(values)) or values.min() < -1e-12 or values.max() > 1 + 1e-12:
        raise ValueError(
            f"cdf must return probabilities between 0 and 1; got values from "
            f"{np.nanmin(values)!r} to {np.nanmax(values)!r}"
        )
    flat_x, flat_v = np.ravel(x), np.ravel(values)
    order = np.argsort(flat_x, kind="stable")
    if np.any(np.diff(flat_v[order]) < -1e-12):
        raise ValueError("cdf must be non-decreasing in the concession; it decreases somewhere")
    return np.clip(values, 0.0, 1.0)


def optimal_offer(
    win_prob: float,
    instability_cost: ArrayLike,
    reservation_low: float = 0.0,
    reservation_high: float = 1.0,
) -> Offer:
    """Return the superior's optimal concession when the reservation value is uniform (closed form).

    ``x* = (1 - win_prob + instability_cost + reservation_low) / 2``, clipped to
    ``[reservation_low, reservation_high]`` (derived on the book's API page).

    Parameters
    ----------
    win_prob : float
        The superior's expected share of the stake in conflict, between 0 and 1.
    instability_cost : array_like
        The superior's cost of conflict, at least 0; one optimal offer is computed for each.
    reservation_low, reservation_high : float, default 0 and 1
        The bounds of the uniform distribution of the subordinate's reservation value, with
        ``0 <= reservation_low < reservation_high <= 1``.

    Returns
    -------
    Offer
        The optimal concessions, acceptance probabilities and expected payoffs. Where even the
        lowest possible reservation value exceeds what the superior would concede, the offer is
        ``reservation_low``, accepted with probability 0.

    Examples
    --------
    >>> offer = optimal_offer(0.8, [0.0, 0.2, 0.4], reservation_high=0.5)
    >>> offer.concession.round(3)
    array([0.1, 0.2, 0.3])
    >>> offer.acceptance.round(3)
    array([0.2, 0.4, 0.6])

    References
    ----------
    Fearon (1995), section on private information and incentives to misrepresent.
    """
    p = _check_number(win_prob, "win_prob", low=0.0, high=1.0)
    cost = np.atleast_1d(_check_array(instability_cost, "instability_cost", low=0.0))
    low, high = _check_reservation_bounds(reservation_low, reservation_high)
    x = np.clip((1.0 - p + cost + low) / 2.0, low, high)
    accept = (x - low) / (high - low)
    utility = accept * (1.0 - x) + (1.0 - accept) * (p - cost)
    return Offer(_frozen(cost), _frozen(x), _frozen(accept), _frozen(utility))


def _check_reservation_bounds(low: float, high: float) -> tuple[float, float]:
    low = _check_number(low, "reservation_low", low=0.0, high=1.0)
    high = _check_number(high, "reservation_high", low=0.0, high=1.0)
    if not low < high:
        raise ValueError(
            f"reservation_low must be less than reservation_high; got {low!r} and {high!r}"
        )
    return low, high


def optimal_offer_numeric(
    win_prob: float,
    instability_cost: ArrayLike,
    cdf: Callable[[np.ndarray], ArrayLike],
    grid_size: int = 2001,
) -> Offer:
    """Return the superior's optimal concession for any distribution ``F``, by grid search.

    The expected payoff of :func:`superior_utility` is evaluated for every instability cost and
    every concession on an even grid over [0, 1] at once, and the best concession is kept.

    Parameters
    ----------
    win_prob : float
        The superior's expected share of the stake in conflict, between 0 and 1.
    instability_cost : array_like
        The superior's cost of conflict, at least 0.
    cdf : callable
        The distribution function of the subordinate's reservation value, taking and returning
        arrays.
    grid_size : int, default 2001
        Number of concessions tried, evenly spaced from 0 to 1 (spacing ``1 / (grid_size - 1)``).

    Returns
    -------
    Offer
        The best concession on the grid for each instability cost. Ties go to the smallest
        concession.

    Examples
    --------
    >>> from scipy import stats
    >>> offer = optimal_offer_numeric(0.8, [0.0, 0.4], stats.uniform(0, 0.5).cdf, grid_size=1001)
    >>> offer.concession.round(3)
    array([0.1, 0.3])
    """
    p = _check_number(win_prob, "win_prob", low=0.0, high=1.0)
    cost = np.atleast_1d(_check_array(instability_cost, "instability_cost", low=0.0))
    size = check_positive_int(grid_size, "grid_size")
    if size < 2:
        raise ValueError(f"grid_size must be at least 2; got {grid_size!r}")
    grid = np.linspace(0.0, 1.0, size)
    accept = _check_cdf(cdf, grid)
    utility = accept[None, :] * (1.0 - grid[None, :]) + (1.0 - accept[None, :]) * (
        p - cost.reshape(-1, 1)
    )
    best = utility.argmax(axis=1)
    rows = np.arange(len(best))
    shape = cost.shape
    return Offer(
        _frozen(cost),
        _frozen(grid[best].reshape(shape)),
        _frozen(accept[best].reshape(shape)),
        _frozen(utility[rows, best].reshape(shape)),
    )


# ---------------------------------------------------------------------------------------------
# The book's stylized consent-instability model
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentModel:
    """Parameters of the book's stylized consent-instability model (the book's own construction).

    The defaults are the book's illustrative run. None of the values is estimated from data, and
    the model is not one that Ma (2019) states.

    Attributes
    ----------
    base_cost : float, default 0.8
        ``c0``, the cost of turning out when the county does not tolerate protest.
    tolerance_effect : float, default 0.5
        ``delta`` >= 0, how much full tolerance lowers that cost: ``c(tau) = c0 - delta * tau``.
    cost_spread : float, default 0.25
        ``sigma`` > 0, the spread of individual costs: turnout is
        ``Phi((alignment * g - c(tau)) / sigma)``.
    alignment : float, default 1.0
        ``a`` > 0, how closely the residents' demand matches the county officials' (mass–elite
        alignment); it scales grievance into the will to turn out.
    observation_noise : float, default 0.05
        ``eta`` > 0, the standard deviation of the Gaussian error with which the city observes
        turnout (a share of the county's residents).
    career_cost : float, default 3.0
        ``K`` > 0, the career cost to the city's officials of instability (the one-veto rule).
    merger_benefit : float, default 1.0
        ``B`` > 0, the city's benefit from the merger; it cancels iff ``K * E[rho | n] > B``.
    escalation_turnout : float, default 0.9
        Turnout share above which a protest escalates beyond control (as at Daye), strictly
        between 0 and 1.
    blame_cost : float, default 0.5
        ``D`` >= 0, the county officials' cost when a protest escalates, in units of the value to
        them of a cancelled merger.

    Examples
    --------
    >>> model = ConsentModel()
    >>> model.career_cost, model.merger_benefit
    (3.0, 1.0)
    >>> ConsentModel(cost_spread=0)
    Traceback (most recent call last):
    ...
    ValueError: cost_spread must be a number greater than 0; got 0
    """

    base_cost: float = 0.8
    tolerance_effect: float = 0.5
    cost_spread: float = 0.25
    alignment: float = 1.0
    observation_noise: float = 0.05
    career_cost: float = 3.0
    merger_benefit: float = 1.0
    escalation_turnout: float = 0.9
    blame_cost: float = 0.5

    def __post_init__(self) -> None:
        rules = {
            "base_cost": {},
            "tolerance_effect": {"low": 0.0},
            "cost_spread": {"low": 0.0, "strict": True},
            "alignment": {"low": 0.0, "strict": True},
            "observation_noise": {"low": 0.0, "strict": True},
            "career_cost": {"low": 0.0, "strict": True},
            "merger_benefit": {"low": 0.0, "strict": True},
            "escalation_turnout": {"low": 0.0, "high": 1.0, "strict": True},
            "blame_cost": {"low": 0.0},
        }
        for name, bounds in rules.items():
            object.__setattr__(self, name, _check_number(getattr(self, name), name, **bounds))

    @property
    def table(self) -> pd.DataFrame:
        """The parameters, one row each, with their symbols."""
        symbols = {
            "base_cost": "c₀",
            "tolerance_effect": "δ",
            "cost_spread": "σ",
            "alignment": "a",
            "observation_noise": "η",
            "career_cost": "K",
            "merger_benefit": "B",
            "escalation_turnout": "n̄",
            "blame_cost": "D",
        }
        names = [f.name for f in fields(self) if f.init]
        return pd.DataFrame(
            {
                "parameter": names,
                "symbol": [symbols[n] for n in names],
                "value": [getattr(self, n) for n in names],
            }
        )


def _check_model(params: object) -> ConsentModel:
    if not isinstance(params, ConsentModel):
        raise TypeError(f"params must be a ConsentModel; got {type(params).__name__}")
    return params


def _check_tolerance(value: ArrayLike, name: str) -> NDArray[np.float64]:
    return _check_array(value, name, low=0.0, high=1.0)


def mobilization_cost(params: ConsentModel, tolerance: ArrayLike) -> NDArray[np.float64]:
    """Return the cost of turning out under tolerance ``tau``: ``c(tau) = c0 - delta * tau``.

    Parameters
    ----------
    params : ConsentModel
        The model's parameters.
    tolerance : array_like
        The county's tolerance ``tau``, between 0 (none) and 1 (full).

    Returns
    -------
    numpy.ndarray
        The mobilization cost for each tolerance.

    Examples
    --------
    >>> mobilization_cost(ConsentModel(), [0.0, 1.0])
    array([0.8, 0.3])
    """
    params = _check_model(params)
    tau = _check_tolerance(tolerance, "tolerance")
    return params.base_cost - params.tolerance_effect * tau


def turnout(
    params: ConsentModel, grievance: ArrayLike, tolerance: ArrayLike
) -> NDArray[np.float64]:
    """Return the share of residents who turn out, ``Phi((a * g - c(tau)) / sigma)``.

    Parameters
    ----------
    params : ConsentModel
        The model's parameters.
    grievance : array_like
        The county's grievance ``g``, between 0 and 1.
    tolerance : array_like
        The county's tolerance ``tau``, between 0 and 1; broadcasts against ``grievance``.

    Returns
    -------
    numpy.ndarray
        Turnout shares, strictly between 0 and 1.

    Examples
    --------
    >>> turnout(ConsentModel(), [0.8, 0.8], [0.0, 1.0]).round(3)
    array([0.5  , 0.977])
    """
    params = _check_model(params)
    g = _check_array(grievance, "grievance", low=0.0, high=1.0)
    tau = _check_tolerance(tolerance, "tolerance")
    return _turnout(params, g, tau)


def _turnout(params: ConsentModel, g: np.ndarray, tau: ArrayLike) -> np.ndarray:
    cost = params.base_cost - params.tolerance_effect * np.asarray(tau)
    # special.ndtr is what stats.norm.cdf computes, without its argument checks: this runs
    # tens of thousands of times inside the integrals of the cancellation probability.
    return special.ndtr((params.alignment * g - cost) / params.cost_spread)


def instability_risk(grievance: ArrayLike) -> NDArray[np.float64]:
    """Return the instability risk ``rho(g) = g**2`` that a grievance poses to the city.

    Parameters
    ----------
    grievance : array_like
        The county's grievance ``g``, between 0 and 1.

    Returns
    -------
    numpy.ndarray
        The risk for each grievance.

    Examples
    --------
    >>> instability_risk([0.5, 1.0])
    array([0.25, 1.  ])
    """
    g = _check_array(grievance, "grievance", low=0.0, high=1.0)
    return g**2


def observe_turnout(
    params: ConsentModel, turnout: ArrayLike, seed: int | np.random.Generator | None = None
) -> NDArray[np.float64]:
    """Return turnout as the city sees it: the true share plus ``N(0, observation_noise**2)``.

    Parameters
    ----------
    params : ConsentModel
        The model's parameters.
    turnout : array_like
        True turnout shares, between 0 and 1.
    seed : int or numpy.random.Generator, optional
        Seed or generator for the observation errors.

    Returns
    -------
    numpy.ndarray
        Observed turnout, same shape as ``turnout``. It can stray outside [0, 1]; the city's
        posterior (:func:`posterior_risk`) uses the same Gaussian error model.

    Examples
    --------
    >>> seen = observe_turnout(ConsentModel(), [0.2, 0.6], seed=1)
    >>> bool(((seen - [0.2, 0.6]) ** 2).sum() < 0.1)
    True
    >>> bool((observe_turnout(ConsentModel(), [0.2], seed=3) == seen[0]).all())
    False
    """
    params = _check_model(params)
    n = _check_array(turnout, "turnout", low=0.0, high=1.0)
    rng = as_generator(seed)
    return n + params.observation_noise * rng.standard_normal(n.shape)


def posterior_risk(
    params: ConsentModel,
    observed: ArrayLike,
    believed_tolerance: float,
    grid_size: int = 801,
) -> NDArray[np.float64]:
    """Return the city's posterior mean of the instability risk, ``E[g**2 | observed; tau_hat]``.

    The prior on grievance is uniform on [0, 1] and the likelihood Gaussian; the two integrals of
    the posterior mean are computed by the trapezoid rule (see the book's API page).

    Parameters
    ----------
    params : ConsentModel
        The model's parameters.
    observed : array_like
        Observed turnout, any real numbers.
    believed_tolerance : float
        The tolerance ``tau_hat`` the city believes the county chose, between 0 and 1.
    grid_size : int, default 801
        Number of grid points on [0, 1]; the default is accurate to about 1e-5 at the default
        noise (finer grids are needed when ``observation_noise`` is very small).

    Returns
    -------
    numpy.ndarray
        The posterior mean of ``g**2`` for each observation, same shape as ``observed``.

    Examples
    --------
    >>> model = ConsentModel()
    >>> posterior_risk(model, [0.05, 0.5, 0.95], believed_tolerance=0.0).round(2)
    array([0.1 , 0.64, 0.98])
    >>> posterior_risk(model, [0.5], believed_tolerance=1.0).round(2)
    array([0.1])
    """
    params = _check_model(params)
    m = _check_array(observed, "observed")
    tau_hat = _check_number(believed_tolerance, "believed_tolerance", low=0.0, high=1.0)
    size = check_positive_int(grid_size, "grid_size")
    if size < 3:
        raise ValueError(f"grid_size must be at least 3; got {grid_size!r}")
    return _posterior_risk(params, m, tau_hat, size)


def _posterior_risk(
    params: ConsentModel, observed: np.ndarray, tau_hat: float, size: int
) -> np.ndarray:
    g = np.linspace(0.0, 1.0, size)
    expected = _turnout(params, g, tau_hat)
    weights = np.full(size, 1.0)  # trapezoid weights (the common factor cancels)
    weights[[0, -1]] = 0.5
    flat = observed.ravel()
    out = np.empty(flat.shape)
    for start in range(0, flat.size, _CHUNK):
        chunk = flat[start : start + _CHUNK, None]
        log_lik = -0.5 * ((chunk - expected[None, :]) / params.observation_noise) ** 2
        lik = np.exp(log_lik - log_lik.max(axis=1, keepdims=True)) * weights
        out[start : start + _CHUNK] = (lik @ g**2) / lik.sum(axis=1)
    return out.reshape(observed.shape)


def cancel_threshold(
    params: ConsentModel, believed_tolerance: float, grid_size: int = 801
) -> float:
    """Return the observed turnout above which the city cancels the merger.

    Because expected turnout rises with grievance and the observation error is Gaussian, the
    posterior mean of the risk rises with observed turnout, so the rule
    ``career_cost * E[rho | m] > merger_benefit`` is the same as ``m > m*``. This function finds
    ``m*`` by root-finding on :func:`posterior_risk`.

    Parameters
    ----------
    params : ConsentModel
        The model's parameters.
    believed_tolerance : float
        The tolerance ``tau_hat`` the city believes the county chose, between 0 and 1.
    grid_size : int, default 801
        Grid size passed to :func:`posterior_risk`.

    Returns
    -------
    float
        The threshold ``m*``; ``inf`` when ``merger_benefit >= career_cost``, so that the city
        never cancels (the posterior mean of ``g**2`` is below 1).

    Examples
    --------
    >>> round(cancel_threshold(ConsentModel(), 0.0), 3)
    0.199
    >>> cancel_threshold(ConsentModel(merger_benefit=3.0), 0.0)
    inf
    """
    params = _check_model(params)
    tau_hat = _check_number(believed_tolerance, "believed_tolerance", low=0.0, high=1.0)
    size = check_positive_int(grid_size, "grid_size")
    return _cancel_threshold(params, tau_hat, size)


def _cancel_threshold(params: ConsentModel, tau_hat: float, size: int) -> float:
    target = params.merger_benefit / params.career_cost
    if target >= 1.0:
        return math.inf

    def gap(m: float) -> float:
        return float(_posterior_risk(params, np.array([m]), tau_hat, size)[0]) - target

    low, high, step = -0.5, 1.5, 1.0
    while gap(low) > 0:
        low -= step
        step *= 2
    step = 1.0
    while gap(high) < 0:
        high += step
        step *= 2
    return float(optimize.brentq(gap, low, high, xtol=1e-10))


def cancel_probability(
    params: ConsentModel,
    tolerance: float,
    believed_tolerance: float,
    grid_size: int = 801,
) -> float:
    """Return the probability that the city cancels, by quadrature instead of simulation.

    The average over grievance of ``Phi((n(g; tau) - m*) / eta)``, with ``m*`` from
    :func:`cancel_threshold`, by Gauss-Legendre quadrature (see the book's API page).

    Parameters
    ----------
    params : ConsentModel
        The model's parameters.
    tolerance : float
        The tolerance ``tau`` the county actually chose, between 0 and 1.
    believed_tolerance : float
        The tolerance ``tau_hat`` the city believes it chose, between 0 and 1.
    grid_size : int, default 801
        Grid size passed to :func:`posterior_risk` for the threshold.

    Returns
    -------
    float
        The probability of cancellation.

    Examples
    --------
    >>> model = ConsentModel()
    >>> [round(cancel_probability(model, *s), 3) for s in SCENARIOS.values()]
    [0.415, 0.914, 0.446]
    """
    params = _check_model(params)
    tau = _check_number(tolerance, "tolerance", low=0.0, high=1.0)
    tau_hat = _check_number(believed_tolerance, "believed_tolerance", low=0.0, high=1.0)
    size = check_positive_int(grid_size, "grid_size")
    return _cancel_probability(params, tau, tau_hat, size)


def _legendre_panels(panels: int, order: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of composite Gauss-Legendre quadrature on [0, 1]."""
    x, w = np.polynomial.legendre.leggauss(order)
    half = 0.5 / panels
    middles = np.linspace(half, 1.0 - half, panels)
    return (middles[:, None] + half * x).ravel(), np.tile(half * w, panels)


_GRIEVANCE_NODES, _GRIEVANCE_WEIGHTS = _legendre_panels(128, 16)


def _cancel_probability(params: ConsentModel, tau: float, tau_hat: float, size: int) -> float:
    threshold = _cancel_threshold(params, tau_hat, size)
    if math.isinf(threshold):
        return 0.0
    n = _turnout(params, _GRIEVANCE_NODES, tau)
    cancel = special.ndtr((n - threshold) / params.observation_noise)  # norm.sf
    return float(_GRIEVANCE_WEIGHTS @ cancel)


def noiseless_cancel_probability(
    params: ConsentModel, tolerance: float, believed_tolerance: float
) -> float:
    """Return the probability of cancellation when the city sees turnout without error.

    Turnout is strictly increasing in grievance, so a city that sees it exactly can invert it.
    Reading it with ``tau_hat`` instead of ``tau``, it infers ``g + delta * (tau - tau_hat) / a``
    and cancels when that exceeds ``sqrt(B / K)``; with ``g ~ U(0, 1)`` the probability is
    ``1 - sqrt(B / K) + delta * (tau - tau_hat) / a``, cut to [0, 1]. This is the limit of
    :func:`cancel_probability` as ``observation_noise`` goes to 0.

    Parameters
    ----------
    params : ConsentModel
        The model's parameters (``observation_noise`` is ignored).
    tolerance : float
        The tolerance the county chose, between 0 and 1.
    believed_tolerance : float
        The tolerance the city believes it chose, between 0 and 1.

    Returns
    -------
    float
        The probability of cancellation.

    Examples
    --------
    >>> model = ConsentModel()
    >>> [round(noiseless_cancel_probability(model, *s), 3) for s in SCENARIOS.values()]
    [0.423, 0.923, 0.423]
    """
    params = _check_model(params)
    tau = _check_number(tolerance, "tolerance", low=0.0, high=1.0)
    tau_hat = _check_number(believed_tolerance, "believed_tolerance", low=0.0, high=1.0)
    cutoff = math.sqrt(params.merger_benefit / params.career_cost)
    shift = params.tolerance_effect * (tau - tau_hat) / params.alignment
    return float(np.clip(1.0 - cutoff + shift, 0.0, 1.0))


@dataclass(frozen=True, repr=False)
class Simulation:
    """Simulated counties under one scenario of the consent-instability model.

    Attributes
    ----------
    tolerance : float
        The tolerance the county chose.
    believed_tolerance : float
        The tolerance the city believed it chose.
    grievance, turnout, observed, risk : numpy.ndarray
        Per simulated county: grievance ``g``, true turnout, turnout as the city saw it, and the
        city's posterior mean of the instability risk.
    cancel : numpy.ndarray
        Per simulated county, whether the city cancelled the merger.
    escalated : numpy.ndarray
        Per simulated county, whether turnout passed ``escalation_turnout``.
    """

    tolerance: float
    believed_tolerance: float
    grievance: NDArray[np.float64]
    turnout: NDArray[np.float64]
    observed: NDArray[np.float64]
    risk: NDArray[np.float64]
    cancel: NDArray[np.bool_]
    escalated: NDArray[np.bool_]

    @property
    def p_cancel(self) -> float:
        """The share of simulated counties whose merger the city cancelled."""
        return float(self.cancel.mean())

    @property
    def std_error(self) -> float:
        """The Monte Carlo standard error of :attr:`p_cancel`."""
        p = self.p_cancel
        return math.sqrt(p * (1.0 - p) / self.cancel.size)

    @property
    def p_escalate(self) -> float:
        """The share of simulated counties whose protest escalated."""
        return float(self.escalated.mean())

    def __repr__(self) -> str:
        return (
            f"Simulation(tolerance={self.tolerance:g}, believed_tolerance="
            f"{self.believed_tolerance:g}, reps={self.cancel.size}, "
            f"p_cancel={self.p_cancel:.4f}, std_error={self.std_error:.4f})"
        )

    @property
    def table(self) -> pd.DataFrame:
        """One row per simulated county."""
        return pd.DataFrame(
            {
                "grievance": self.grievance,
                "turnout": self.turnout,
                "observed": self.observed,
                "risk": self.risk,
                "cancel": self.cancel,
                "escalated": self.escalated,
            },
            index=pd.RangeIndex(self.cancel.size, name="county"),
        )

    def _repr_html_(self) -> str:
        return result_html(f"Simulated counties\n{self!r}", self.table, digits=".3f")


def simulate(
    params: ConsentModel,
    tolerance: float,
    believed_tolerance: float,
    reps: int = 20_000,
    seed: int | np.random.Generator | None = None,
    grid_size: int = 801,
) -> Simulation:
    """Simulate ``reps`` counties: grievance, turnout, the city's inference and its decision.

    Each county draws ``g ~ U(0, 1)``, residents turn out at ``n(g; tau)``, the city sees
    ``n + N(0, eta**2)``, computes the posterior mean of ``g**2`` under ``tau_hat`` by
    :func:`posterior_risk`, and cancels iff ``career_cost`` times that mean exceeds
    ``merger_benefit``. Everything is computed for all counties at once.

    Parameters
    ----------
    params : ConsentModel
        The model's parameters.
    tolerance : float
        The tolerance ``tau`` the county chose, between 0 and 1.
    believed_tolerance : float
        The tolerance ``tau_hat`` the city believes it chose, between 0 and 1.
    reps : int, default 20000
        Number of simulated counties.
    seed : int or numpy.random.Generator, optional
        Seed or generator; the same seed gives the same counties.
    grid_size : int, default 801
        Grid size passed to :func:`posterior_risk`.

    Returns
    -------
    Simulation
        The simulated counties; ``.p_cancel`` and ``.std_error`` summarize them.

    Examples
    --------
    >>> sim = simulate(ConsentModel(), 1.0, 0.0, reps=2000, seed=7)
    >>> 0.88 < sim.p_cancel < 0.95
    True
    >>> simulate(ConsentModel(), 1.0, 0.0, reps=2000, seed=7).p_cancel == sim.p_cancel
    True
    """
    params = _check_model(params)
    tau = _check_number(tolerance, "tolerance", low=0.0, high=1.0)
    tau_hat = _check_number(believed_tolerance, "believed_tolerance", low=0.0, high=1.0)
    n = check_positive_int(reps, "reps")
    size = check_positive_int(grid_size, "grid_size")
    rng = as_generator(seed)
    grievance = rng.uniform(0.0, 1.0, n)
    error = rng.standard_normal(n)
    return _simulate(params, tau, tau_hat, grievance, error, size)


def _simulate(
    params: ConsentModel,
    tau: float,
    tau_hat: float,
    grievance: np.ndarray,
    error: np.ndarray,
    size: int,
) -> Simulation:
    true_turnout = _turnout(params, grievance, tau)
    observed = true_turnout + params.observation_noise * error
    risk = _posterior_risk(params, observed, tau_hat, size)
    cancel = params.career_cost * risk > params.merger_benefit
    escalated = true_turnout > params.escalation_turnout
    return Simulation(
        tau,
        tau_hat,
        _frozen(grievance),
        _frozen(true_turnout),
        _frozen(observed),
        _frozen(risk),
        _frozen_bool(cancel),
        _frozen_bool(escalated),
    )


def _frozen_bool(array: np.ndarray) -> NDArray[np.bool_]:
    out = np.array(array, dtype=bool)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, repr=False)
class ScenarioComparison:
    """The three scenarios of the consent-instability model, simulated and computed exactly.

    Attributes
    ----------
    params : ConsentModel
        The parameters used.
    simulations : dict of str to Simulation
        One simulation per scenario, all drawn with the same grievances and observation errors
        (common random numbers), so that differences between scenarios are due to the scenario.
    exact : dict of str to float
        The probability of cancellation per scenario by :func:`cancel_probability`.
    """

    params: ConsentModel
    simulations: dict[str, Simulation]
    exact: dict[str, float]

    @property
    def table(self) -> pd.DataFrame:
        """One row per scenario: tolerances, simulated and exact probabilities of cancellation."""
        rows = []
        for name, sim in self.simulations.items():
            rows.append(
                {
                    "scenario": name,
                    "tolerance": sim.tolerance,
                    "believed_tolerance": sim.believed_tolerance,
                    "p_cancel": sim.p_cancel,
                    "std_error": sim.std_error,
                    "p_cancel_exact": self.exact[name],
                    "p_escalate": sim.p_escalate,
                }
            )
        return pd.DataFrame(rows).rename_axis("order")

    def __repr__(self) -> str:
        return "ScenarioComparison\n" + self.table.to_string(
            index=False, float_format="{:.3f}".format
        )

    def _repr_html_(self) -> str:
        caption = "Scenarios of the consent-instability model, simulated and exact"
        return result_html(caption, self.table, digits=".3f")


def compare_scenarios(
    params: ConsentModel | None = None,
    reps: int = 20_000,
    seed: int | np.random.Generator | None = None,
    scenarios: dict[str, tuple[float, float]] | None = None,
) -> ScenarioComparison:
    """Simulate each scenario with the same counties and compute its exact probability too.

    Parameters
    ----------
    params : ConsentModel, optional
        The model's parameters; the defaults of :class:`ConsentModel` if omitted.
    reps : int, default 20000
        Number of simulated counties per scenario.
    seed : int or numpy.random.Generator, optional
        Seed or generator for the common grievances and observation errors.
    scenarios : dict of str to (float, float), optional
        Name to (tolerance, believed tolerance); :data:`SCENARIOS` if omitted.

    Returns
    -------
    ScenarioComparison
        Its ``.table`` has one row per scenario.

    Examples
    --------
    >>> comparison = compare_scenarios(reps=4000, seed=2024)
    >>> comparison.table.set_index("scenario")["p_cancel_exact"].round(3)
    scenario
    no tolerance                0.415
    tolerance, unanticipated    0.914
    tolerance, anticipated      0.446
    Name: p_cancel_exact, dtype: float64
    >>> bool((abs(comparison.table.p_cancel - comparison.table.p_cancel_exact)
    ...       < 4 * comparison.table.std_error).all())
    True
    """
    params = ConsentModel() if params is None else _check_model(params)
    n = check_positive_int(reps, "reps")
    chosen = dict(SCENARIOS if scenarios is None else scenarios)
    if not chosen:
        raise ValueError("scenarios must name at least one scenario; got none")
    for name, pair in chosen.items():
        if len(tuple(pair)) != 2:
            raise ValueError(
                f"scenario {name!r} must be a pair (tolerance, believed_tolerance); got {pair!r}"
            )
        _check_number(pair[0], f"tolerance of scenario {name!r}", low=0.0, high=1.0)
        _check_number(pair[1], f"believed_tolerance of scenario {name!r}", low=0.0, high=1.0)
    rng = as_generator(seed)
    grievance = rng.uniform(0.0, 1.0, n)
    error = rng.standard_normal(n)
    size = 801
    simulations = {
        name: _simulate(params, float(tau), float(tau_hat), grievance, error, size)
        for name, (tau, tau_hat) in chosen.items()
    }
    exact = {
        name: _cancel_probability(params, float(tau), float(tau_hat), size)
        for name, (tau, tau_hat) in chosen.items()
    }
    return ScenarioComparison(params, simulations, exact)


def escalation_probability(params: ConsentModel, tolerance: ArrayLike) -> NDArray[np.float64]:
    """Return the probability that the protest escalates, ``P(n(g; tau) > escalation_turnout)``.

    Turnout exceeds ``nbar = escalation_turnout`` exactly when ``g > (c(tau) + sigma *
    Phi^-1(nbar)) / a``, so with ``g ~ U(0, 1)`` the probability has a closed form.

    Parameters
    ----------
    params : ConsentModel
        The model's parameters.
    tolerance : array_like
        The tolerance ``tau`` the county chose, between 0 and 1.

    Returns
    -------
    numpy.ndarray
        The probability of escalation for each tolerance.

    Examples
    --------
    >>> escalation_probability(ConsentModel(), [0.0, 0.5, 1.0]).round(2)
    array([0.  , 0.13, 0.38])
    """
    params = _check_model(params)
    tau = _check_tolerance(tolerance, "tolerance")
    cost = params.base_cost - params.tolerance_effect * tau
    cutoff = (cost + params.cost_spread * stats.norm.ppf(params.escalation_turnout)) / (
        params.alignment
    )
    return 1.0 - np.clip(cutoff, 0.0, 1.0)


def escalation_onset(params: ConsentModel) -> float:
    """Return the least tolerance at which a protest can escalate, or ``inf`` if it never can.

    The largest crowd comes from the largest grievance, ``g = 1``; it passes the escalation line
    once ``a - c0 + delta * tau >= sigma * Phi^-1(nbar)``, that is from
    ``tau0 = (c0 + sigma * Phi^-1(nbar) - a) / delta`` on. Below ``tau0`` tolerance carries no
    risk of escalation at all.

    Parameters
    ----------
    params : ConsentModel
        The model's parameters.

    Returns
    -------
    float
        ``tau0`` cut to [0, 1]: 0 when crowds can escalate even without tolerance, ``inf`` when
        they cannot escalate even under full tolerance.

    Examples
    --------
    >>> round(escalation_onset(ConsentModel()), 3)
    0.241
    >>> escalation_onset(ConsentModel(tolerance_effect=0.1))
    inf
    """
    params = _check_model(params)
    needed = params.base_cost + params.cost_spread * stats.norm.ppf(params.escalation_turnout)
    gap = needed - params.alignment
    if gap <= 0:
        return 0.0
    if gap > params.tolerance_effect:
        return math.inf
    return float(gap / params.tolerance_effect)


def county_payoff(
    params: ConsentModel,
    tolerance: ArrayLike,
    discount: float,
    grid_size: int = 801,
) -> pd.DataFrame:
    """Return the county officials' expected payoff from tolerating protest, with a blame cost.

    The county values a cancelled merger at 1 and pays ``blame_cost`` if the protest escalates;
    the city believes the county's tolerance is ``discount * tau`` (when more tolerance pays is
    derived on the book's API page).

    Parameters
    ----------
    params : ConsentModel
        The model's parameters.
    tolerance : array_like
        Tolerances ``tau`` to evaluate, between 0 and 1.
    discount : float
        How much of the county's tolerance the city anticipates, between 0 and 1.
    grid_size : int, default 801
        Grid size passed to :func:`posterior_risk`.

    Returns
    -------
    pandas.DataFrame
        One row per tolerance: ``tolerance``, ``discount``, ``p_cancel`` (exact),
        ``p_escalate`` and ``payoff = p_cancel - blame_cost * p_escalate``.

    Examples
    --------
    >>> table = county_payoff(ConsentModel(), [0.0, 1.0], discount=0.0)
    >>> table.round(3)
       tolerance  discount  p_cancel  p_escalate  payoff
    0        0.0       0.0     0.415        0.00   0.415
    1        1.0       0.0     0.914        0.38   0.724
    """
    params = _check_model(params)
    tau = np.atleast_1d(_check_tolerance(tolerance, "tolerance")).ravel()
    share = _check_number(discount, "discount", low=0.0, high=1.0)
    size = check_positive_int(grid_size, "grid_size")
    cancel = np.array([_cancel_probability(params, t, share * t, size) for t in tau])
    escalate = escalation_probability(params, tau)
    return pd.DataFrame(
        {
            "tolerance": tau,
            "discount": share,
            "p_cancel": cancel,
            "p_escalate": escalate,
            "payoff": cancel - params.blame_cost * escalate,
        }
    )


def sweep(
    params: ConsentModel,
    parameter: str,
    values: Iterable[float],
    scenarios: dict[str, tuple[float, float]] | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Return the exact probability of cancellation per scenario as one parameter varies.

    Parameters
    ----------
    params : ConsentModel
        The baseline parameters.
    parameter : str
        Name of the :class:`ConsentModel` field to vary, such as ``"tolerance_effect"``.
    values : iterable of float
        The values to give it.
    scenarios : dict of str to (float, float), optional
        Name to (tolerance, believed tolerance); :data:`SCENARIOS` if omitted.
    progress : bool, default False
        Show a progress bar over the values.

    Returns
    -------
    pandas.DataFrame
        Long format: one row per value and scenario, with columns ``parameter``'s name,
        ``scenario`` and ``p_cancel``.

    Examples
    --------
    >>> table = sweep(ConsentModel(), "tolerance_effect", [0.0, 0.5])
    >>> wide = table.pivot(index="tolerance_effect", columns="scenario", values="p_cancel")
    >>> print(wide.round(3).to_string())
    scenario          no tolerance  tolerance, anticipated  tolerance, unanticipated
    tolerance_effect
    0.0                      0.415                   0.415                     0.415
    0.5                      0.415                   0.446                     0.914
    """
    params = _check_model(params)
    names = [f.name for f in fields(params) if f.init]
    if parameter not in names:
        raise ValueError(f"parameter must be one of {names}; got {parameter!r}")
    grid = [float(v) for v in values]
    if not grid:
        raise ValueError(f"values must hold at least one value for {parameter!r}; got none")
    chosen = dict(SCENARIOS if scenarios is None else scenarios)
    rows = []
    for value in tqdm(grid, desc=parameter, disable=not progress):
        varied = replace(params, **{parameter: value})
        for name, (tau, tau_hat) in chosen.items():
            p = _cancel_probability(varied, float(tau), float(tau_hat), 801)
            rows.append({parameter: value, "scenario": name, "p_cancel": p})
    return pd.DataFrame(rows)

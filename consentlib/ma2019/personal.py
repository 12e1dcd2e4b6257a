"""Personal versions of the survey experiment: one reproducible dataset per student.

An instructor who assigns the book's exercises wants every student to work on different numbers,
so that an answer copied from a classmate is wrong. :func:`personal_data` draws, from a student's
identifier, a perturbed set of design targets (how many officials each enumerator interviewed in
each arm, the arm means, each enumerator's level, the spread of responses and how many did not
answer) and builds the data with the same machinery that calibrates the book's synthetic data:
each enumerator-by-arm cell gets 1-5 responses with exactly the targeted sum and sum of squares,
drawn from a smooth distribution, and the Table 1 covariates are drawn and balanced across arms
as for the shipped file. The identifier alone fixes the result: the same identifier gives the same
data on every machine, and different identifiers give different arm sizes, effects, enumerator
levels and noise.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from consentlib.ma2019.calibration import (
    ARM_MEANS,
    ARM_TOTALS,
    ENUMERATOR_SD,
    ENUMERATORS,
    N_MISSING,
    N_RESPONDENTS,
    RESPONSE_SD,
    assemble_survey,
    attainable_squares,
    cell_responses,
    draw_covariates,
)

__all__ = ["PersonalTargets", "personal_data", "personal_targets"]

# The smallest number of answering officials in one enumerator-by-arm cell.
_MIN_CELL = 3


@dataclass(frozen=True)
class PersonalTargets:
    """The design targets drawn from one student's identifier.

    Attributes
    ----------
    counts : numpy.ndarray
        Answering officials per enumerator (rows, ``E1`` to ``E8``) and arm (columns: control,
        treatment, placebo).
    missing : numpy.ndarray
        Officials with no answer, in the same layout.
    arm_means : numpy.ndarray
        The targeted mean response in each arm (before the enumerator levels).
    enumerator_levels : numpy.ndarray
        Each enumerator's shift of the mean response; they average zero.
    response_sd : numpy.ndarray
        The targeted within-cell standard deviation of responses in each arm.
    """

    counts: np.ndarray
    missing: np.ndarray
    arm_means: np.ndarray
    enumerator_levels: np.ndarray
    response_sd: np.ndarray


def _seed(student_id: str | int) -> int:
    """A 64-bit seed from an identifier, the same on every machine and Python version."""
    if isinstance(student_id, bool) or not isinstance(student_id, str | int):
        raise TypeError(
            f"student_id must be a str or an int, got {type(student_id).__name__} {student_id!r}"
        )
    text = str(student_id).strip()
    if not text:
        raise ValueError("student_id is empty; expected a non-empty identifier such as 'ab1234'")
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")


def personal_targets(student_id: str | int) -> PersonalTargets:
    """Draw the design targets of one student's personal dataset.

    Parameters
    ----------
    student_id : str or int
        The student's identifier (a login or a student number); surrounding spaces are ignored.

    Returns
    -------
    PersonalTargets
        Cell counts, missing answers, arm means, enumerator levels and response spreads.

    Examples
    --------
    >>> targets = personal_targets("ab1234")
    >>> int(targets.counts.sum() + targets.missing.sum())
    368
    >>> bool((personal_targets("ab1234").counts == targets.counts).all())
    True
    """
    rng = np.random.default_rng(_seed(student_id))
    n_missing = int(rng.integers(N_MISSING - 10, N_MISSING + 11))
    answering = N_RESPONDENTS - n_missing
    shares = rng.dirichlet(ARM_TOTALS * 0.5)
    arm_totals = rng.multinomial(answering, shares)
    while arm_totals.min() < 90:  # keep every arm large enough for the book's estimators
        arm_totals = rng.multinomial(answering, rng.dirichlet(ARM_TOTALS * 0.5))
    k = len(ENUMERATORS)
    enumerator_shares = rng.dirichlet(np.full(k, 12.0))
    counts = np.column_stack(
        [
            _MIN_CELL + rng.multinomial(total - _MIN_CELL * k, enumerator_shares)
            for total in arm_totals
        ]
    )
    missing = rng.multinomial(n_missing, (counts / counts.sum()).ravel()).reshape(counts.shape)
    # Effects: the control mean moves a little, the two effects more, so that each student's
    # treatment and placebo effects differ visibly from the book's (0.76 and 0.32).
    control = ARM_MEANS[0] + rng.normal(0, 0.15)
    effects = np.array([rng.uniform(0.35, 1.05), rng.uniform(0.0, 0.6)])
    arm_means = np.array([control, control + effects[0], control + effects[1]])
    levels = rng.normal(0, ENUMERATOR_SD * rng.uniform(0.8, 2.0), k)
    levels -= levels.mean()
    response_sd = RESPONSE_SD * rng.uniform(0.75, 1.15)
    return PersonalTargets(counts, missing, arm_means, levels, response_sd)


def _cell_targets(n: int, mean: float, sd: float) -> tuple[int, int]:
    """The integer sum and the attainable sum of squares of n responses nearest the targets."""
    total = int(np.clip(round(n * mean), n, 5 * n))
    attainable = attainable_squares(n, total)
    aim = total**2 / n + sd**2 * (n - 1)
    return total, int(attainable[np.argmin(np.abs(attainable - aim))])


def personal_data(student_id: str | int) -> pd.DataFrame:
    """Build one student's personal version of the survey experiment.

    Parameters
    ----------
    student_id : str or int
        The student's identifier; the same identifier always gives the same data.

    Returns
    -------
    pandas.DataFrame
        368 officials with the columns and dtypes of :func:`consentlib.data.replication_data`,
        but their own arm sizes, effects, enumerator levels and noise.

    Examples
    --------
    >>> data = personal_data("ab1234")
    >>> data.shape
    (368, 13)
    >>> personal_data("ab1234").equals(data)
    True
    >>> personal_data("cd5678").equals(data)
    False
    """
    targets = personal_targets(student_id)
    rng = np.random.default_rng(_seed(student_id) + 1)
    responses = []
    for e, row in enumerate(targets.counts):
        cells = []
        for arm, n in enumerate(row):
            mean = float(np.clip(targets.arm_means[arm] + targets.enumerator_levels[e], 1.2, 4.8))
            total, squares = _cell_targets(int(n), mean, float(targets.response_sd[arm]))
            cells.append(cell_responses(int(n), total, squares, rng))
        responses.append(cells)
    return assemble_survey(responses, targets.missing, draw_covariates(rng), rng, n_assignments=200)

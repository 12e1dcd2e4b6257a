"""Helpers that the exercises' checks call; each raises ``AssertionError`` without the answer.

A check must tell a student that an answer is wrong without printing the right one, so these
helpers never put the expected value in their message.
"""

from __future__ import annotations

import math
from numbers import Real

__all__ = ["check_number"]


def check_number(
    value: object, expected: float, *, rel: float = 1e-6, abs_tol: float = 1e-9
) -> None:
    """Assert that ``value`` is a number close to ``expected``, without revealing ``expected``.

    Parameters
    ----------
    value : object
        The student's answer.
    expected : float
        The right answer, computed by the check from the student's data.
    rel, abs_tol : float
        Relative and absolute tolerance (as in ``math.isclose``).

    Raises
    ------
    AssertionError
        If ``value`` is missing (``...``), not a real number, or not close to ``expected``.

    Examples
    --------
    >>> check_number(0.25, 1 / 4)
    >>> check_number(0.3, 1 / 4)
    Traceback (most recent call last):
    ...
    AssertionError: the number is not the one computed from your data
    """
    if value is Ellipsis or value is None:
        raise AssertionError("no answer yet: replace ... with your computation")
    if isinstance(value, bool) or not isinstance(value, Real):
        raise AssertionError(f"expected a single number, got a {type(value).__name__}")
    if not math.isclose(float(value), float(expected), rel_tol=rel, abs_tol=abs_tol):
        raise AssertionError("the number is not the one computed from your data")

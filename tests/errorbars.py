"""Read back what an error-bar figure drew, for the figure tests of every folder."""

from __future__ import annotations

import numpy as np


def points(container) -> tuple[np.ndarray, np.ndarray]:
    """The x and y of an error-bar container's markers."""
    line = container.lines[0]
    return np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)


def intervals(container) -> np.ndarray:
    """The (low, high) ends of an error-bar container's horizontal bars."""
    segments = container.lines[2][0].get_segments()
    return np.array([[segment[0][0], segment[1][0]] for segment in segments])

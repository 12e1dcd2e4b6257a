"""Shared test configuration.

Property tests draw their examples from a fixed seed, so that a run on CI tests exactly what a
run here tested: the same inputs give the same outcome every time. Figures a test draws are
closed after it.
"""

import sys

import pytest
from hypothesis import settings

settings.register_profile("consentlib", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("consentlib")


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test drew (only if it used pyplot), so that none piles up."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")

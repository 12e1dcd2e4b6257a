"""Shared test configuration.

Property tests draw their examples from a fixed seed, so that a run on CI tests exactly what a
run here tested: the same inputs give the same outcome every time.
"""

from hypothesis import settings

settings.register_profile("consentlib", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("consentlib")

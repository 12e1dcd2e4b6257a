"""consentlib: the companion library of the *Consent to Contend* textbook.

``import consentlib as cl`` is the front door: designs, estimators, inference, power and the
data loaders are all reached from here, each under one name.

Examples
--------
>>> import consentlib as cl
>>> isinstance(cl.__version__, str)
True
>>> cl.complete_ra(4, ["control", "treatment"], seed=1).tolist().count("treatment")
2
"""

from consentlib.data import broockman_data, cases, replication_data, student_data
from consentlib.estimation import balance_table, contrast, difference_in_means, ols
from consentlib.heterogeneity import subgroup_effects
from consentlib.inference import randomization_confidence_set, randomization_inference
from consentlib.ordinal import ordered_model
from consentlib.randomization import Design, block_ra, complete_ra, rerandomize
from consentlib.simulation import simulate_power

__version__ = "0.1.0"

__all__ = [
    "Design",
    "__version__",
    "balance_table",
    "block_ra",
    "broockman_data",
    "cases",
    "complete_ra",
    "contrast",
    "difference_in_means",
    "ols",
    "ordered_model",
    "randomization_confidence_set",
    "randomization_inference",
    "replication_data",
    "rerandomize",
    "simulate_power",
    "student_data",
    "subgroup_effects",
]

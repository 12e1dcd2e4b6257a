"""The datasets the book uses, shipped inside the package so that nothing is downloaded.

Respondent-level survey data in this package are synthetic: the article's microdata are not
public. See each loader's docstring for what its data are and are not.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd


def _read_packaged_csv(filename: str, **read_csv_kwargs) -> pd.DataFrame:
    """Read a CSV file from ``consentlib/datasets``."""
    path = resources.files("consentlib") / "datasets" / filename
    with resources.as_file(path) as local_path:
        return pd.read_csv(local_path, **read_csv_kwargs)

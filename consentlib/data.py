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


#: The levels of the categorical columns of :func:`cases`, in display order.
CASE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "issue_area": ("redistricting", "high-speed rail station"),
    "mode": ("street protest", "signature drive", "elite resistance"),
    "scale": ("elite only", "thousands", "ten thousand or more"),
    "official_involvement": (
        "tolerance and participation",
        "involvement found by investigation",
        "officials opposed openly",
        "retired officials opposed",
        "not documented",
    ),
    "facts_from": ("article", "article and other sources", "other sources"),
}

_CASE_BOOLEANS = ("business_role", "violence", "demand_met", "formal_sanctions")


def cases() -> pd.DataFrame:
    """Load the comparison cases of consent instability, one row per case.

    The article's own case, county C, is the first row and stays anonymous (county C, city H,
    province K). The other rows are the redistricting disputes and the high-speed railway station
    movements that the article names, and three more cases known from press reports. Every
    fact is either stated in the article or was read in a cited source; ``facts_from`` says which.
    A missing value (``<NA>``) means the sources used do not record the fact, not that it did
    not happen.

    Returns
    -------
    pandas.DataFrame
        One row per case, with these columns:

        ``case_id`` (str)
            A short unique identifier, such as ``"county-c"`` or ``"daye-2005"``.
        ``year`` (int64)
            The year of the main mobilization (for a multi-year contest, the year it began).
        ``place`` (str)
            The locality whose status or station was at stake; ``"county C"`` for the
            article's case.
        ``province`` (str)
            The province or provincial-level city; ``"province K"`` for county C.
        ``issue_area`` (category)
            ``"redistricting"`` (conversion into a district, or moving a government seat) or
            ``"high-speed rail station"``.
        ``demand`` (str)
            What the locality's protesters or officials asked for.
        ``mode`` (category)
            The main form of action: ``"street protest"``, ``"signature drive"`` or
            ``"elite resistance"`` (opposition by officials, delegates or retired cadres with no
            reported mass action).
        ``scale`` (ordered category)
            ``"elite only"`` < ``"thousands"`` (1,000 to under 10,000, or reported as
            "thousands") < ``"ten thousand or more"`` (participants or signatures).
        ``scale_reported`` (str)
            The size as the sources give it, in their words and numbers.
        ``intermediaries`` (str)
            Who organized or stood between officials and the crowd, or ``"none reported"``.
        ``business_role`` (boolean)
            Whether business people or their associations took an organizing role; ``<NA>``
            where the sources do not say who organized.
        ``violence`` (boolean)
            Whether attacks on people, buildings or property were reported.
        ``official_involvement`` (category)
            What is known of local officials' part: ``"tolerance and participation"``,
            ``"involvement found by investigation"``, ``"officials opposed openly"``,
            ``"retired officials opposed"`` or ``"not documented"``.
        ``demand_met`` (boolean)
            Whether the locality got what it asked for; ``<NA>`` where not recorded.
        ``outcome`` (str)
            The outcome in words.
        ``formal_sanctions`` (boolean)
            Whether officials were formally punished; ``<NA>`` where not recorded.
        ``sanctions`` (str)
            The sanctions, or informal warnings, in words.
        ``notes`` (str)
            Further details worth knowing when reading the row.
        ``facts_from`` (category)
            Where the row's facts come from: ``"article"``, ``"article and other sources"``
            or ``"other sources"``.
        ``source_keys`` (str)
            Citation keys of the book's bibliography, separated by ``";"`` (empty if none).
        ``other_sources`` (str)
            Press reports and other sources without a bibliography entry, separated by ``";"``
            (empty if none).

    Examples
    --------
    >>> data = cases()
    >>> data.loc[0, ["case_id", "place", "province"]].tolist()
    ['county-c', 'county C', 'province K']
    >>> int(data.loc[0, "year"])
    2013
    >>> data["scale"].cat.categories.tolist()
    ['elite only', 'thousands', 'ten thousand or more']
    """
    data = _read_packaged_csv(
        "cases.csv",
        dtype={"year": "int64", **dict.fromkeys(_CASE_BOOLEANS, "boolean")},
        keep_default_na=False,
        na_values={column: [""] for column in _CASE_BOOLEANS},
    )
    for column, levels in CASE_CATEGORIES.items():
        data[column] = pd.Categorical(data[column], categories=levels, ordered=column == "scale")
    return data

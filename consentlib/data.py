"""The datasets the book uses, shipped inside the package so that nothing is downloaded.

Respondent-level survey data in this package are synthetic: the article's microdata are not
public. See each loader's docstring for what its data are and are not.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

from consentlib._validation import DEFAULT_CONDITIONS


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
        "officials opposed",
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
            "thousands") < ``"ten thousand or more"`` (participants or signatures). Where the
            article describes the size, its description decides the level.
        ``scale_reported`` (str)
            The size as the sources give it, in their words and numbers.
        ``intermediaries`` (str)
            Who organized or stood between officials and the crowd, or ``"none reported"``.
        ``business_role`` (boolean)
            Whether business people or their associations took an organizing role; ``<NA>``
            where the sources do not say whether they did.
        ``violence`` (boolean)
            Whether attacks on people, buildings or property were reported.
        ``official_involvement`` (category)
            What is known of local officials' part: ``"tolerance and participation"``,
            ``"involvement found by investigation"``, ``"officials opposed"``,
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
            Citation keys of the book's bibliography, separated by ``";"`` (empty if none): the
            article and every press report or other source the row draws on.
        ``other_sources`` (str)
            The same non-article sources named in words, as a reader would look them up,
            separated by ``";"`` (empty if none).

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


#: The columns of :func:`replication_data`, in file order.
REPLICATION_COLUMNS: tuple[str, ...] = (
    "respondent_id",
    "enumerator",
    "condition",
    "support",
    "male",
    "age",
    "college",
    "party_years",
    "service_years",
    "rank_department_chief",
    "rank_section_chief",
    "rank_deputy_section_chief",
    "leadership",
)


def replication_data() -> pd.DataFrame:
    """Load the SYNTHETIC survey-experiment data, calibrated to the article's Tables 1 to 4.

    **These data are synthetic.** The article's survey microdata are not public; no row here
    is a real official. The file was generated by ``consentlib.ma2019.calibration``, which searches
    for integer responses, arm and enumerator assignments and covariates that reproduce the
    published numbers, and regenerates this file exactly from its seed.

    What the data reproduce, when rounded to the printed digits:

    - Table 1's nine means, computed over all 368 respondents (the table's N), answered or not.
    - Tables 2 to 4: each an OLS regression of ``support`` on the indicator of one arm plus
      enumerator fixed effects (base ``"E1"``, the first in sorted order), fitted to the
      answered respondents of two arms, with classical standard errors. Every estimate,
      standard error, t value and p-value is reached except two intercepts. Table 2's
      printed 2.9403 cannot be reached together with the other printed numbers; the data give
      2.9400. Table 4's printed 3.4643 can be reached only at the very edge of its rounding
      window (an intercept of exactly 3.46425 with a coefficient of exactly 0.43375); the data
      give 3.4642. Both statements assume classical standard errors, ``"E1"`` as the base,
      base-enumerator cells shared by the three tables, and at most 368 respondents;
      the API page explains why.
    - The sample sizes: 368 respondents, of whom 346 answered (112 control, 113 treatment,
      121 placebo), and eight enumerators.

    What they cannot tell: anything the published tables do not pin down. The shape of the
    response distributions, the enumerator effects, who did not answer, the covariates of any
    individual, and every relation between covariates and responses are inventions of the
    generator (the covariates are drawn independently of the responses, so subgroup effects
    or covariate adjustment say nothing about the real officials). Use the data to reproduce
    and understand the published analysis, not to learn new facts about the respondents.

    Returns
    -------
    pandas.DataFrame
        One row per respondent (368 rows), in the order of a survey file (class by class),
        with these columns:

        ``respondent_id`` (int64)
            1 to 368, in file order.
        ``enumerator`` (str)
            The staff member who ran the respondent's class, ``"E1"`` to ``"E8"``. ``"E1"``
            sorts first and is the base of the enumerator fixed effects.
        ``condition`` (category)
            The vignette the respondent read: ``"control"``, ``"treatment"`` (local people
            demand the project) or ``"placebo"`` (the district secretary claims they do).
        ``support`` (Int64)
            Support for the earmark, 1 (strongly oppose) to 5 (strongly support); ``<NA>`` for
            the 22 respondents who are not analyzed.
        ``male`` (int64)
            1 = male, 0 = female.
        ``age`` (int64)
            Age in years.
        ``college`` (int64)
            1 = college degree or above.
        ``party_years`` (int64)
            Years of Communist Party membership (0 for a non-member); at most ``age - 18``.
        ``service_years`` (int64)
            Years of service in government; at least 1 and at most ``age - 18``.
        ``rank_department_chief`` (int64)
            1 = rank at or above department chief (chuji).
        ``rank_section_chief`` (int64)
            1 = rank at or above section chief (keji); 1 whenever ``rank_department_chief`` is.
        ``rank_deputy_section_chief`` (int64)
            1 = rank at or above deputy section chief (fu keji); 1 whenever
            ``rank_section_chief`` is.
        ``leadership`` (int64)
            1 = holds a leadership position at the work unit (danwei).

    Examples
    --------
    >>> data = replication_data()
    >>> data.shape
    (368, 13)
    >>> data["condition"].value_counts(sort=False).to_dict()
    {'control': 117, 'treatment': 119, 'placebo': 132}
    >>> data.dropna(subset=["support"]).groupby("condition", observed=True).size().to_dict()
    {'control': 112, 'treatment': 113, 'placebo': 121}
    >>> round(float(data["service_years"].mean()), 2)
    18.77
    """
    raw = _read_packaged_csv(
        "replication.csv",
        dtype={"enumerator": "str", "condition": "str", "support": "Int64"},
    )
    return replication_frame(raw)


def replication_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Give the replication data their column order and dtypes (shared with the generator)."""
    data = raw[list(REPLICATION_COLUMNS)].copy()
    data["respondent_id"] = data["respondent_id"].astype("int64")
    data["enumerator"] = data["enumerator"].astype("str")
    data["condition"] = pd.Categorical(
        data["condition"].astype("str"), categories=list(DEFAULT_CONDITIONS)
    )
    data["support"] = data["support"].astype("Int64")
    for column in REPLICATION_COLUMNS[4:]:
        data[column] = data[column].astype("int64")
    return data


def student_data(student_id: str | int) -> pd.DataFrame:
    """Load one student's personal version of the survey experiment.

    Each identifier gives its own reproducible dataset, built by the same machinery that
    calibrates :func:`replication_data` but from design targets (arm sizes, effects, enumerator
    levels, noise) drawn from the identifier; see ``consentlib.ma2019.personal``. An
    instructor gives each student an identifier, and the exercises' checks compute the right
    answer from that student's own data, so an answer copied from a classmate fails.

    Parameters
    ----------
    student_id : str or int
        The student's identifier, such as a login or a student number.

    Returns
    -------
    pandas.DataFrame
        368 officials with the columns and dtypes of :func:`replication_data`.

    Raises
    ------
    TypeError
        If ``student_id`` is neither a string nor an integer.
    ValueError
        If ``student_id`` is empty.

    Examples
    --------
    >>> mine = student_data("ab1234")
    >>> mine.shape
    (368, 13)
    >>> mine.equals(student_data("ab1234"))
    True
    >>> mine.equals(student_data("cd5678"))
    False
    """
    from consentlib.ma2019.personal import personal_data

    return personal_data(student_id)


#: Where the Broockman (2013) data come from, and the terms under which they are shipped.
BROOCKMAN_SOURCE: str = (
    "Broockman, D. E. (2013). Black politicians are more intrinsically motivated to advance "
    "Blacks' interests: A field experiment manipulating political incentives. American Journal "
    "of Political Science, 57(3), 521-536. Data as distributed in the Python package causaldata "
    "0.1.5 (dataset black_politicians), by Nick Huntington-Klein, under the MIT licence."
)


def broockman_data() -> pd.DataFrame:
    """Load Broockman's (2013) field experiment on U.S. state legislators' replies to email.

    In 2010, Broockman emailed 5,593 state legislators a short request for help from a Black
    constituent-to-be, and randomized whether the sender said he lived inside the legislator's
    district or outside it (where he could not vote for the legislator). The question: do Black
    legislators keep answering Black citizens when the electoral incentive is gone, more than
    non-Black legislators do? The data are the version distributed with the ``causaldata``
    package (MIT licence), shipped here unchanged with two label columns added; see
    :data:`BROOCKMAN_SOURCE`.

    Returns
    -------
    pandas.DataFrame
        One row per legislator (5,593 rows): the 14 original columns (``leg_black``,
        ``treat_out``, ``responded``, district and legislator characteristics; see the data
        dictionary) and two labels used by the book's estimators:

        ``condition`` (category)
            ``"in-district"`` or ``"out-of-district"``: the randomized sender (``treat_out``).
        ``legislator`` (category)
            ``"Black"`` or ``"non-Black"`` (``leg_black``), the moderator of the study.

    Examples
    --------
    >>> data = broockman_data()
    >>> data.shape
    (5593, 16)
    >>> data["condition"].value_counts(sort=False).to_dict()
    {'in-district': 2814, 'out-of-district': 2779}
    >>> round(float(data["responded"].mean()), 4)
    0.4229
    """
    data = _read_packaged_csv("broockman2013.csv")
    data["condition"] = pd.Categorical(
        data["treat_out"].map({0: "in-district", 1: "out-of-district"}),
        categories=["in-district", "out-of-district"],
    )
    data["legislator"] = pd.Categorical(
        data["leg_black"].map({1: "Black", 0: "non-Black"}), categories=["Black", "non-Black"]
    )
    return data

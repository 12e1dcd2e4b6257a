"""The numbers printed in the article's Tables 1–4, exactly as printed.

Source: Xiao Ma (2019), "Consent to Contend", *The China Review* 19(1), Table 1 ("Descriptive
Statistics of the Subjects (N = 368)") and Tables 2–4 (OLS of support on the arm indicator with
enumerator fixed effects). Values are kept as the printed strings, so that the number of printed
digits, which decides what "reproduced" means, travels with each value.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The rows of Table 1, each the variable's label in the article, its column in the
#: replication data, and the printed mean.
TABLE1: tuple[tuple[str, str, str], ...] = (
    ("Male (1 = male, 0 = female)", "male", "0.62"),
    ("Age", "age", "41"),
    ("College degree or above (1 = yes)", "college", "0.89"),
    ("Party experience (years)", "party_years", "16.24"),
    ("Length of service in government (years)", "service_years", "18.77"),
    ("Rank at or above department chief (1 = yes)", "rank_department_chief", "0.30"),
    ("Rank at or above section chief (1 = yes)", "rank_section_chief", "0.56"),
    ("Rank at or above deputy section chief (1 = yes)", "rank_deputy_section_chief", "0.83"),
    ("Hold leadership position at work unit (1 = yes)", "leadership", "0.60"),
)

#: The number of respondents in Table 1.
N_TABLE1 = 368
#: The number of officials the article's introduction says took part in the survey.
N_ANALYZED_IN_TEXT = 346


@dataclass(frozen=True)
class PublishedRow:
    """One printed row of Tables 2–4: estimate, standard error, t value and p-value."""

    estimate: str
    std_error: str
    statistic: str
    p_value: str
    #: Values the calibration accepts for the estimate when the printed one cannot be reached
    #: together with everything else (Table 2) or only at the edge of its rounding window (Table 4).
    attainable: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublishedTable:
    """One of Tables 2–4: which arms it compares and its two printed rows."""

    number: int
    title: str
    reference: str
    treated: str
    intercept: PublishedRow
    effect: PublishedRow


TABLES: tuple[PublishedTable, ...] = (
    PublishedTable(
        2,
        "Baseline Result: Comparing the Control and Treatment Groups",
        reference="control",
        treated="treatment",
        # The printed intercept 2.9403 cannot be reached with the other printed numbers: with
        # enumerator dummies n1 * intercept + n_b1 * effect is an integer sum of responses, and
        # the printed t of 14.769 implies an intercept of about 2.9400.
        intercept=PublishedRow("2.9403", "0.19907", "14.769", "<0.001", ("2.9400", "2.9401")),
        effect=PublishedRow("0.7628", "0.13271", "5.748", "<0.001"),
    ),
    PublishedTable(
        3,
        "Comparing the Control and Placebo Groups",
        reference="control",
        treated="placebo",
        intercept=PublishedRow("3.1948", "0.2173", "14.70", "<0.001"),
        effect=PublishedRow("0.3223", "0.1461", "2.206", "0.0284"),
    ),
    PublishedTable(
        4,
        "Comparing the Placebo and Treatment Groups",
        reference="placebo",
        treated="treatment",
        # The printed intercept 3.4643 is reached only at the edge of its rounding window
        # (exactly 3.46425, with a coefficient of exactly 0.43375), so 3.4642 is accepted too.
        intercept=PublishedRow("3.4643", "0.1885", "18.382", "<0.001", ("3.4642", "3.4643")),
        effect=PublishedRow("0.4338", "0.1284", "3.377", "<0.001"),
    ),
)


def decimals(printed: str) -> int:
    """How many digits a printed number has after its decimal point.

    Parameters
    ----------
    printed : str
        A number as printed, possibly a bound such as "<0.001".

    Returns
    -------
    int

    Examples
    --------
    >>> decimals("0.19907"), decimals("41"), decimals("<0.001")
    (5, 0, 3)
    """
    number = printed.lstrip("<")
    return len(number.split(".")[1]) if "." in number else 0

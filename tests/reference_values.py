"""The article's published numbers for the survey experiment, the one place tests take them from.

Source: Xiao Ma (2019), "Consent to Contend: The Power of the Masses in China's Local Elite
Bargain", *The China Review* 19(1): 1-29, section 5 ("Assessing the Power of the Masses"):
Table 1, "Descriptive Statistics of the Subjects (N = 368)", and Tables 2-4, each an OLS of
support for the earmark on an arm indicator with enumerator fixed effects. The abstract gives
the analyzed sample as 346 officials. Every number was typed from the article's text,
independently of the library, so that a test comparing the library's output to these values
can fail.

Each value is typed once, as the printed string (``PRINTED``), because the number of printed
digits decides what "reproduced" means. ``TABLE1`` to ``TABLE4`` are the same values as floats,
keyed by table, term and quantity; :func:`decimals` and :func:`window` give the printed
precision.

Two printed intercepts cannot be reached together with everything else in Tables 2-4 (with
enumerator dummies, ``n1 * intercept + n_b1 * coefficient`` is an integer sum of responses, and
``(SE_intercept / SE_coefficient) ** 2 = W / n1 + p1 ** 2`` depends on the design alone; no design
satisfies both identities in all three tables at the printed digits). Their attainable values
are in ``ATTAINABLE``: Table 2's intercept 2.9400 or 2.9401 (printed 2.9403; the printed t of
14.769 is itself consistent only with about 2.9400) and Table 4's 3.4642 or 3.4643. (A check
of every base-enumerator size from 2 to 59 per arm finds a single feasible one, 14 control,
14 treatment and 16 placebo, with which the intercepts come out at 2.9400 and 3.4642.)
"""

from __future__ import annotations

#: Table 1's N, and the number of analyzed officials given in the abstract.
N_TABLE1 = 368
N_ANALYZED = 346

#: p-values printed as "<0.001" are below this bound.
P_BELOW = 0.001

#: Every number as printed. "<0.001" p-values appear as that string.
PRINTED: dict[str, dict[str, object]] = {
    "table1": {
        "male": "0.62",
        "age": "41",
        "college": "0.89",
        "party_years": "16.24",
        "service_years": "18.77",
        "rank_department_chief": "0.30",
        "rank_section_chief": "0.56",
        "rank_deputy_section_chief": "0.83",
        "leadership": "0.60",
    },
    # Table 2: Baseline Result: Comparing the Control and Treatment Groups.
    "table2": {
        "intercept": {
            "estimate": "2.9403",
            "std_error": "0.19907",
            "statistic": "14.769",
            "p_value": "<0.001",
        },
        "treatment": {
            "estimate": "0.7628",
            "std_error": "0.13271",
            "statistic": "5.748",
            "p_value": "<0.001",
        },
    },
    # Table 3: Comparing the Control and Placebo Groups.
    "table3": {
        "intercept": {
            "estimate": "3.1948",
            "std_error": "0.2173",
            "statistic": "14.70",
            "p_value": "<0.001",
        },
        "placebo": {
            "estimate": "0.3223",
            "std_error": "0.1461",
            "statistic": "2.206",
            "p_value": "0.0284",
        },
    },
    # Table 4: Comparing the Placebo and Treatment Groups.
    "table4": {
        "intercept": {
            "estimate": "3.4643",
            "std_error": "0.1885",
            "statistic": "18.382",
            "p_value": "<0.001",
        },
        "treatment": {
            "estimate": "0.4338",
            "std_error": "0.1284",
            "statistic": "3.377",
            "p_value": "<0.001",
        },
    },
}

#: The arms each of Tables 2-4 compares: (reference arm, indicated arm).
CONTRASTS: dict[str, tuple[str, str]] = {
    "table2": ("control", "treatment"),
    "table3": ("control", "placebo"),
    "table4": ("placebo", "treatment"),
}

#: The values an estimate can reach together with every other number, where the printed one
#: cannot (see the module docstring); each is still read to four decimals.
ATTAINABLE: dict[tuple[str, str], tuple[float, ...]] = {
    ("table2", "intercept"): (2.9400, 2.9401),
    ("table4", "intercept"): (3.4642, 3.4643),
}


def _as_number(printed: str) -> float | str:
    return printed if printed.startswith("<") else float(printed)


TABLE1: dict[str, float] = {k: float(v) for k, v in PRINTED["table1"].items()}
TABLE2, TABLE3, TABLE4 = (
    {
        term: {quantity: _as_number(value) for quantity, value in row.items()}
        for term, row in PRINTED[table].items()
    }
    for table in ("table2", "table3", "table4")
)
TABLES: dict[str, dict] = {"table1": TABLE1, "table2": TABLE2, "table3": TABLE3, "table4": TABLE4}


def decimals(table: str, *keys: str) -> int:
    """The number of printed decimals of a value.

    ``decimals("table3", "intercept", "statistic")`` is 2 (printed 14.70).
    """
    printed = PRINTED[table]
    for key in keys:
        printed = printed[key]
    return len(printed.partition(".")[2])


def window(table: str, *keys: str) -> tuple[float, float]:
    """The half-open interval of values that round to the printed digits of a value.

    For the two intercepts in ``ATTAINABLE`` the interval spans their attainable values instead;
    for a p-value printed as "<0.001" it is [0, 0.001).
    """
    value = TABLES[table]
    for key in keys:
        value = value[key]
    if isinstance(value, str):
        return 0.0, P_BELOW
    half = 0.5 * 10.0 ** -decimals(table, *keys)
    attainable = ATTAINABLE.get((table, keys[0])) if keys[-1] == "estimate" else None
    if attainable:
        return min(attainable) - half, max(attainable) + half
    return value - half, value + half

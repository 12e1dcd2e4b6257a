"""Tables 1–4 of Ma (2019) recomputed from respondent-level data, beside the printed numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from consentlib._linalg import INTERCEPT
from consentlib._validation import check_columns, check_dataframe
from consentlib.estimation import ols
from consentlib.ma2019.checks import matches_printed
from consentlib.ma2019.published import TABLE1, TABLES
from consentlib.results import EstimationResult, result_html

__all__ = ["ReplicatedTables", "replicate_tables"]


class ReplicatedTables:
    """Tables 1–4 of the article recomputed from respondent-level data.

    Attributes
    ----------
    table1 : pandas.DataFrame
        The mean of each Table 1 variable over all respondents, with the article's labels.
    fits : dict of int to EstimationResult
        The regressions behind Tables 2, 3 and 4 (classical standard errors, enumerator fixed
        effects, the two arms' respondents with a response).
    """

    def __init__(self, table1: pd.DataFrame, fits: dict[int, EstimationResult]) -> None:
        self.table1 = table1
        self.fits = fits

    @property
    def table(self) -> pd.DataFrame:
        """Every printed number beside its reproduction, tidy (as :meth:`comparison`)."""
        return self.comparison()

    def _repr_html_(self) -> str:
        table = self.table
        caption = (
            f"Tables 1-4 of Ma (2019) recomputed\n{int(table['matches'].sum())} of {len(table)} "
            f"printed numbers reproduced"
        )
        return result_html(caption, table)

    def as_printed(self, number: int) -> pd.DataFrame:
        """Table 2, 3 or 4 in the article's layout."""
        specs = {t.number: t for t in TABLES}
        if number not in specs:
            raise ValueError(f"number must be one of {sorted(specs)}; got {number!r}")
        spec = specs[number]
        rows = self.fits[number].table.loc[[INTERCEPT, spec.treated]]
        laid_out = rows[["estimate", "std_error", "statistic", "p_value"]].copy()
        laid_out.columns = ["Estimate", "Std. Error", "t value", "Pr(>|t|)"]
        laid_out.index = [f"Intercept ({spec.reference})", spec.treated.capitalize()]
        return laid_out

    def comparison(self) -> pd.DataFrame:
        """Every published number beside the reproduced one, with whether it matches.

        A number matches when it rounds to the printed digits (a printed "<0.001" is matched by
        anything below 0.001). For the two intercepts that no dataset can reach together with
        the rest, ``target`` lists the attainable values, the match is judged on them, and
        ``alternative_target`` is True.
        """
        rows = []
        for label, _, printed in TABLE1:
            value = float(self.table1.loc[label, "Mean"])
            rows.append(("Table 1", label, "mean", printed, printed, value))
        for spec in TABLES:
            table = self.fits[spec.number].table
            for term, published in ((INTERCEPT, spec.intercept), (spec.treated, spec.effect)):
                name = f"Intercept ({spec.reference})" if term == INTERCEPT else spec.treated
                for field in ("estimate", "std_error", "statistic", "p_value"):
                    printed = getattr(published, field)
                    target = printed
                    if field == "estimate" and published.attainable:
                        target = " or ".join(published.attainable)
                    value = float(table.loc[term, field])
                    rows.append((f"Table {spec.number}", name, field, printed, target, value))
        frame = pd.DataFrame(
            rows, columns=["table", "row", "quantity", "published", "target", "reproduced"]
        )
        frame["difference"] = [
            np.nan if p.startswith("<") else v - float(p)
            for p, v in zip(frame["published"], frame["reproduced"], strict=True)
        ]
        frame["matches"] = [
            any(matches_printed(v, t) for t in target.split(" or "))
            for v, target in zip(frame["reproduced"], frame["target"], strict=True)
        ]
        frame["alternative_target"] = frame["published"] != frame["target"]
        return frame.rename_axis("entry")


def replicate_tables(data: pd.DataFrame) -> ReplicatedTables:
    """Recompute Tables 1–4 of the article from respondent-level data.

    Table 1 is the mean of each covariate over all respondents. Tables 2–4 are each their own
    OLS of ``support`` on the arm indicator with enumerator fixed effects and classical
    standard errors, on the two arms' respondents who answered.

    Parameters
    ----------
    data : pandas.DataFrame
        With the columns of :func:`consentlib.data.replication_data`: ``support``,
        ``condition``, ``enumerator`` and the Table 1 covariates.

    Returns
    -------
    ReplicatedTables

    Examples
    --------
    >>> import consentlib as cl
    >>> tables = replicate_tables(cl.replication_data())
    >>> round(float(tables.as_printed(2).loc["Treatment", "Estimate"]), 4)
    0.7628
    """
    data = check_dataframe(data)
    check_columns(data, ["support", "condition", "enumerator"], "column")
    check_columns(data, [column for _, column, _ in TABLE1], "Table 1 column")
    table1 = pd.DataFrame(
        {"Mean": [float(data[column].mean()) for _, column, _ in TABLE1]},
        index=pd.Index([label for label, _, _ in TABLE1], name="Variable"),
    )
    fits = {}
    for spec in TABLES:
        pair = data[data["condition"].isin([spec.reference, spec.treated])]
        fits[spec.number] = ols(
            pair,
            "support",
            "condition",
            reference=spec.reference,
            fixed_effects="enumerator",
            se_type="classical",
        )
    return ReplicatedTables(table1, fits)

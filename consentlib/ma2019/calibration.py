"""Generate the synthetic survey data, calibrated to the article's published tables.

The article's survey microdata are not public. The book therefore ships a SYNTHETIC dataset
(:func:`consentlib.data.replication_data`) that reproduces every number the article prints about
the experiment: the Table 1 means, and the estimates, standard errors, t statistics and p-values
of Tables 2 to 4. This module is the generator that builds it, and it regenerates the shipped
file exactly from a seed.

How the calibration works, and which two printed intercepts no dataset can reach, is explained
on the book's API page.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import special, stats

from consentlib._validation import DEFAULT_CONDITIONS, as_generator
from consentlib.data import replication_frame
from consentlib.ma2019 import published
from consentlib.ma2019.checks import matches_printed, printed_interval

#: The seed that generates the shipped file ``consentlib/datasets/replication.csv``.
DEFAULT_SEED: int = 20161201

#: Table 1's N: every respondent, analyzed or not.
N_RESPONDENTS: int = 368

#: The enumerator labels; they sort so that ``"E1"``, the base of the fixed effects, comes first.
ENUMERATORS: tuple[str, ...] = tuple(f"E{i}" for i in range(1, 9))

#: The Table 1 covariates, in the order of the article's table.
COVARIATES: tuple[str, ...] = tuple(column for _, column, _ in published.TABLE1)

_ARMS = DEFAULT_CONDITIONS  # ("control", "treatment", "placebo"): rows of every count array

# Analyzed respondents per arm. W_T is at most (n_a + n_b) / 4, and the printed SE ratios need
# W >= 55.995 (Table 2), 57.76 (Table 3) and 58.04 (Table 4), so control + treatment >= 224,
# control + placebo >= 232 and treatment + placebo >= 233 out of 346: 112/113/121 fits.
#: Analyzed respondents per arm (control, treatment, placebo) in the shipped file.
ARM_TOTALS: np.ndarray = np.array([112, 113, 121])
# The base enumerator's analyzed respondents per arm. Checking every size from 2 to 59 per arm,
# these are the only ones for which the intercept identities of all three tables have integer
# solutions inside the windows and the SE ratios fit in 368 respondents.
_BASE_COUNTS = np.array([14, 14, 16])
#: Respondents with no answer in the shipped file (22).
N_MISSING: int = N_RESPONDENTS - int(ARM_TOTALS.sum())

# Where the generator aims the responses before calibrating: arm means, the spread of
# enumerator effects, and the response standard deviation in each arm.
#: The mean response each arm aims at before calibration (control, treatment, placebo).
ARM_MEANS: np.ndarray = np.array([3.10, 3.86, 3.42])
#: The standard deviation of the enumerators' shifts of the mean response.
ENUMERATOR_SD: float = 0.15
#: The targeted within-cell standard deviation of responses in each arm.
RESPONSE_SD: np.ndarray = np.array([1.05, 0.80, 1.05])
# Pooled within-cell response variances accepted as plausible, per arm.
_WITHIN_VARIANCE_RANGE = (0.45, 1.6)


@dataclass(frozen=True)
class _Printed:
    """A number as the article prints it."""

    text: str

    @property
    def value(self) -> float:
        return float(self.text.lstrip("<"))

    @property
    def window(self) -> tuple[float, float]:
        """The half-open interval of values that round to the printed digits."""
        return printed_interval(self.text)


@dataclass(frozen=True)
class _Contrast:
    """The printed results of one of Tables 2 to 4, and the arms it compares."""

    table: str
    reference: int
    indicated: int
    intercept: tuple[_Printed, ...]  # every value the calibration accepts
    intercept_se: _Printed
    intercept_t: _Printed
    coefficient: _Printed
    coefficient_se: _Printed
    coefficient_t: _Printed
    coefficient_p: _Printed | None  # None when the article prints "<0.001"

    @property
    def intercept_window(self) -> tuple[float, float]:
        return self.intercept[0].window[0], self.intercept[-1].window[1]


def _printed(text: str) -> _Printed:
    return _Printed(text)


def _contrast(table: published.PublishedTable) -> _Contrast:
    """The calibration targets of one of Tables 2-4, from its printed values."""
    intercept, effect = table.intercept, table.effect
    return _Contrast(
        f"Table {table.number}",
        _ARMS.index(table.reference),
        _ARMS.index(table.treated),
        tuple(_printed(v) for v in intercept.attainable or (intercept.estimate,)),
        _printed(intercept.std_error),
        _printed(intercept.statistic),
        _printed(effect.estimate),
        _printed(effect.std_error),
        _printed(effect.statistic),
        None if effect.p_value.startswith("<") else _printed(effect.p_value),
    )


# The targets: Tables 1-4 as printed (consentlib.ma2019.published), except that the intercepts of
# Tables 2 and 4 are held to the values that can be reached (see the module docstring).
_CONTRASTS: tuple[_Contrast, ...] = tuple(_contrast(table) for table in published.TABLES)
_P_BELOW = 0.001  # the article's "<0.001"
_TABLE1: dict[str, _Printed] = {column: _printed(mean) for _, column, mean in published.TABLE1}

# Relative safety margin kept inside every window, so that the last bits of floating-point
# arithmetic on another machine cannot move a value across a rounding boundary.
_MARGIN = 1e-9


def generate_replication_data(seed: int | np.random.Generator = DEFAULT_SEED) -> pd.DataFrame:
    """Generate the SYNTHETIC survey data calibrated to the article's Tables 1 to 4.

    Parameters
    ----------
    seed : int or numpy.random.Generator, default DEFAULT_SEED
        The seed of the calibration search. The default regenerates the file that
        :func:`consentlib.data.replication_data` loads, exactly.

    Returns
    -------
    pandas.DataFrame
        One row per respondent (368 rows), with the columns and dtypes that
        :func:`consentlib.data.replication_data` documents.

    Raises
    ------
    RuntimeError
        If the generated data miss a target; the generator checks its own output with statsmodels.

    Notes
    -----
    A run takes a few seconds: most of it is the search for response sums in step (2) of the
    module docstring. The result depends on the seed only.

    Examples
    --------
    Regenerating takes a few seconds, so the doctests skip the call itself:

    >>> from consentlib.data import replication_data
    >>> shipped = replication_data()
    >>> data = generate_replication_data()  # doctest: +SKIP
    >>> data.equals(shipped)  # doctest: +SKIP
    True
    >>> shipped.shape
    (368, 13)
    """
    rng = as_generator(seed)
    counts = _search_design(rng)
    base_sums = _base_sums()
    sums, square_totals = _search_sums(counts, base_sums, rng)
    squares = _allocate_squares(counts, sums, square_totals, rng)
    responses = [
        [cell_responses(int(n), int(s), int(q), rng) for n, s, q in zip(*row, strict=True)]
        for row in zip(counts, sums, squares, strict=True)
    ]
    missing = rng.multinomial(N_MISSING, (counts / counts.sum()).ravel()).reshape(counts.shape)
    data = assemble_survey(responses, missing, draw_covariates(rng), rng)
    problems = calibration_misses(data)
    if problems:
        raise RuntimeError("the generated data miss targets: " + "; ".join(problems))
    return data


def write_replication_data(
    path: str | Path | None = None, seed: int | np.random.Generator = DEFAULT_SEED
) -> Path:
    """Regenerate the synthetic data and write them as CSV.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Where to write. By default, the file shipped in the package,
        ``consentlib/datasets/replication.csv``.
    seed : int or numpy.random.Generator, default DEFAULT_SEED
        Passed to :func:`generate_replication_data`.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    Writing regenerates the data, which takes a few seconds, so the doctests skip the call:

    >>> from consentlib.data import replication_data
    >>> path = write_replication_data("replication.csv")  # doctest: +SKIP
    >>> path.read_text() == to_csv_text(replication_data())  # doctest: +SKIP
    True
    """
    target = Path(path) if path is not None else _packaged_path()
    target.write_text(to_csv_text(generate_replication_data(seed)), encoding="utf-8")
    return target


def to_csv_text(data: pd.DataFrame) -> str:
    """Format the replication data exactly as the shipped CSV file stores them.

    Parameters
    ----------
    data : pandas.DataFrame
        Data as returned by :func:`generate_replication_data`.

    Returns
    -------
    str
        The CSV text: a header line, then one line per respondent; a missing ``support`` is empty.

    Examples
    --------
    >>> from consentlib.data import replication_data
    >>> to_csv_text(replication_data()).splitlines()[0]
    'respondent_id,enumerator,condition,support,male,age,college,party_years,service_years,...'
    """
    return data.to_csv(index=False, lineterminator="\n")


def calibration_misses(data: pd.DataFrame) -> list[str]:
    """List every published number that the data do not reproduce to the printed digits.

    The check fits Tables 2 to 4 with statsmodels (OLS of ``support`` on the arm and enumerator
    fixed effects, classical standard errors, two arms at a time, unanswered rows dropped) and
    computes the Table 1 means over all respondents. The intercepts of Tables 2 and 4 are held to
    their attainable values (2.9400 or 2.9401; 3.4642 or 3.4643), everything else to the print.

    Parameters
    ----------
    data : pandas.DataFrame
        Data with the columns of :func:`consentlib.data.replication_data`.

    Returns
    -------
    list of str
        One message per missed number, naming the table, the term, the value and the target;
        empty when every target is reached.

    Examples
    --------
    >>> from consentlib.data import replication_data
    >>> calibration_misses(replication_data())
    []
    """
    import statsmodels.formula.api as smf

    problems = []
    for column, printed in _TABLE1.items():
        mean = float(data[column].mean())
        if not matches_printed(mean, printed.text):
            problems.append(f"Table 1 {column}: mean {mean:.6f} does not round to {printed.value}")
    for contrast in _CONTRASTS:
        reference, indicated = _ARMS[contrast.reference], _ARMS[contrast.indicated]
        rows = data[data["condition"].isin([reference, indicated]) & data["support"].notna()]
        frame = pd.DataFrame(
            {
                "support": rows["support"].astype(float),
                "condition": rows["condition"].astype(str),
                "enumerator": rows["enumerator"].astype(str),
            }
        )
        fit = smf.ols(
            f"support ~ C(condition, Treatment('{reference}')) + C(enumerator)", data=frame
        ).fit()
        term = f"C(condition, Treatment('{reference}'))[T.{indicated}]"
        checks = [
            ("intercept estimate", fit.params["Intercept"], contrast.intercept_window),
            ("intercept std. error", fit.bse["Intercept"], contrast.intercept_se.window),
            ("intercept t", fit.tvalues["Intercept"], contrast.intercept_t.window),
            ("intercept p", fit.pvalues["Intercept"], (0.0, _P_BELOW)),
            (f"{indicated} estimate", fit.params[term], contrast.coefficient.window),
            (f"{indicated} std. error", fit.bse[term], contrast.coefficient_se.window),
            (f"{indicated} t", fit.tvalues[term], contrast.coefficient_t.window),
        ]
        p_window = contrast.coefficient_p.window if contrast.coefficient_p else (0.0, _P_BELOW)
        checks.append((f"{indicated} p", fit.pvalues[term], p_window))
        for name, value, (low, high) in checks:
            if not low <= value < high:
                problems.append(
                    f"{contrast.table} {name}: {value:.6f} is outside [{low:.6f}, {high:.6f})"
                )
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the shipped CSV file from the command line.

    Run as ``python -m consentlib.ma2019.calibration [--output PATH] [--seed SEED]``.

    Parameters
    ----------
    argv : sequence of str, optional
        The command-line arguments; by default those of the process.

    Returns
    -------
    int
        The exit status, 0 on success.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):
    ...     main(["--help"])
    >>> " ".join(out.getvalue().split()[:9])
    'usage: python -m consentlib.ma2019.calibration [-h] [--output OUTPUT] [--seed SEED]'
    """
    parser = argparse.ArgumentParser(
        prog="python -m consentlib.ma2019.calibration",
        description="Regenerate the synthetic replication data calibrated to Tables 1-4.",
    )
    parser.add_argument("--output", type=Path, default=None, help="where to write the CSV")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the calibration seed")
    args = parser.parse_args(argv)
    path = write_replication_data(args.output, seed=args.seed)
    print(f"wrote {path}")
    return 0


# --------------------------------------------------------------------------------------------
# Step 1: cell counts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Design:
    """Count-only quantities of one contrast for a batch of designs (arrays over designs)."""

    contrast: _Contrast
    weights: np.ndarray  # W = sum_e n_ae n_be / (n_ae + n_be)
    base_n: np.ndarray  # n_1: the base enumerator's respondents in the two arms
    base_indicated: np.ndarray  # n_b1: of whom in the indicated arm
    df: np.ndarray  # residual degrees of freedom

    @classmethod
    def of(cls, counts: np.ndarray, contrast: _Contrast) -> _Design:
        n_a = counts[..., contrast.reference]
        n_b = counts[..., contrast.indicated]
        n_enumerators = counts.shape[-2]
        return cls(
            contrast,
            (n_a * n_b / (n_a + n_b)).sum(-1),
            n_a[..., 0] + n_b[..., 0],
            n_b[..., 0],
            n_a.sum(-1) + n_b.sum(-1) - (n_enumerators + 1),
        )

    @property
    def intercept_factor(self) -> np.ndarray:
        """``Var(intercept) / sigma^2 = 1 / n_1 + p_1^2 / W``."""
        return 1 / self.base_n + (self.base_indicated / self.base_n) ** 2 / self.weights

    def rss_window(self, coefficient: np.ndarray, base_sum: int) -> tuple[np.ndarray, np.ndarray]:
        """The residual sums of squares for which every SE, t and p rounds to its target."""
        c = self.contrast
        w, df, k = self.weights, self.df, self.intercept_factor
        intercept = (base_sum - self.base_indicated * coefficient) / self.base_n
        # SE_coef^2 = RSS / (df W) and SE_int^2 = RSS k / df; t = estimate / SE.
        lows = [
            c.coefficient_se.window[0] ** 2 * df * w,
            c.intercept_se.window[0] ** 2 * df / k,
            (coefficient / c.coefficient_t.window[1]) ** 2 * df * w,
            (intercept / c.intercept_t.window[1]) ** 2 * df / k,
        ]
        highs = [
            c.coefficient_se.window[1] ** 2 * df * w,
            c.intercept_se.window[1] ** 2 * df / k,
            (coefficient / c.coefficient_t.window[0]) ** 2 * df * w,
            (intercept / c.intercept_t.window[0]) ** 2 * df / k,
        ]
        if c.coefficient_p is not None:
            p_low, p_high = c.coefficient_p.window
            t_low, t_high = stats.t.isf(p_high / 2, df), stats.t.isf(p_low / 2, df)
            lows.append((coefficient / t_high) ** 2 * df * w)
            highs.append((coefficient / t_low) ** 2 * df * w)
        low = np.max(np.broadcast_arrays(*lows), axis=0)
        high = np.min(np.broadcast_arrays(*highs), axis=0)
        margin = _MARGIN * np.abs(high)
        return low + margin, high - margin


@cache
def _base_sums() -> tuple[int, int, int]:
    """The base enumerator's response sums per arm that the three intercept identities force.

    ``n_1 * intercept + n_b1 * coefficient`` must be an integer for every table; each window
    holds exactly one, and the three pairwise sums give the three per-arm sums.
    """
    pair_sums = []
    for contrast in _CONTRASTS:
        n1 = _BASE_COUNTS[contrast.reference] + _BASE_COUNTS[contrast.indicated]
        nb1 = _BASE_COUNTS[contrast.indicated]
        a_low, a_high = contrast.intercept_window
        b_low, b_high = contrast.coefficient.window
        low, high = n1 * a_low + nb1 * b_low, n1 * a_high + nb1 * b_high
        candidates = list(range(int(np.ceil(low)), int(np.ceil(high))))
        if len(candidates) != 1:
            raise RuntimeError(f"{contrast.table}: the base sum is not unique: {candidates}")
        pair_sums.append(candidates[0])
    # Table 2 pairs control+treatment, Table 3 control+placebo, Table 4 placebo+treatment.
    t2, t3, t4 = pair_sums
    control, treatment, placebo = (t2 + t3 - t4) // 2, (t2 + t4 - t3) // 2, (t3 + t4 - t2) // 2
    if control + treatment != t2 or control + placebo != t3 or placebo + treatment != t4:
        raise RuntimeError(f"the base sums {pair_sums} have no integer per-arm solution")
    return control, treatment, placebo


def _coefficient_window(contrast: _Contrast, base_sum: int) -> tuple[float, float]:
    """The coefficients inside the printed window whose intercept also rounds right.

    The intercept is ``(base_sum - n_b1 * coefficient) / n_1``, so its window bounds the
    coefficient too.
    """
    n1 = float(_BASE_COUNTS[contrast.reference] + _BASE_COUNTS[contrast.indicated])
    nb1 = float(_BASE_COUNTS[contrast.indicated])
    low, high = contrast.coefficient.window
    a_low, a_high = contrast.intercept_window
    low = max(low, (base_sum - n1 * a_high) / nb1)
    high = min(high, (base_sum - n1 * a_low) / nb1)
    width = high - low
    return low + _MARGIN * width, high - _MARGIN * width


def _search_design(rng: np.random.Generator, reps: int = 400_000, n_batches: int = 3) -> np.ndarray:
    """Draw analyzed cell counts (8 enumerators x 3 arms) with roomy residual windows.

    Each draw fixes the base enumerator's row and the arm totals; it keeps the draw whose
    residual-sum-of-squares windows (at the centre of each coefficient window) are widest
    together, because the chance that the later search succeeds is proportional to their product.
    """
    base = _base_sums()
    best_score, best = 0.0, None
    n_free = len(ENUMERATORS) - 1
    for _ in range(n_batches):
        counts = np.empty((reps, len(ENUMERATORS), len(_ARMS)), dtype=np.int64)
        counts[:, 0] = _BASE_COUNTS
        class_size = rng.integers(13, 18, size=(reps, n_free - 1, 1))
        counts[:, 1:-1] = class_size + rng.integers(-2, 3, size=(reps, n_free - 1, 3))
        counts[:, -1] = ARM_TOTALS - counts[:, :-1].sum(axis=1)
        last = counts[:, -1]
        keep = (last.min(axis=1) >= 10) & (last.max(axis=1) <= 20)
        keep &= last.max(axis=1) - last.min(axis=1) <= 4
        counts = counts[keep]
        score = np.ones(len(counts))
        for contrast in _CONTRASTS:
            design = _Design.of(counts, contrast)
            base_sum = base[contrast.reference] + base[contrast.indicated]
            centre = np.mean(_coefficient_window(contrast, base_sum))
            low, high = design.rss_window(np.full(len(counts), centre), base_sum)
            score *= np.clip(high - low, 0.0, None)
        i = int(np.argmax(score))
        if score[i] > best_score:
            best_score, best = float(score[i]), counts[i]
    if best is None:
        raise RuntimeError("no design with feasible standard-error windows was drawn")
    return best


# --------------------------------------------------------------------------------------------
# Step 2: response sums per cell
# --------------------------------------------------------------------------------------------


def _gram_schmidt(b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Gram-Schmidt orthogonalization of the rows of ``b`` and its coefficients ``mu``."""
    m = len(b)
    ortho = np.zeros_like(b)
    mu = np.zeros((m, m))
    for i in range(m):
        v = b[i].copy()
        for j in range(i):
            mu[i, j] = b[i] @ ortho[j] / (ortho[j] @ ortho[j])
            v -= mu[i, j] * ortho[j]
        ortho[i] = v
    return ortho, mu


def _lll(basis: np.ndarray, delta: float = 0.99) -> np.ndarray:
    """Reduce the rows of ``basis`` with the Lenstra-Lenstra-Lovasz algorithm (floating point).

    References: Lenstra, Lenstra and Lovasz (1982), "Factoring polynomials with rational
    coefficients", *Mathematische Annalen* 261: 515-534.
    """
    b = basis.astype(float).copy()
    ortho, mu = _gram_schmidt(b)
    k = 1
    while k < len(b):
        for j in range(k - 1, -1, -1):
            q = round(mu[k, j])
            if q:
                b[k] -= q * b[j]
                ortho, mu = _gram_schmidt(b)
        if ortho[k] @ ortho[k] >= (delta - mu[k, k - 1] ** 2) * (ortho[k - 1] @ ortho[k - 1]):
            k += 1
        else:
            b[[k, k - 1]] = b[[k - 1, k]]
            ortho, mu = _gram_schmidt(b)
            k = max(k - 1, 1)
    return b


def _coefficients(counts: np.ndarray, sums: np.ndarray, designs: list[_Design]) -> np.ndarray:
    """The three coefficients for a batch of sums (..., enumerators, arms) -> (..., 3)."""
    out = []
    for design in designs:
        a, b = design.contrast.reference, design.contrast.indicated
        n_a, n_b = counts[:, a], counts[:, b]
        diff = (n_a * sums[..., b] - n_b * sums[..., a]) / (n_a + n_b)
        out.append(diff.sum(-1) / design.weights)
    return np.stack(out, -1)


def _search_sums(
    counts: np.ndarray,
    base_sums: tuple[int, int, int],
    rng: np.random.Generator,
    batch: int = 100_000,
    max_batches: int = 400,
) -> tuple[np.ndarray, np.ndarray]:
    """Find integer response sums per cell, and sums of squares per arm, that hit Tables 2-4.

    Returns the sums (enumerators x arms) and the per-arm totals of squared responses.
    """
    designs = [_Design.of(counts, contrast) for contrast in _CONTRASTS]
    pair_base = [base_sums[d.contrast.reference] + base_sums[d.contrast.indicated] for d in designs]
    windows = np.array(
        [_coefficient_window(c, s) for c, s in zip(_CONTRASTS, pair_base, strict=True)]
    )
    target = windows.mean(axis=1)
    n_enum, n_arms = counts.shape
    free = counts[1:].size  # the base row is fixed
    # d coefficient / d S for every free cell: a 3-column matrix.
    unit = np.eye(free).reshape(free, n_enum - 1, n_arms)
    jac = _coefficients(counts, np.concatenate([np.zeros((free, 1, n_arms)), unit], 1), designs)
    scale = 1e5  # weight of the coefficient coordinates in the embedded lattice
    basis = _lll(np.hstack([np.eye(free), scale * jac]))
    ortho, _ = _gram_schmidt(basis)
    norms = (ortho**2).sum(axis=1)
    pseudo = np.linalg.pinv(jac)  # minimum-norm real move for a coefficient change
    within_low, within_high = _WITHIN_VARIANCE_RANGE
    q_min, q_max = _square_bounds_table(int(counts.max()))

    for _ in range(max_batches):
        effects = rng.normal(0.0, ENUMERATOR_SD, size=(batch, n_enum, 1))
        noise = rng.normal(0.0, 1.0, size=(batch, n_enum, n_arms)) * np.sqrt(counts) * RESPONSE_SD
        start = np.round(counts * (ARM_MEANS + effects) + noise)
        start[:, 0] = base_sums
        gap = target - _coefficients(counts, start, designs)
        # Babai's nearest plane: the integer move closest to the real minimum-norm move.
        point = np.hstack([gap @ pseudo, scale * gap])
        residual = point.copy()
        for i in range(free - 1, -1, -1):
            c = np.round(residual @ ortho[i] / norms[i])
            residual -= c[:, None] * basis[i]
        move = np.round((point - residual)[:, :free]).reshape(batch, n_enum - 1, n_arms)
        sums = start.copy()
        sums[:, 1:] += move
        coef = _coefficients(counts, sums, designs)
        ok = ((coef > windows[:, 0]) & (coef < windows[:, 1])).all(axis=1)
        ok &= ((sums >= 1.6 * counts) & (sums <= 4.6 * counts)).all(axis=(1, 2))
        keys = []
        for j, design in enumerate(designs):
            a, b = design.contrast.reference, design.contrast.indicated
            pooled = ((sums[..., a] + sums[..., b]) ** 2 / (counts[:, a] + counts[:, b])).sum(-1)
            shift = pooled + coef[:, j] ** 2 * design.weights  # RSS = Q_a + Q_b - shift
            low, high = design.rss_window(coef[:, j], pair_base[j])
            key = np.ceil(shift + low)
            ok &= key < shift + high
            keys.append(key)
        # Per-arm totals of squares: Q_control + Q_treatment = key(Table 2), and so on.
        k2, k3, k4 = keys
        totals = np.stack([(k2 + k3 - k4) / 2, (k2 + k4 - k3) / 2, (k3 + k4 - k2) / 2], -1)
        arm_sums = sums.sum(axis=1)
        ok &= (totals == np.round(totals)).all(axis=1)
        ok &= ((totals - arm_sums) % 2 == 0).all(axis=1)  # y^2 and y have the same parity
        s_int = np.clip(sums, 0, None).astype(np.int64)
        n_idx = np.broadcast_to(counts, sums.shape)
        s_idx = np.clip(s_int, 0, q_min.shape[1] - 1)
        ok &= (totals >= q_min[n_idx, s_idx].sum(axis=1)).all(axis=1)
        ok &= (totals <= q_max[n_idx, s_idx].sum(axis=1)).all(axis=1)
        within = (totals - (sums**2 / counts).sum(axis=1)) / (ARM_TOTALS - n_enum)
        ok &= ((within >= within_low) & (within <= within_high)).all(axis=1)
        hits = np.flatnonzero(ok)
        if hits.size:
            i = hits[0]
            return s_int[i], totals[i].astype(np.int64)
    raise RuntimeError("the search for response sums found no solution; try another seed")


# --------------------------------------------------------------------------------------------
# Step 3: responses per cell
# --------------------------------------------------------------------------------------------

_VALUES = np.arange(1, 6)


@cache
def _compositions(n: int) -> np.ndarray:
    """Every count vector (k1, ..., k5) of n responses on the 1-5 scale."""
    rows = [
        (a, b, c, d, n - a - b - c - d)
        for a in range(n + 1)
        for b in range(n + 1 - a)
        for c in range(n + 1 - a - b)
        for d in range(n + 1 - a - b - c)
    ]
    return np.array(rows, dtype=np.int64)


@cache
def _square_bounds_table(max_n: int) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest sum of squares of n responses summing to S: tables [n, S]."""
    q_min = np.zeros((max_n + 1, 5 * max_n + 1), dtype=np.int64)
    q_max = np.zeros_like(q_min)
    for n in range(1, max_n + 1):
        comps = _compositions(n)
        s, q = comps @ _VALUES, comps @ _VALUES**2
        for total in range(n, 5 * n + 1):
            sel = q[s == total]
            q_min[n, total], q_max[n, total] = sel.min(), sel.max()
    return q_min, q_max


def attainable_squares(n: int, total: int) -> np.ndarray:
    """The sums of squares that ``n`` responses from 1 to 5 summing to ``total`` can have.

    Examples
    --------
    >>> attainable_squares(2, 6).tolist()  # (1, 5), (2, 4) and (3, 3)
    [18, 20, 26]
    """
    comps = _compositions(n)
    return np.unique((comps @ _VALUES**2)[comps @ _VALUES == total])


def _allocate_squares(
    counts: np.ndarray, sums: np.ndarray, square_totals: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Split each arm's total of squared responses over its cells, attainably and evenly."""
    squares = np.zeros_like(sums)
    for arm in range(counts.shape[1]):
        n, s = counts[:, arm], sums[:, arm]
        options = [attainable_squares(int(ni), int(si)) for ni, si in zip(n, s, strict=True)]
        variance = (square_totals[arm] - (s**2 / n).sum()) / (n.sum() - len(n))
        aim = s**2 / n + variance * (n - 1)
        pick = [int(np.argmin(np.abs(o - a))) for o, a in zip(options, aim, strict=True)]
        while True:
            gap = int(square_totals[arm] - sum(o[p] for o, p in zip(options, pick, strict=True)))
            if gap == 0:
                break
            step = 1 if gap > 0 else -1
            movable = [
                e
                for e, (o, p) in enumerate(zip(options, pick, strict=True))
                if 0 <= p + step < len(o) and abs(o[p + step] - o[p]) <= abs(gap)
            ]
            if not movable:
                raise RuntimeError(f"cannot split the squares of arm {_ARMS[arm]!r}")
            e = movable[int(rng.integers(len(movable)))]
            pick[e] += step
        squares[:, arm] = [o[p] for o, p in zip(options, pick, strict=True)]
    return squares


def cell_responses(n: int, total: int, squares: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` responses (1-5) with the given sum and sum of squares, favouring smooth shapes.

    Among the count vectors with exactly that sum and sum of squares, one is drawn with
    probability proportional to its multinomial probability under a discretized normal
    distribution with the cell's mean and variance, then the responses are shuffled.

    Examples
    --------
    >>> cells = cell_responses(4, 12, 38, np.random.default_rng(1))
    >>> int(cells.sum()), int((cells**2).sum())
    (12, 38)
    """
    comps = _compositions(n)
    comps = comps[(comps @ _VALUES == total) & (comps @ _VALUES**2 == squares)]
    mean = total / n
    variance = max(squares / n - mean**2, 0.05)
    log_p = -((_VALUES - mean) ** 2) / (2 * variance)
    log_p -= np.logaddexp.reduce(log_p)
    log_w = comps @ log_p - special.gammaln(comps + 1).sum(axis=1)
    weights = np.exp(log_w - log_w.max())
    chosen = comps[rng.choice(len(comps), p=weights / weights.sum())]
    return rng.permutation(np.repeat(_VALUES, chosen))


# --------------------------------------------------------------------------------------------
# Step 4: covariates and the assembled file
# --------------------------------------------------------------------------------------------


def draw_covariates(rng: np.random.Generator) -> pd.DataFrame:
    """Draw the Table 1 covariates of 368 officials, with the printed means exactly (public: the
    personal datasets draw theirs the same way).

    Ages are integers from 26 to 59; years of service count from a civil-service entry at 18 or
    later, years of party membership from joining at 18 or later (0 for the few non-members).
    Ranks are nested cut-offs of one seniority score that rises with service and age; leadership
    positions are likelier at higher ranks; a college degree is a little likelier among the
    younger. Counts and totals are then moved, one unit at a time, onto the printed means.
    """
    n = N_RESPONDENTS
    age = np.clip(np.round(rng.normal(41.0, 6.5, n)), 26, 59).astype(np.int64)
    age = _nudge_total(age, _printed_total("age"), 26, 59, rng)
    entry = np.round(rng.normal(22.3, 2.2, n)).astype(np.int64)
    service = np.clip(age - entry, 1, age - 18)
    service = _nudge_total(service, _printed_total("service_years"), 1, age - 18, rng)
    member = rng.random(n) < 0.95
    joined = 18 + np.round(rng.gamma(2.0, 3.0, n)).astype(np.int64)
    party = np.where(member, np.clip(age - joined, 1, age - 18), 0)
    party_low, party_high = np.where(member, 1, 0), np.where(member, age - 18, 0)
    party = _nudge_total(party, _printed_total("party_years"), party_low, party_high, rng)
    seniority = 0.8 * _standardize(service) + 0.3 * _standardize(age) + rng.normal(0, 0.6, n)
    leader_score = 0.9 * _standardize(seniority) + rng.normal(0, 0.8, n)
    columns = {
        "male": _top(0.2 * _standardize(seniority) + rng.normal(0, 1, n), "male"),
        "age": age,
        "college": _top(-0.4 * _standardize(age) + rng.normal(0, 1, n), "college"),
        "party_years": party,
        "service_years": service,
        "rank_department_chief": _top(seniority, "rank_department_chief"),
        "rank_section_chief": _top(seniority, "rank_section_chief"),
        "rank_deputy_section_chief": _top(seniority, "rank_deputy_section_chief"),
        "leadership": _top(leader_score, "leadership"),
    }
    return pd.DataFrame(columns)[list(COVARIATES)]


def _printed_total(column: str) -> int:
    """The integer total over 368 respondents closest to the printed mean of ``column``."""
    return round(_TABLE1[column].value * N_RESPONDENTS)


def _standardize(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


def _top(score: np.ndarray, column: str) -> np.ndarray:
    """A 0/1 indicator of the highest scores, as many as the printed share of ``column``."""
    chosen = np.argsort(-score, kind="stable")[: _printed_total(column)]
    out = np.zeros(len(score), dtype=np.int64)
    out[chosen] = 1
    return out


def _nudge_total(values: np.ndarray, total: int, low, high, rng: np.random.Generator) -> np.ndarray:
    """Move integer ``values`` one unit at a time, within [low, high], until they sum to total."""
    values = values.copy()
    low, high = np.broadcast_to(low, values.shape), np.broadcast_to(high, values.shape)
    while (gap := total - int(values.sum())) != 0:
        step = 1 if gap > 0 else -1
        room = np.flatnonzero(values < high) if step > 0 else np.flatnonzero(values > low)
        if room.size == 0:
            raise RuntimeError(f"cannot move the values to a total of {total}")
        chosen = rng.choice(room, size=min(abs(gap), room.size), replace=False)
        values[chosen] += step
    return values


def assemble_survey(
    responses: list[list[np.ndarray]],
    missing: np.ndarray,
    covariates: pd.DataFrame,
    rng: np.random.Generator,
    n_assignments: int = 1000,
) -> pd.DataFrame:
    """Put responses, enumerator labels and covariates together in a survey-like file.

    The base enumerator is ``"E1"``; the others take ``"E2"`` to ``"E8"`` at random. Covariates
    go to respondents by the best of ``n_assignments`` random permutations, judged by the largest
    standardized difference in means between any two arms (a rerandomization). The file lists
    respondents class by class, in a random order of classes, shuffled within each class.
    """
    labels = [ENUMERATORS[0], *rng.permutation(ENUMERATORS[1:])]
    enumerator, condition, support = [], [], []
    for e, row in enumerate(responses):
        for arm, answered in enumerate(row):
            cell = [*answered.tolist(), *[None] * int(missing[e, arm])]
            enumerator += [labels[e]] * len(cell)
            condition += [_ARMS[arm]] * len(cell)
            support += cell
    condition = np.array(condition)
    x = covariates.to_numpy(dtype=float)
    spread = x.std(axis=0)
    orders = np.array([rng.permutation(len(x)) for _ in range(n_assignments)])
    assigned = x[orders]  # (assignments, respondents, covariates)
    worst = np.zeros(n_assignments)
    arm_means = [assigned[:, condition == arm].mean(axis=1) for arm in _ARMS]
    for i, j in ((0, 1), (0, 2), (1, 2)):
        gap = np.abs(arm_means[i] - arm_means[j]) / spread
        worst = np.maximum(worst, gap.max(axis=1))
    best = orders[int(np.argmin(worst))]
    frame = covariates.iloc[best].reset_index(drop=True)
    frame.insert(0, "support", support)
    frame.insert(0, "condition", condition)
    frame.insert(0, "enumerator", enumerator)
    order = np.concatenate(
        [
            rng.permutation(np.flatnonzero(frame["enumerator"] == label))
            for label in rng.permutation(ENUMERATORS)
        ]
    )
    frame = frame.iloc[order].reset_index(drop=True)
    frame.insert(0, "respondent_id", np.arange(1, len(frame) + 1))
    return replication_frame(frame)


def _packaged_path() -> Path:
    return Path(str(resources.files("consentlib") / "datasets" / "replication.csv"))


if __name__ == "__main__":
    raise SystemExit(main())

"""The transcribed published numbers, and the rule that decides what "reproduced" means."""

from __future__ import annotations

from pathlib import Path

import pytest

from consentlib.ma2019.checks import matches_printed
from consentlib.ma2019.published import TABLE1, TABLES, decimals

ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "paper" / "consent-to-contend.txt"


@pytest.mark.skipif(not ARTICLE.exists(), reason="the article's text is not beside the checkout")
def test_every_transcribed_number_appears_in_the_article_text():
    text = ARTICLE.read_text()
    for _, _, printed in TABLE1:
        assert f" {printed}" in text, printed
    for table in TABLES:
        for row in (table.intercept, table.effect):
            line = f"{row.estimate} {row.std_error} {row.statistic}"
            assert line in text, line


def test_decimals_counts_printed_digits():
    assert decimals("0.13271") == 5
    assert decimals("14.70") == 2
    assert decimals("41") == 0


@pytest.mark.parametrize(
    ("value", "printed", "expected"),
    [
        (0.76284, "0.7628", True),
        (0.76285001, "0.7628", False),
        (14.695, "14.70", True),
        (14.694, "14.70", False),
        (40.6, "41", True),
        (0.0009, "<0.001", True),
        (0.0011, "<0.001", False),
    ],
)
def test_matches_printed_rounds_to_the_printed_digits(value, printed, expected):
    assert matches_printed(value, printed) is expected


def test_only_the_two_unreachable_intercepts_have_alternative_targets():
    alternatives = {
        (t.number, "intercept"): t.intercept.attainable for t in TABLES if t.intercept.attainable
    }
    assert alternatives == {(2, "intercept"): ("2.9400", "2.9401"),
                            (4, "intercept"): ("3.4642", "3.4643")}  # fmt: skip
    assert not any(t.effect.attainable for t in TABLES)

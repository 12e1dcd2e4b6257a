"""The comparison cases: schema, valid values, anonymity of county C, and sources that resolve.

Reference facts come from Ma (2019), "Consent to Contend", The China Review 19(1), cited by
section below.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from consentlib.data import CASE_CATEGORIES, cases

ROOT = Path(__file__).resolve().parents[2]

COLUMNS = [
    "case_id",
    "year",
    "place",
    "province",
    "issue_area",
    "demand",
    "mode",
    "scale",
    "scale_reported",
    "intermediaries",
    "business_role",
    "violence",
    "official_involvement",
    "demand_met",
    "outcome",
    "formal_sanctions",
    "sanctions",
    "notes",
    "facts_from",
    "source_keys",
    "other_sources",
]
BOOLEAN_COLUMNS = ["business_role", "violence", "demand_met", "formal_sanctions"]
TEXT_COLUMNS = [c for c in COLUMNS if c not in {"year", *BOOLEAN_COLUMNS, *CASE_CATEGORIES}]

# Provincial-level units of the People's Republic, and Hong Kong, Macau and Taiwan: none of
# them may be named in county C's row, which the article keeps anonymous.
PROVINCIAL_NAMES = [
    "Anhui", "Beijing", "Chongqing", "Fujian", "Gansu", "Guangdong", "Guangxi", "Guizhou",
    "Hainan", "Hebei", "Heilongjiang", "Henan", "Hubei", "Hunan", "Inner Mongolia", "Jiangsu",
    "Jiangxi", "Jilin", "Liaoning", "Ningxia", "Qinghai", "Shaanxi", "Shandong", "Shanghai",
    "Shanxi", "Sichuan", "Tianjin", "Tibet", "Xinjiang", "Yunnan", "Zhejiang", "Hong Kong",
    "Macau", "Taiwan",
]  # fmt: skip


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return cases()


@pytest.fixture(scope="module")
def county_c(data) -> pd.Series:
    return data.loc[data["case_id"] == "county-c"].iloc[0]


def _bib_keys() -> set[str]:
    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", text))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def test_cases_has_the_documented_columns_in_order(data):
    assert list(data.columns) == COLUMNS


def test_cases_docstring_documents_every_column():
    undocumented = [c for c in COLUMNS if f"``{c}``" not in cases.__doc__]
    assert not undocumented


def test_case_ids_are_unique(data):
    assert data["case_id"].is_unique


def test_year_is_an_integer_column(data):
    assert pd.api.types.is_integer_dtype(data["year"])


def test_yes_no_columns_are_nullable_booleans(data):
    assert all(data[c].dtype == "boolean" for c in BOOLEAN_COLUMNS)


def test_text_columns_are_strings_without_missing_values(data):
    for column in TEXT_COLUMNS:
        assert pd.api.types.is_string_dtype(data[column]), column
        assert data[column].notna().all(), column


def test_categorical_columns_use_only_their_documented_levels(data):
    # A value outside the levels would be turned into a missing value by the loader.
    for column, levels in CASE_CATEGORIES.items():
        assert isinstance(data[column].dtype, pd.CategoricalDtype), column
        assert data[column].cat.categories.tolist() == list(levels), column
        assert data[column].notna().all(), f"{column} holds a value outside {levels}"


def test_scale_is_ordered_from_elite_only_upwards(data):
    assert data["scale"].cat.ordered
    assert data["scale"].cat.categories[0] == "elite only"


def test_years_fall_between_reform_era_and_publication(data):
    # The article was published in 2019; its earliest case is Huangyan, 1994.
    assert data["year"].between(1990, 2019).all()


def test_case_ids_that_end_in_a_year_match_the_year_column(data):
    suffix = data["case_id"].str.extract(r"-(\d{4})$")[0].dropna().astype(int)
    assert len(suffix) == len(data) - 1  # every row but county-c carries its year
    assert (suffix == data.loc[suffix.index, "year"]).all()


def test_elite_resistance_rows_report_no_crowd_and_no_violence(data):
    elite = data["mode"] == "elite resistance"
    assert (data.loc[elite, "scale"] == "elite only").all()
    assert (data.loc[~elite, "scale"] != "elite only").all()
    assert not data.loc[elite, "violence"].any()


def test_county_c_is_the_first_row(data):
    assert data.loc[0, "case_id"] == "county-c"


def test_county_c_uses_the_article_pseudonyms(county_c):
    # Ma 2019, section 3: "county C ... under the administration of city H in province K".
    assert county_c["place"] == "county C"
    assert county_c["province"] == "province K"


def test_county_c_row_names_no_province_or_other_case(data, county_c):
    text = " ".join(str(county_c[c]) for c in TEXT_COLUMNS)
    other_places = data.loc[data["case_id"] != "county-c", "place"].tolist()
    named = [name for name in PROVINCIAL_NAMES + other_places if name.lower() in text.lower()]
    assert not named


def test_county_c_row_names_units_only_by_their_pseudonyms(county_c):
    text = " ".join(str(county_c[c]) for c in TEXT_COLUMNS)
    named = re.findall(r"\b(?:county|city|province|district|prefecture)\s+([A-Z]\w*)", text)
    assert set(named) <= {"C", "H", "K"}


def test_county_c_matches_the_article(county_c):
    # Ma 2019, section 3c-e: a permit request for 150 people, more than 1,000 protesters,
    # a peaceful end, the merger called premature, and no formal sanctions.
    assert "1,000" in county_c["scale_reported"]
    assert "150" in county_c["scale_reported"]
    assert county_c["mode"] == "street protest"
    assert county_c["business_role"]
    assert not county_c["violence"]
    assert county_c["demand_met"]
    assert not county_c["formal_sanctions"]
    assert county_c["official_involvement"] == "tolerance and participation"
    assert county_c["facts_from"] == "article"


def test_daye_is_the_violent_case_that_was_sanctioned(data):
    # Ma 2019, sections 3e and 4b-c: mine owners organized, protesters destroyed property,
    # and several high-level officials were removed.
    daye = data.set_index("case_id").loc["daye-2005"]
    assert daye["business_role"]
    assert daye["violence"]
    assert daye["formal_sanctions"]
    assert daye["official_involvement"] == "involvement found by investigation"


def test_huangyan_delegates_resisted_without_organizing_a_mobilization(data):
    # Ma 2019, section 4a: Huangyan's officials opposed the conversion; most people's congress
    # delegates were entrepreneurs, who refused to perform their duties once it was forced
    # through. Nobody is reported to have organized a crowd, so no business role.
    huangyan = data.set_index("case_id").loc["huangyan-1994"]
    assert huangyan["mode"] == "elite resistance"
    assert not huangyan["business_role"]
    assert huangyan["official_involvement"] == "officials opposed"
    assert "refused to perform their duties" in huangyan["notes"]


def test_business_role_is_recorded_in_three_of_six_cases(data):
    # County C (business association), Daye (mine owners) and Jingzhou (business association)
    # per Ma 2019, sections 3c and 4b; Longnan, Huangyan and Shaoxing report none.
    known = data.dropna(subset=["business_role"])
    assert len(known) == 6
    assert sorted(known.loc[known["business_role"].astype(bool), "case_id"]) == [
        "county-c",
        "daye-2005",
        "jingzhou-2015",
    ]


def test_the_articles_other_cases_carry_its_years(data):
    # Ma 2019, section 4a-b: Daye 2005, Longnan 2008, Huangyan 1994, Shaoxing 2013,
    # Jingzhou 2015, and Linshui (named in 4c) among the railway station movements.
    years = dict(zip(data["place"], data["year"], strict=True))
    expected = {"Daye": 2005, "Longnan": 2008, "Huangyan": 1994, "Shaoxing": 2013, "Jingzhou": 2015}
    assert {place: years.get(place) for place in expected} == expected
    assert "Linshui" in years


def test_every_source_key_is_in_the_bibliography(data):
    keys = {key for cell in data["source_keys"] for key in _split(cell)}
    assert keys, "no row cites a bibliography key"
    assert keys <= _bib_keys(), keys - _bib_keys()


def test_rows_drawing_on_the_article_cite_it_and_others_do_not(data):
    from_article = data["facts_from"].isin(["article", "article and other sources"])
    cites_article = data["source_keys"].map(lambda cell: "ma2019consent" in _split(cell))
    assert (from_article == cites_article).all()


def test_rows_drawing_on_other_sources_name_them(data):
    needs_other = data["facts_from"] != "article"
    has_other = data["other_sources"].map(lambda cell: bool(_split(cell)))
    assert (needs_other == has_other).all()


def test_rows_drawing_on_other_sources_cite_them_by_key(data):
    # Every outside source the book relies on has a bibliography entry, the press included.
    needs_other = data["facts_from"] != "article"
    other_keys = data["source_keys"].map(lambda cell: set(_split(cell)) - {"ma2019consent"})
    assert other_keys[needs_other].map(bool).all()
    assert not other_keys[~needs_other].map(bool).any()


def test_every_row_names_at_least_one_source(data):
    named = data["source_keys"].str.strip() + data["other_sources"].str.strip()
    assert (named != "").all()


def test_each_call_returns_a_fresh_table():
    first = cases()
    first.loc[0, "place"] = "changed"
    assert cases().loc[0, "place"] == "county C"

"""The exercises page (book/exercises.md) must list exactly the exercises the chapters hold.

The chapters are the reference: every sphinx-exercise ``exercise`` directive with a ``:label:`` in
a page under ``book/`` (Markdown files, and the Markdown cells of notebooks) other than the index
itself. The checks below keep the index from drifting when a chapter gains, loses or renames an
exercise, and hold the chapters to the book's rules for exercises: at least three per chapter, each
with a solution that is hidden in a dropdown, a label ``ex-<chapter>-<n>`` (the chapter's label
without its ``ch-``, then the exercise's number in the chapter), and a level (recall, apply or
extend) and an expected time, given in the index and in the exercise's first line
(``**Apply · 15 min**``), which must agree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
INDEX = BOOK / "exercises.md"
CHAPTER_FILES = re.compile(r"0[1-8]-.+")  # chapters 1-8 are book/01-*.md|ipynb to book/08-*

# The seven skills the index promises in its introduction, spelled as its tables spell them.
SKILLS = (
    "reading the argument",
    "working with the cases",
    "the formal model",
    "randomizing",
    "estimating",
    "inference and robustness",
    "simulation and power",
)

# The three levels of difficulty, as the index spells them, and the first line of an exercise's body
# that shows the level and the expected time on the page, e.g. **Apply · 15 min**.
LEVELS = ("recall", "apply", "extend")
LEVEL_LINE = re.compile(r"^\*\*(?P<level>Recall|Apply|Extend) · (?P<minutes>\d+) min\*\*$")
TIME_CELL = re.compile(r"^(?P<minutes>\d+) min$")

# Pages whose exercises have not yet been brought to the label scheme or given their first line.
# Each entry is an expected failure: once the page is fixed the test passes, the strict xfail turns
# that into a failure, and the entry must be removed.
PENDING_LABELS: set[str] = set()
PENDING_LEVEL_LINES: set[str] = set()

# An opening fence of a MyST directive, in backtick or colon form: ```{name} arg or :::{name} arg.
DIRECTIVE = re.compile(r"^(?:`{3,}|:{3,})\{(?P<name>[\w-]+)\}(?P<argument>.*)$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
TARGET = re.compile(r"^\((?P<label>[\w-]+)\)=\s*$")
REF = re.compile(r"\{ref\}`(?:[^`<]*<)?(?P<label>[^`<>]+)>?`")


@dataclass(frozen=True)
class Directive:
    page: str
    name: str
    argument: str
    options: dict[str, str]
    first_line: str  # the first non-blank line of the body, after the options


def _markdown_of(page: Path) -> str:
    """The Markdown a page is written in: the file itself, or a notebook's Markdown cells."""
    if page.suffix == ".md":
        return page.read_text(encoding="utf-8")
    cells = json.loads(page.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _directives(page: Path) -> list[Directive]:
    """Every directive opened in ``page``, with the options written directly under its fence."""
    lines = _markdown_of(page).splitlines()
    found = []
    for i, line in enumerate(lines):
        opening = DIRECTIVE.match(line.strip())
        if not opening:
            continue
        options, first_line = {}, ""
        for j, following in enumerate(lines[i + 1 :], start=i + 1):
            option = OPTION.match(following.strip())
            if not option:
                first_line = next((b.strip() for b in lines[j:] if b.strip()), "")
                break
            options[option["key"]] = option["value"].strip()
        found.append(
            Directive(page.name, opening["name"], opening["argument"].strip(), options, first_line)
        )
    return found


def _source_pages() -> list[Path]:
    return sorted(
        p
        for p in BOOK.rglob("*")
        if p.suffix in (".md", ".ipynb")
        and p != INDEX
        and ".ipynb_checkpoints" not in p.parts
        and "_build" not in p.parts
    )


def _chapters() -> list[Path]:
    return [p for p in _source_pages() if p.parent == BOOK and CHAPTER_FILES.fullmatch(p.name)]


def _exercises(page: Path) -> list[Directive]:
    return [d for d in _directives(page) if d.name in ("exercise", "exercise-start")]


def _exercise_labels(page: Path) -> list[str]:
    return [d.options["label"] for d in _exercises(page) if "label" in d.options]


def _all_exercise_labels() -> dict[str, str]:
    """Exercise label -> the page that holds it, over every source page."""
    return {label: page.name for page in _source_pages() for label in _exercise_labels(page)}


def _chapter_label(page: Path) -> str:
    """The label written above a chapter's title, e.g. ``ch-design``."""
    for line in _markdown_of(page).splitlines():
        target = TARGET.match(line.strip())
        if target:
            return target["label"]
    raise AssertionError(f"{page.name} has no (label)= line above its title")


def _index_text() -> str:
    return INDEX.read_text(encoding="utf-8")


def _index_sections() -> dict[str, str]:
    """The index split at its ``(label)=`` targets: target label -> the text up to the next one."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in _index_text().splitlines():
        target = TARGET.match(line.strip())
        if target:
            current = target["label"]
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    return {label: "\n".join(lines) for label, lines in sections.items()}


def _list_table_records(text: str) -> list[dict[str, str]]:
    """The body rows of every ``list-table`` in ``text``, keyed by the table's header cells."""
    records: list[dict[str, str]] = []
    for table in _list_tables(text):
        header, *body = table
        records += [dict(zip([h.lower() for h in header], row, strict=True)) for row in body]
    return records


def _list_tables_with_headers(text: str) -> list[tuple[int, list[list[str]]]]:
    """Every ``list-table`` in ``text``: its ``:header-rows:`` count and its rows, each a list of
    cells (header rows included)."""
    tables: list[tuple[int, list[list[str]]]] = []
    inside, header_rows, table_rows = False, 0, []
    for line in text.splitlines():
        stripped = line.strip()
        if not inside:
            if stripped.startswith(":::{list-table}"):
                inside, header_rows, table_rows = True, 0, []
            continue
        if stripped == ":::":
            tables.append((header_rows, table_rows))
            inside = False
        elif stripped.startswith(":header-rows:"):
            header_rows = int(stripped.split(":")[2])
        elif line.startswith("* - "):
            table_rows.append([line[4:].strip()])
        elif line.startswith("  - ") and table_rows:
            table_rows[-1].append(line[4:].strip())
        elif stripped and table_rows and line.startswith("    "):
            table_rows[-1][-1] += " " + stripped
    return tables


def _list_tables(text: str) -> list[list[list[str]]]:
    """Every ``list-table`` in ``text``, as its rows (header included), each a list of cells."""
    return [rows for _, rows in _list_tables_with_headers(text)]


def _list_table_rows(text: str) -> list[list[str]]:
    """The body rows of every ``list-table`` in ``text``, each row a list of cell texts."""
    return [
        row for header_rows, rows in _list_tables_with_headers(text) for row in rows[header_rows:]
    ]


def _chapter_table_records() -> dict[str, dict[str, str]]:
    """Exercise label -> its row in the index's chapter tables, keyed by column header."""
    found = {}
    for label, text in _index_sections().items():
        if not label.startswith("exercises-ch-"):
            continue
        for record in _list_table_records(text):
            (exercise,) = [m["label"] for m in REF.finditer(record["exercise"])]
            found[exercise] = record
    return found


def _skills_by_exercise_from_chapter_tables() -> dict[str, set[str]]:
    return {
        exercise: {skill.strip().lower() for skill in record["skills"].split(",")}
        for exercise, record in _chapter_table_records().items()
    }


def _pending(pages: set[str], reason: str) -> list:
    """The chapters as test parameters, with the pages in ``pages`` marked as strict xfails."""
    return [
        pytest.param(page, marks=pytest.mark.xfail(strict=True, reason=reason))
        if page.name in pages
        else page
        for page in _chapters()
    ]


def _exercises_by_skill_from_skill_table() -> dict[str, set[str]]:
    rows = _list_table_rows(_index_sections()["exercises-by-skill"])
    return {row[0].strip().lower(): {m["label"] for m in REF.finditer(row[1])} for row in rows}


def test_chapters_one_to_eight_are_all_found():
    # The other checks loop over chapters; an empty or partial list would make them pass vacuously.
    numbers = sorted(p.name[:2] for p in _chapters())
    assert numbers == [f"{n:02d}" for n in range(1, 9)], numbers


@pytest.mark.parametrize("chapter", _chapters(), ids=lambda p: p.name)
def test_every_chapter_has_at_least_three_exercises(chapter):
    labels = _exercise_labels(chapter)
    assert len(labels) >= 3, f"{chapter.name} has {len(labels)} labelled exercises: {labels}"


def test_every_exercise_has_a_label():
    unlabelled = [
        d.page for p in _source_pages() for d in _exercises(p) if "label" not in d.options
    ]
    assert not unlabelled, f"exercises without a :label: (the index cannot link them): {unlabelled}"


def test_exercise_labels_are_unique_across_the_book():
    labels = [label for page in _source_pages() for label in _exercise_labels(page)]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    assert not duplicates, f"exercise labels used more than once: {duplicates}"


def test_every_exercise_has_a_solution_in_a_dropdown():
    missing = []
    for page in _source_pages():
        solutions = [d for d in _directives(page) if d.name in ("solution", "solution-start")]
        hidden = {d.argument for d in solutions if "dropdown" in d.options.get("class", "").split()}
        missing += [
            f"{page.name}: {label}" for label in _exercise_labels(page) if label not in hidden
        ]
    assert not missing, f"exercises without a ':class: dropdown' solution: {missing}"


def test_every_solution_answers_an_existing_exercise():
    exercises = _all_exercise_labels()
    orphans = [
        f"{page.name}: {d.argument}"
        for page in _source_pages()
        for d in _directives(page)
        if d.name in ("solution", "solution-start") and d.argument not in exercises
    ]
    assert not orphans, f"solutions that name no exercise: {orphans}"


def test_every_exercise_in_the_chapters_is_on_the_index():
    linked = {m["label"] for m in REF.finditer(_index_text())}
    missing = sorted(set(_all_exercise_labels()) - linked)
    assert not missing, f"exercises missing from book/exercises.md: {missing}"


def test_every_label_the_index_links_to_is_an_exercise():
    # The index uses {ref} for exercises only; chapters are linked with {numref} or {doc}.
    exercises = _all_exercise_labels()
    unknown = sorted({m["label"] for m in REF.finditer(_index_text())} - set(exercises))
    assert not unknown, f"book/exercises.md links to labels no exercise has: {unknown}"


def test_index_lists_each_chapters_exercises_under_it_in_order():
    sections = _index_sections()
    wrong = []
    for chapter in _chapters():
        section = f"exercises-{_chapter_label(chapter)}"
        if section not in sections:
            wrong.append(f"no section ({section})= for {chapter.name}")
            continue
        listed = [m["label"] for m in REF.finditer(sections[section])]
        if listed != _exercise_labels(chapter):
            wrong.append(
                f"{section} lists {listed}, {chapter.name} has {_exercise_labels(chapter)}"
            )
    assert not wrong, "\n".join(wrong)


def test_chapter_tables_use_only_the_seven_skills():
    unknown = {
        exercise: sorted(skills - set(SKILLS))
        for exercise, skills in _skills_by_exercise_from_chapter_tables().items()
        if skills - set(SKILLS)
    }
    assert not unknown, f"skills not among the seven: {unknown}"


def test_skill_table_has_one_row_per_skill():
    assert sorted(_exercises_by_skill_from_skill_table()) == sorted(SKILLS)


def test_skill_table_agrees_with_the_chapter_tables():
    from_chapters = _skills_by_exercise_from_chapter_tables()
    from_skills: dict[str, set[str]] = {exercise: set() for exercise in from_chapters}
    for skill, exercises in _exercises_by_skill_from_skill_table().items():
        for exercise in exercises:
            from_skills.setdefault(exercise, set()).add(skill)
    disagreements = {
        exercise: {
            "chapter table": sorted(from_chapters.get(exercise, set())),
            "skill table": sorted(skills),
        }
        for exercise, skills in from_skills.items()
        if skills != from_chapters.get(exercise, set())
    }
    assert not disagreements, f"the two tables tag these exercises differently: {disagreements}"


def test_chapter_tables_have_the_columns_the_introduction_describes():
    for label, text in _index_sections().items():
        if label.startswith("exercises-ch-"):
            for table in _list_tables(text):
                assert [h.lower() for h in table[0]] == [
                    "exercise",
                    "level",
                    "time",
                    "skills",
                    "works with",
                    "what it asks",
                ], f"{label}: {table[0]}"


def test_every_exercise_in_the_index_has_a_level_and_a_time():
    records = _chapter_table_records()
    assert set(records) == set(_all_exercise_labels())
    wrong = {
        exercise: (record["level"], record["time"])
        for exercise, record in records.items()
        if record["level"] not in LEVELS
        or not TIME_CELL.match(record["time"])
        or not 5 <= int(TIME_CELL.match(record["time"])["minutes"]) <= 90
    }
    assert not wrong, f"levels must be one of {LEVELS} and times like '15 min': {wrong}"


@pytest.mark.parametrize(
    "chapter",
    _pending(PENDING_LABELS, "exercise labels to be renamed with the notebook"),
    ids=lambda p: p.name,
)
def test_exercise_labels_follow_the_chapter_scheme(chapter):
    slug = _chapter_label(chapter).removeprefix("ch-")
    expected = [f"ex-{slug}-{n}" for n in range(1, len(_exercise_labels(chapter)) + 1)]
    assert _exercise_labels(chapter) == expected


@pytest.mark.parametrize(
    "chapter",
    _pending(PENDING_LEVEL_LINES, "level lines to be added with the notebook"),
    ids=lambda p: p.name,
)
def test_each_exercise_shows_the_indexs_level_and_time_in_its_first_line(chapter):
    records = _chapter_table_records()
    wrong = []
    for exercise in _exercises(chapter):
        label = exercise.options.get("label", "")
        shown = LEVEL_LINE.match(exercise.first_line)
        record = records.get(label)
        if (
            not shown
            or record is None
            or shown["level"].lower() != record["level"]
            or f"{shown['minutes']} min" != record["time"]
        ):
            wrong.append(f"{label}: first line {exercise.first_line!r}, index {record}")
    assert not wrong, "\n".join(wrong)

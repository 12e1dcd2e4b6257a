"""The exercises page (book/exercises.md) must list exactly the exercises the chapters hold.

The chapters are the reference: every sphinx-exercise ``exercise`` directive with a ``:label:`` in
a page under ``book/`` (Markdown files, and the Markdown cells of notebooks) other than the index
itself. The checks below keep the index from drifting when a chapter gains, loses or renames an
exercise, and hold the chapters to the book's rules for exercises: at least three per chapter, each
with a solution that is hidden in a dropdown.
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
        options = {}
        for following in lines[i + 1 :]:
            option = OPTION.match(following.strip())
            if not option:
                break
            options[option["key"]] = option["value"].strip()
        found.append(Directive(page.name, opening["name"], opening["argument"].strip(), options))
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


def _list_table_rows(text: str) -> list[list[str]]:
    """The body rows of every ``list-table`` in ``text``, each row a list of cell texts."""
    rows: list[list[str]] = []
    inside, header_rows, table_rows = False, 0, []
    for line in text.splitlines():
        stripped = line.strip()
        if not inside:
            if stripped.startswith(":::{list-table}"):
                inside, header_rows, table_rows = True, 0, []
            continue
        if stripped == ":::":
            rows.extend(table_rows[header_rows:])
            inside = False
        elif stripped.startswith(":header-rows:"):
            header_rows = int(stripped.split(":")[2])
        elif line.startswith("* - "):
            table_rows.append([line[4:].strip()])
        elif line.startswith("  - ") and table_rows:
            table_rows[-1].append(line[4:].strip())
        elif stripped and table_rows and line.startswith("    "):
            table_rows[-1][-1] += " " + stripped
    return rows


def _skills_by_exercise_from_chapter_tables() -> dict[str, set[str]]:
    found = {}
    for label, text in _index_sections().items():
        if not label.startswith("exercises-ch-"):
            continue
        for row in _list_table_rows(text):
            (exercise,) = [m["label"] for m in REF.finditer(row[0])]
            found[exercise] = {skill.strip().lower() for skill in row[1].split(",")}
    return found


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

"""One place names the repository: ``repository.url`` in ``_config.yml``.

Jupyter Book feeds it to the repository, issue, download and launch buttons; the README's Binder
badge and links, and every link to the repository in the book, must name the same repository
and branch, so that changing that one line (and the links these tests point at) moves them all.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
URL = CONFIG["repository"]["url"]
BRANCH = CONFIG["repository"]["branch"]

#: Other projects' repositories the book may link to: the tools it names.
OTHER_REPOSITORIES = {"jupyter-book/jupyterlab-myst"}

GITHUB = re.compile(r"https?://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?(?=[/\s)\]\"'>#?]|$)")
BINDER = re.compile(r"https?://mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/([\w.-]+)")


def _slug() -> str:
    match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+)", URL)
    assert match, f"repository.url must be https://github.com/OWNER/NAME; got {URL!r}"
    return match.group(1)


def _project_texts() -> dict[str, str]:
    paths = [ROOT / "README.md", *sorted((ROOT / "binder").iterdir())]
    paths += sorted((ROOT / "book").glob("*.md")) + sorted((ROOT / "book").glob("*.ipynb"))
    return {str(p.relative_to(ROOT)): p.read_text() for p in paths if p.is_file()}


def test_the_repository_url_names_a_github_repository():
    assert _slug().count("/") == 1


def test_the_readme_has_a_binder_badge_for_the_configured_repository():
    readme = (ROOT / "README.md").read_text()
    badge = re.search(
        r"\[!\[[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]\(([^)]+)\)", readme
    )
    assert badge, "the README has no Binder badge"
    link = BINDER.match(badge.group(1))
    assert link and link.groups() == (_slug(), BRANCH), badge.group(1)


@pytest.mark.parametrize("name", sorted(_project_texts()))
def test_every_link_to_the_repository_or_binder_names_the_configured_one(name):
    text = _project_texts()[name]
    for slug in GITHUB.findall(text):
        assert slug == _slug() or slug in OTHER_REPOSITORIES, f"{name} links to {slug}"
    for slug, branch in BINDER.findall(text):
        assert (slug, branch) == (_slug(), BRANCH), f"{name} launches {slug}@{branch} on Binder"


def test_no_institutions_jupyterhub_is_the_default():
    assert not CONFIG["launch_buttons"].get("jupyterhub_url"), (
        "launch_buttons.jupyterhub_url sends every reader to one institution's hub; leave it empty"
    )
    assert CONFIG["launch_buttons"]["binderhub_url"] == "https://mybinder.org"

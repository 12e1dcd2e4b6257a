"""The workflow that publishes the site: it cannot run here, so its shape is checked instead.

It must be valid YAML, run nothing but targets the Makefile defines, and deploy ``_build/html``
(where ``make book`` puts the site) with GitHub's Pages actions.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def _makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    targets = set()
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-/ $()]+?)\s*:(?!=)", line)
        if match and not line.startswith("\t"):
            targets.update(match.group(1).split())
    return targets


def _workflow() -> dict:
    loaded = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(loaded, dict), "the workflow is not a YAML mapping"
    return loaded


def _steps(workflow: dict):
    for name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield name, step


def test_the_workflow_is_valid_yaml_with_a_trigger_and_jobs():
    workflow = _workflow()
    # PyYAML reads the bare key `on` as True.
    assert "on" in workflow or True in workflow
    assert workflow["jobs"]


def test_the_workflow_runs_only_targets_the_makefile_defines():
    targets = _makefile_targets()
    assert {"book", "test"} <= targets
    commands = [step["run"] for _, step in _steps(_workflow()) if "run" in step]
    assert commands, "the workflow builds nothing"
    for command in commands:
        for line in filter(None, (part.strip() for part in command.splitlines())):
            words = shlex.split(line)
            assert words[0] == "make", f"the workflow runs {line!r}, not a make target"
            named = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
            assert named, f"{line!r} names no target"
            assert set(named) <= targets, f"{line!r} names targets the Makefile lacks"
    assert any(shlex.split(c)[:2] == ["make", "book"] for c in commands)


def test_the_workflow_deploys_the_built_site_to_pages():
    workflow = _workflow()
    uploads = [s for _, s in _steps(workflow) if "upload-pages-artifact" in s.get("uses", "")]
    assert len(uploads) == 1 and uploads[0]["with"]["path"].rstrip("/") == "_build/html"
    deploy_jobs = [
        name
        for name, job in workflow["jobs"].items()
        if any("actions/deploy-pages" in s.get("uses", "") for s in job.get("steps", []))
    ]
    assert len(deploy_jobs) == 1
    deploy = workflow["jobs"][deploy_jobs[0]]
    builder = next(n for n, s in _steps(workflow) if "upload-pages-artifact" in s.get("uses", ""))
    assert builder in ([deploy["needs"]] if isinstance(deploy["needs"], str) else deploy["needs"])
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"


def test_make_book_writes_the_site_where_the_workflow_takes_it():
    recipe = re.search(r"^book:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert recipe and "jupyter-book build ." in recipe.group(1)
    assert "_build/html" in recipe.group(1)

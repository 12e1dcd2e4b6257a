"""A Sphinx extension that puts each script on a page once.

sphinx-thebe adds its inline configuration (``const THEBE_JS_URL = ...``) every time documents
are read, so a build can carry it twice on every page, and the browser then logs "Identifier
'THEBE_JS_URL' has already been declared". This drops repeated scripts from each page.
"""

from __future__ import annotations


def _key(script) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    return (
        str(
            getattr(script, "filename", script) or ""
        ),  # inline scripts: None or ""
        tuple(sorted((str(k), str(v)) for k, v in attributes.items())),
    )


def _unique_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    kept = []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", _unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

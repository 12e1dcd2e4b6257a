"""A Sphinx extension that gives bibliography entries a role assistive technology accepts.

docutils writes each citation as ``<div role="doc-biblioentry">`` inside a ``role="list"``
container. ARIA 1.2 deprecated ``doc-biblioentry``, and a list whose children are not list
items is an error for screen readers (axe-core's aria-required-children). The entries become
``role="listitem"``; the ``citation`` class keeps their styling.
"""

from __future__ import annotations


def _list_items(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace(
            'role="doc-biblioentry"', 'role="listitem"'
        )


def setup(app):
    app.connect("html-page-context", _list_items)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

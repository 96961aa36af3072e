"""Which placeholders a template uses that the context cannot give, before anything is rendered.

docxtpl's get_undeclared_template_variables only names unknown top-level variables; a typo such
as {{ workshop.titel }} or {{ note.txt }} inside a loop would only fail half-way through a render.
So the template's Jinja syntax tree is walked with a sample context: loop variables stand for
the elements of what they loop over, and every attribute is looked up in them.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from jinja2 import Environment, nodes

from reports.sample import sample_board, sample_planning, sample_workshop
from sync.core.recap_context import build_report_context

_UNKNOWN = object()  # a value the walk cannot know (a macro argument, a filter's result...)
_TOLERANT = {"default", "d", "defined", "undefined"}  # filters and tests made for missing values
_JINJA_NAMES = {"loop", "range", "dict", "lipsum", "cycler", "joiner", "namespace", "true", "false", "none"}


@dataclass(frozen=True)
class Unknown:
    name: str  # as written in the template: "workshop.titel"
    line: int  # line of the patched XML: one line per paragraph, so roughly a paragraph number
    suggestion: str = ""  # the nearest placeholder that exists there: "workshop.title"


def _nearest(wanted: str, known) -> str:
    names = [k for k in known if isinstance(k, str)]
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
    return close[0] if close else ""


def sample_context(lang: str = "sv") -> dict:
    """A context with every list filled, for checking templates."""
    return build_report_context(sample_workshop(), sample_board(), sample_planning(), lang=lang,
                                organisation="Exempelorganisationen",
                                generated=datetime(2021, 5, 5, 12, 0, tzinfo=UTC))


def _written(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_written(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_written(node.node)}[{node.arg.value!r}]"
    return "…"


def _element(items):
    """What a loop variable stands for: for a list of dicts, all their keys at once, with their
    lists joined, so that an exercise without actions does not hide a typo in {{ action.hur }}."""
    if not isinstance(items, list) or not items:
        return _UNKNOWN
    if not all(isinstance(item, dict) for item in items):
        return items[0]
    merged: dict = {}
    for item in items:
        for key, value in item.items():
            if key not in merged:
                merged[key] = value
            elif isinstance(value, list) and isinstance(merged[key], list):
                merged[key] = merged[key] + value
    return merged


class _Walk:
    def __init__(self, context: dict):
        self.context = context
        self.found: list[Unknown] = []

    def value(self, node: nodes.Node, scope: dict):
        """What an expression would be in the sample context, recording names it cannot find."""
        if isinstance(node, nodes.Name):
            if node.ctx != "load" or node.name in scope:
                return scope.get(node.name, _UNKNOWN)
            if node.name in self.context:
                return self.context[node.name]
            if node.name not in _JINJA_NAMES:
                nearest = _nearest(node.name, [*self.context, *scope])
                self.found.append(Unknown(node.name, node.lineno, nearest))
            return _UNKNOWN
        if isinstance(node, (nodes.Getattr, nodes.Getitem)) and not (
                isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const)):
            owner = self.value(node.node, scope)
            key = node.attr if isinstance(node, nodes.Getattr) else cast(nodes.Const, node.arg).value
            if isinstance(owner, dict) and key in owner:
                return owner[key]
            # Jinja falls back to Python attributes: dict methods (.get) and list ones are found.
            known = owner is _UNKNOWN or (isinstance(key, str) and hasattr(owner, key)) or (
                isinstance(owner, list) and isinstance(key, int) and -len(owner) <= key < len(owner))
            if not known:
                nearest = _nearest(key, owner) if isinstance(owner, dict) and isinstance(key, str) else ""
                suggestion = f"{_written(node.node)}.{nearest}" if nearest else ""
                self.found.append(Unknown(_written(node), node.lineno, suggestion))
            return _UNKNOWN
        if isinstance(node, (nodes.Filter, nodes.Test)) and node.name in _TOLERANT:
            for child in (*node.args, *node.kwargs):  # the tested value itself may be missing
                self.value(child, scope)
            return _UNKNOWN
        self.visit(node, scope)
        return _UNKNOWN

    def visit(self, node: nodes.Node, scope: dict) -> None:
        if isinstance(node, nodes.For):
            items = self.value(node.iter, scope)
            inner = {**scope, **self.bind(node.target, _element(items))}
            if node.test is not None:
                self.value(node.test, inner)
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
            return
        if isinstance(node, nodes.Assign):
            scope.update(self.bind(node.target, self.value(node.node, scope)))
            return
        if isinstance(node, nodes.AssignBlock):
            scope.update(self.bind(node.target, _UNKNOWN))
        if isinstance(node, nodes.With):
            values = [self.value(v, scope) for v in node.values]
            for target, value in zip(node.targets, values):
                scope = {**scope, **self.bind(target, value)}
        if isinstance(node, (nodes.Macro, nodes.CallBlock)):
            names = {arg.name: _UNKNOWN for arg in getattr(node, "args", [])}
            scope = {**scope, **names, "caller": _UNKNOWN, "varargs": _UNKNOWN, "kwargs": _UNKNOWN}
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.value(child, scope)
            else:
                self.visit(child, scope)

    @staticmethod
    def bind(target: nodes.Node, value) -> dict:
        if isinstance(target, nodes.Name):
            return {target.name: value}
        return {name.name: _UNKNOWN for name in target.find_all(nodes.Name)}


def unknown_placeholders(source: str, context: dict, env: Environment | None = None) -> list[Unknown]:
    """Placeholders in Jinja source (docxtpl-patched XML) the context cannot resolve, first use of each.
    Raises jinja2.TemplateSyntaxError for broken tags."""
    tree = (env or Environment()).parse(source)
    walk = _Walk(context)
    walk.visit(tree, {})
    seen: dict[str, Unknown] = {}
    for unknown in walk.found:
        seen.setdefault(unknown.name, unknown)
    return list(seen.values())

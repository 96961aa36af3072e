"""Template problems told the way a Word user can find them: by the paragraph's text and the heading
above it (Word has no line numbers), and for a broken tag, the paragraph where it is broken.

Works on the Jinja source as reports/docx_recap.py builds it: docxtpl-patched XML, one paragraph per line.
"""
from __future__ import annotations

import bisect
import difflib
import re

from jinja2 import TemplateSyntaxError

from reports.placeholders import Unknown
from sync.core.i18n import _
from sync.core.text import one_line

DOCS = "docs/templates.md"
# Heading styles by id: Word writes "Heading1"/"Title" in English, "Rubrik1"/"Rubrik" in Swedish.
_HEADING = re.compile(r'<w:pStyle w:val="(?:Heading|Rubrik|Title|berschrift|Titre|Titel)\d*"', re.IGNORECASE)
_OPENERS = {"for", "if", "macro", "call", "filter", "with", "block", "autoescape", "trans"}
_TAG = re.compile(r"\{%-?\s*(\w+)")
_DELIMITERS = (("{{", "}}"), ("{%", "%}"))


def _text(line: str) -> str:
    """A line's visible text; a {%p %} paragraph (reduced to its tag by docxtpl) as typed in Word."""
    text = " ".join(re.sub(r"<[^>]+>", "", line).split())
    return text if re.search(r"<w:p[ >]", line) else re.sub(r"^\{%-?\s*", "{%p ", text)


def where(source: str, line: int) -> str:
    """'the paragraph "…" under the heading "…"', for a line of the source."""
    lines = source.splitlines()
    text = one_line(_text(lines[line - 1]), 80) if 0 < line <= len(lines) else ""
    place = _('the paragraph "{text}"').format(text=text) if text else _("an empty paragraph")
    for above in reversed(lines[:max(line - 1, 0)]):
        if _HEADING.search(above) and _text(above):
            return _('{place} under the heading "{heading}"').format(place=place, heading=one_line(_text(above), 60))
    return place


def unknown_message(unknown: Unknown, source: str) -> str:
    """'workshop.titel' in the paragraph "…" under the heading "…"; did you mean 'workshop.title'?"""
    place = where(source, unknown.line)
    if unknown.suggestion:
        return _("{name!r} in {place}; did you mean {suggestion!r}?").format(name=unknown.name, place=place,
                                                                           suggestion=unknown.suggestion)
    return _("{name!r} in {place}").format(name=unknown.name, place=place)


def unbalanced_paragraph(source: str) -> str:
    """The message for the first paragraph whose {{ or {% is not closed within it ("" when none)."""
    line = _unbalanced_line(source)
    if line is None:
        return ""
    return _("broken tag in {place}: every {{{{ must be closed by }}}} and every {{% by %}} in the same paragraph").format(
        place=where(source, line))


def _unbalanced_line(source: str) -> int | None:
    """The first paragraph with a {{ or {% that is not closed within it (or a closing one never opened)."""
    for number, line in enumerate(source.splitlines(), 1):
        text = _text(line)
        if any(text.count(start) != text.count(end) for start, end in _DELIMITERS):
            return number
    return None


def _unclosed_block(source: str) -> tuple[int, str] | None:
    """(line, tag) of the block tag left open: an {% if %} without {% endif %}, a {% for %} closed by endif..."""
    starts = [m.start() for m in re.finditer(r"\n", source)]
    open_blocks: list[tuple[int, str]] = []
    for match in _TAG.finditer(source):
        tag, line = match.group(1), bisect.bisect_left(starts, match.start()) + 1
        if tag in _OPENERS:
            open_blocks.append((line, tag))
        elif tag.startswith("end"):
            if not open_blocks or open_blocks[-1][1] != tag[3:]:
                return open_blocks[-1] if open_blocks else (line, tag)
            open_blocks.pop()
    return open_blocks[-1] if open_blocks else None


def broken_tag_message(source: str, error: TemplateSyntaxError) -> str:
    """One line naming the paragraph where the tag is broken and what to do."""
    if unbalanced_paragraph(source):
        return unbalanced_paragraph(source)
    unknown_tag = re.match(r"Encountered unknown tag '(\w+)'", error.message or "")
    if unknown_tag and not unknown_tag.group(1).startswith("end"):
        close = difflib.get_close_matches(unknown_tag.group(1), [*_OPENERS, "else", "elif", "set"], n=1)
        place = where(source, error.lineno or 0)
        if close:
            return _("broken tag in {place}: unknown tag {tag!r}; did you mean {{%p {suggestion} %}}?").format(
                place=place, tag=unknown_tag.group(1), suggestion=close[0])
        return _("broken tag in {place}: unknown tag {tag!r}").format(place=place, tag=unknown_tag.group(1))
    unclosed = _unclosed_block(source)
    if unclosed is not None and unclosed[1] in _OPENERS:
        line, tag = unclosed
        return _("broken tag: the {{% {tag} %}} in {place} is never closed; add a paragraph {{%p end{tag} %}} where "
                 "it should end").format(tag=tag, place=where(source, line))
    if unclosed is not None:
        return _("broken tag: the {{% {tag} %}} in {place} closes nothing; delete it").format(
            tag=unclosed[1], place=where(source, unclosed[0]))
    return _("broken tag in {place}: {reason}").format(place=where(source, error.lineno or 0),
                                                       reason=one_line(error.message or "", 120))

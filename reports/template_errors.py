"""Template problems told the way a Word user can find them: by the paragraph's text and the heading
above it (Word has no line numbers), and for a broken tag, the paragraph where it is broken.

Works on the Jinja source as reports/render.py builds it: docxtpl-patched XML, one paragraph per line.
"""
from __future__ import annotations

import bisect
import difflib
import re

from jinja2 import TemplateSyntaxError

from sync.text import one_line

from .placeholders import Unknown

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
    place = f'the paragraph "{text}"' if text else "an empty paragraph"
    for above in reversed(lines[:max(line - 1, 0)]):
        if _HEADING.search(above) and _text(above):
            return f'{place} under the heading "{one_line(_text(above), 60)}"'
    return place


def unknown_message(unknown: Unknown, source: str) -> str:
    """'workshop.titel' in the paragraph "…" under the heading "…"; did you mean 'workshop.title'?"""
    hint = f"; did you mean {unknown.suggestion!r}?" if unknown.suggestion else ""
    return f"{unknown.name!r} in {where(source, unknown.line)}{hint}"


def unbalanced_paragraph(source: str) -> str:
    """The message for the first paragraph whose {{ or {% is not closed within it ("" when none)."""
    line = _unbalanced_line(source)
    if line is None:
        return ""
    return (f"broken tag in {where(source, line)}: every {{{{ needs its }}}} and every {{% its %}} "
            f"in the same paragraph")


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
        hint = f"; did you mean {{%p {close[0]} %}}?" if close else ""
        return f"broken tag in {where(source, error.lineno or 0)}: unknown tag {unknown_tag.group(1)!r}{hint}"
    unclosed = _unclosed_block(source)
    if unclosed is not None and unclosed[1] in _OPENERS:
        line, tag = unclosed
        return (f"broken tag: the {{% {tag} %}} in {where(source, line)} is never closed; "
                f"add a paragraph {{%p end{tag} %}} where it should end")
    if unclosed is not None:
        return f"broken tag: the {{% {unclosed[1]} %}} in {where(source, unclosed[0])} closes nothing; delete it"
    return f"broken tag in {where(source, error.lineno or 0)}: {one_line(error.message or '', 120)}"

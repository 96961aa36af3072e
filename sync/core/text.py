"""Text hygiene for untrusted board and sheet text. Pure functions."""
from __future__ import annotations

import html
import re

# XML 1.0 allows TAB, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# <br>, and the start or end of a paragraph-like element, are line breaks.
_BREAKS = re.compile(r"<\s*/?\s*(?:br|p|div|li|h[1-6])\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def remove_invalid_xml(text: str) -> str:
    """Drop characters a Word document cannot hold (NUL, vertical tab, lone surrogates...)."""
    return _XML_INVALID.sub("", text)


# Anything tidy() would change; most sticky texts have none of it, and skipping them is the fast path.
_UNTIDY = re.compile("[\x00-\x09\x0b-\x1f\ud800-\udfff\ufffe\uffff\u00a0\u2000-\u200b\u202f\u205f\u3000]"
                     "| {2}|^[ \n]|[ \n]$| \n|\n |\n\n")


def tidy(text: str) -> str:
    """Invalid characters removed, spaces folded, blank lines dropped, ends trimmed."""
    if not _UNTIDY.search(text):
        return text
    text = remove_invalid_xml(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(markup: str) -> str:
    """MURAL's htmlText to plain text: <br> and paragraphs become line breaks, entities decoded."""
    if "<" in markup:
        # MURAL writes <p>…</p> and <br>: plain replacements first, the regexes only for anything else.
        markup = markup.replace("</p>", "\n").replace("<p>", "").replace("<br>", "\n").replace("<br/>", "\n")
        if "<" in markup:
            markup = _TAG.sub("", _BREAKS.sub("\n", markup))
    if "&" in markup:
        markup = html.unescape(markup)
    return tidy(markup.strip("\n"))  # paragraph breaks at the ends would force tidy's slow path


# A tag (<div>, </span>, <br/>) or an entity (&nbsp; &amp; &#39;): what marks a field as HTML rather than plain text.
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def plain_text(value: object) -> str:
    """Any board text field as plain text: HTML when it holds tags or entities (MURAL puts
    `<div><span style=...>Lunch</span></div>` in the `text` of text widgets and shapes), else tidied as is.
    Plain text such as "a < b" or "R&D" is left alone."""
    if not isinstance(value, str):
        return ""
    if ("<" in value or "&" in value) and _MARKUP.search(value):
        return html_to_text(value)
    return tidy(value)


def one_line(text: object, limit: int = 300) -> str:
    """For log lines, single-line messages and previews: no line breaks, at most `limit` characters."""
    flat = " ".join(tidy(str(text)).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"

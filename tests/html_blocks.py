"""HTML read back as a reader sees it: strictly parsed (html5lib, any parse error fails), then its blocks in order."""
from __future__ import annotations

import html5lib

BLOCKS = {"h1", "h2", "h3", "h4", "p", "li"}
NS = "{http://www.w3.org/1999/xhtml}"


def parse(html: str, *, fragment: bool = False):
    """The tree of `html`; html5lib.html5parser.ParseError on the first error a browser would have to recover from."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parseFragment(html) if fragment else parser.parse(html)


def _text(element) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.removeprefix(NS) if isinstance(child.tag, str) else ""
        if tag in ("ul", "ol"):  # a nested list is blocks of its own
            parts.append(" ")
        else:
            parts.append(" " if tag == "br" else "")
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def blocks(html: str, *, fragment: bool = False, inside: str = "") -> list[str]:
    """Every heading, paragraph and list item's text, spaces squashed, in document order (`inside`: only those in
    the first element of that tag, e.g. "article")."""
    root = parse(html, fragment=fragment)
    if inside:
        root = next(root.iter(NS + inside))
    return [" ".join(_text(e).split()) for e in root.iter() if isinstance(e.tag, str) and e.tag.removeprefix(NS) in BLOCKS
            and " ".join(_text(e).split())]


def links(html: str, *, fragment: bool = False) -> list[str]:
    return [a.get("href") for a in parse(html, fragment=fragment).iter(NS + "a")]

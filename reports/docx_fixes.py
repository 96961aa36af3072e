"""Fixes applied to a rendered recap that Word templates and docxtpl cannot express.

- Numbered lists: every List Number paragraph shares one w:num, so a second list would go on
  counting where the first stopped (python-docx #25/#87). Each separate run of numbered
  paragraphs gets its own w:num pointing at the same abstract list, restarting at 1.
- Links: docxtpl writes URLs as plain text; Word only makes links of what is typed. URLs in
  plain runs become real hyperlinks, so the slides link can be clicked in Word and in the PDF.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Callable

from docx.document import Document
from docx.enum.text import WD_UNDERLINE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

_URL = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)\]]")


def _num_pr(p_pr, document: Document, style_cache: dict) -> tuple[int, int] | None:
    """(numId, ilvl) of a paragraph: its own numPr, else the one its style (or a base style) gives."""
    own = p_pr.numPr if p_pr is not None else None
    if own is not None and own.numId is not None:
        return own.numId.val, own.ilvl.val if own.ilvl is not None else 0
    style_id = p_pr.pStyle.val if p_pr is not None and p_pr.pStyle is not None else None
    if style_id not in style_cache:
        style_cache[style_id] = None
        style = document.styles.element.get_by_id(style_id) if style_id else None
        while style is not None and style_cache[style_id] is None:
            num_pr = style.pPr.numPr if style.pPr is not None else None
            if num_pr is not None and num_pr.numId is not None:
                style_cache[style_id] = (num_pr.numId.val, num_pr.ilvl.val if num_pr.ilvl is not None else 0)
            style = style.base_style
    return style_cache[style_id]


def _abstract_if_numbered(numbering, num_id: int, ilvl: int) -> int | None:
    """The abstractNumId behind a numId when that level counts (not bullets, not numId 0 = none)."""
    nums = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
    if not nums:
        return None
    formats = numbering.xpath(f'./w:abstractNum[@w:abstractNumId="{nums[0]}"]/w:lvl[@w:ilvl="{ilvl}"]/w:numFmt/@w:val')
    return int(nums[0]) if formats and formats[0] not in ("bullet", "none") else None


def restart_numbering(document: Document) -> int:
    """Give each separate run of numbered paragraphs its own list starting at 1. Returns the count."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):  # python-docx's answer for a template with no numbering part
        return 0
    lists: list[tuple[int, list]] = []
    style_cache: dict = {}
    abstract_cache: dict = {}  # (numId, ilvl) -> abstractNumId: xpath per paragraph is slow at 5,000 notes
    previous = None  # the abstract list the element before belonged to
    for child in document.element.body.iterchildren():
        abstract = None
        if child.tag == qn("w:p"):
            found = _num_pr(child.pPr, document, style_cache)
            if found and found not in abstract_cache:
                abstract_cache[found] = _abstract_if_numbered(numbering, *found)
            abstract = abstract_cache[found] if found else None
        if abstract is not None:
            if abstract != previous:
                lists.append((abstract, []))
            lists[-1][1].append(child)
        previous = abstract
    for abstract, paragraphs in lists:
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        for paragraph in paragraphs:
            num_pr = paragraph.get_or_add_pPr().get_or_add_numPr()
            ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            num_pr.get_or_add_ilvl().val = ilvl
            num_pr.get_or_add_numId().val = num.numId
    return len(lists)


def _run_with_text(run, text: str):
    new = copy.deepcopy(run)
    for t in new.findall(qn("w:t")):
        new.remove(t)
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    new.append(t)
    return new


def link_urls(document: Document) -> int:
    """Turn URLs in plain text runs of body paragraphs into hyperlinks. Returns how many."""
    return link_text(document, _URL, lambda url: url)


def link_text(document: Document, pattern: re.Pattern[str], target: Callable[[str], str]) -> int:
    """Make every match of `pattern` in a plain text run of a body paragraph a hyperlink to `target(match)`.
    Runs with breaks, tabs or fields stay as they are. Returns how many links were made."""
    has_style = any(s.style_id == "Hyperlink" for s in document.styles)
    made = 0
    for paragraph in document.element.body.iter(qn("w:p")):
        for run in paragraph.findall(qn("w:r")):
            texts = [c for c in run if c.tag != qn("w:rPr")]
            if len(texts) != 1 or texts[0].tag != qn("w:t") or not pattern.search(texts[0].text or ""):
                continue
            text, pieces, start = texts[0].text, [], 0
            for match in pattern.finditer(text):
                if match.start() > start:
                    pieces.append(_run_with_text(run, text[start:match.start()]))
                link = OxmlElement("w:hyperlink")
                link.set(qn("r:id"), document.part.relate_to(target(match.group()), RT.HYPERLINK, is_external=True))
                linked = _run_with_text(run, match.group())
                r_pr = linked.get_or_add_rPr()
                if has_style:
                    r_pr.style = "Hyperlink"
                else:  # a coordinator's template without the style still gets a visible link
                    r_pr.get_or_add_u().val = WD_UNDERLINE.SINGLE
                link.append(linked)
                pieces.append(link)
                start = match.end()
                made += 1
            if start < len(text):
                pieces.append(_run_with_text(run, text[start:]))
            for piece in reversed(pieces):
                run.addnext(piece)
            paragraph.remove(run)
    return made

"""The planning sheet's tabs -> the model (Planning). Pure: values in, model out."""
from __future__ import annotations

import datetime as dt
import re

from sync.core.errors import InputError
from sync.core.i18n import _
from sync.core.model import Action, Attendee, Planning, Workshop
from sync.core.sheet.tabs import ACTIONS, ATTENDEES, IDEAS, WORKSHOPS, TabSchema, find_columns, find_renamed_tab, find_tab
from sync.core.sheet.values import SheetValues
from sync.core.text import tidy

_MONTHS = {name: number for number, names in enumerate(
    [("jan", "januari", "january"), ("feb", "februari", "february"), ("mar", "mars", "march"), ("apr", "april"),
     ("maj", "may"), ("jun", "juni", "june"), ("jul", "juli", "july"), ("aug", "augusti", "august"),
     ("sep", "sept", "september"), ("okt", "oct", "oktober", "october"), ("nov", "november"), ("dec", "december")], 1)
    for name in names}


def parse_date(text: str) -> str:
    """A date cell as ISO YYYY-MM-DD; unknown shapes come back unchanged (a report shows them as typed)."""
    text = text.strip()
    if not text:
        return ""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
    if match:
        year, month, day = map(int, match.groups())
    elif match := re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text):  # European day first
        day, month, year = map(int, match.groups())
    elif match := re.fullmatch(r"(\d{1,2})\.?\s+([A-Za-zåäöÅÄÖ]+)\.?\s+(\d{4})", text):
        day, year = int(match.group(1)), int(match.group(3))
        month = _MONTHS.get(match.group(2).casefold(), 0)
    else:
        return text
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return text


def rows_of(values: SheetValues, schema: TabSchema, source: str, *, required: bool = False):
    """(row number as people see it, {column key: value}) for each non-empty row of a tab."""
    title = find_tab(schema, list(values)) or (None if required else find_renamed_tab(schema, values, None))
    if title is None:
        if required:
            raise InputError(_("{sheet}: no tab {tab!r}; add it with the columns {columns}").format(
                sheet=source, tab=schema.title, columns=", ".join(c.header for c in schema.columns)))
        return
    rows = values[title]
    columns = find_columns(schema, rows[0] if rows else [], _("{sheet}, tab {tab!r}").format(sheet=source, tab=title))
    for number, row in enumerate(rows[1:], 2):
        record = {key: (row[i] if i < len(row) else "").strip() for key, i in columns.items()}
        if any(record.values()):
            yield number, record


def read_planning(values: SheetValues, source: str) -> Planning:
    workshops, seen = [], set()
    for _row_number, r in rows_of(values, WORKSHOPS, source, required=True):
        if not r.get("id") or r["id"].casefold() in seen:
            continue
        seen.add(r["id"].casefold())
        workshops.append(Workshop(id=r["id"], title=tidy(r.get("title", "")), date=parse_date(r.get("date", "")),
                                  theme=tidy(r.get("theme", "")), intro=r.get("intro", "").replace("\r\n", "\n"),
                                  slides=r.get("slides", ""), board=r.get("board", ""),
                                  number=r.get("number", ""), series=tidy(r.get("series", "")),
                                  purpose=tidy(r.get("purpose", "")),
                                  board_intro=r.get("board_intro", "").replace("\r\n", "\n")))
    actions = tuple(
        Action(id=r["id"], workshop=r.get("workshop", ""), title=r.get("title", ""), how=r.get("how", ""),
               when=r.get("when", ""), who=r.get("who", ""), status=r.get("status", ""))
        for _, r in rows_of(values, ACTIONS, source) if r.get("id"))
    attendees = tuple(
        Attendee(name=r.get("name", ""), organisation=r.get("organisation", ""), workshop=r.get("workshop", ""))
        for _, r in rows_of(values, ATTENDEES, source) if r.get("name"))
    ideas = {r["id"]: r for _, r in rows_of(values, IDEAS, source) if r.get("id")}
    return Planning(workshops=tuple(workshops), actions=actions, attendees=attendees, ideas=ideas)

"""Tabs and columns of the shared sheet, header aliases, and who owns which column.

Headers are matched by name in any order, ignoring case and surrounding spaces;
Swedish names come first, English aliases are accepted.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sync.core.errors import InputError
from sync.core.i18n import _, ngettext


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class TabSchema:
    key: str
    title: str
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]
    synced: frozenset[str]  # column keys written by sync; every other column is people's
    required: frozenset[str]  # column keys a readable tab must have

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _c(key: str, header: str, *aliases: str) -> Column:
    return Column(key, header, aliases)


WORKSHOPS = TabSchema(
    "workshops", "Workshops", ("Workshop", "Workshoppar"),
    (_c("id", "ID"), _c("title", "Titel", "Title"), _c("date", "Datum", "Date"), _c("theme", "Tema", "Theme"),
     _c("board", "Mural", "Board", "Tavla"), _c("intro", "Inledning", "Introduction", "Intro"),
     _c("slides", "Bilder", "Slides"), _c("notes", "Lappar", "Notes"),
     _c("synced", "Senast synkad", "Last synced", "Synced"),
     # People's texts for the recap (appended: older sheets simply lack them).
     _c("number", "Nummer", "Number", "Nr"), _c("series", "Serie", "Series"),
     _c("purpose", "Syfte", "Purpose"), _c("board_intro", "Om tavlan", "Board intro", "About the board")),
    synced=frozenset({"notes", "synced"}),
    required=frozenset({"id", "title"}),
)
IDEAS = TabSchema(
    "ideas", "Idéer", ("Ideas", "Ideer"),
    (_c("id", "ID"), _c("workshop", "Workshop"), _c("exercise", "Övning", "Exercise"), _c("group", "Grupp", "Group"),
     _c("text", "Text"), _c("author", "Författare", "Author"), _c("updated", "Ändrad", "Updated", "Changed"),
     _c("on_board", "På tavlan", "On board", "On the board"),
     _c("votes", "Röster", "Votes"), _c("tags", "Taggar", "Tags"), _c("comments", "Kommentarer", "Comments"),
     # People's: "nej" leaves the note out of the recap.
     _c("in_recap", "I sammanfattningen", "In recap", "In the recap", "In summary")),
    synced=frozenset({"id", "workshop", "exercise", "group", "text", "author", "updated", "on_board",
                      "votes", "tags", "comments"}),
    required=frozenset({"id"}),
)
ACTIONS = TabSchema(
    "actions", "Åtgärder", ("Actions", "Atgarder"),
    (_c("id", "ID"), _c("workshop", "Workshop"), _c("title", "Hållplats", "Title", "Action", "Stop"),
     _c("how", "Hur", "How"), _c("when", "När", "When"), _c("who", "Vem", "Who"), _c("status", "Status"),
     _c("owner", "Ansvarig", "Owner")),
    synced=frozenset({"id", "workshop", "title", "how", "when", "who"}),
    required=frozenset({"id"}),
)
ATTENDEES = TabSchema(
    "attendees", "Deltagare", ("Attendees", "Attendance", "Participants"),
    (_c("name", "Namn", "Name"), _c("organisation", "Organisation", "Organization"), _c("workshop", "Workshop")),
    synced=frozenset(),
    required=frozenset({"name"}),
)
SYNC_LOG = TabSchema(
    "sync_log", "Synklogg", ("Sync log", "Synclog"),
    (_c("start", "Start"), _c("end", "Slut", "End"), _c("result", "Resultat", "Result"), _c("new", "Nya", "New"),
     _c("changed", "Ändrade", "Changed"), _c("removed", "Borttagna", "Removed"),
     _c("conflicts", "Konflikter", "Conflicts"), _c("message", "Meddelande", "Message")),
    synced=frozenset({"start", "end", "result", "new", "changed", "removed", "conflicts", "message"}),
    required=frozenset(),
)
CONFLICTS = TabSchema(
    "conflicts", "Konflikter", ("Conflicts",),
    (_c("time", "Tid", "Time"), _c("tab", "Flik", "Tab"), _c("row_id", "ID"), _c("column", "Kolumn", "Column"),
     _c("kept", "Behållet värde", "Value kept"), _c("board", "Tavlans värde", "Board's value")),
    synced=frozenset({"time", "tab", "row_id", "column", "kept", "board"}),  # row_id: an ID may recur, rows are not matched by it
    required=frozenset(),
)
ALL_TABS = (WORKSHOPS, IDEAS, ACTIONS, ATTENDEES, SYNC_LOG, CONFLICTS)
STATUS_CHOICES = ("Ej påbörjad", "Pågår", "Klar", "Stoppad")  # the Status dropdown, plus values already in use


def normalise_name(name: object) -> str:
    """How headers and tab titles are compared: NFC, case-folded, spaces folded."""
    text = unicodedata.normalize("NFC", "" if name is None else str(name))
    return " ".join(text.split()).casefold()


def find_tab(schema: TabSchema, titles: list[str]) -> str | None:
    """The actual title of the schema's tab among `titles`, or None."""
    wanted = {normalise_name(n) for n in (schema.title, *schema.aliases)}
    return next((t for t in titles if normalise_name(t) in wanted), None)


def find_columns(schema: TabSchema, header: list[str], where: str) -> dict[str, int]:
    """Column key -> 0-based index, from a header row. Raises when a required column is missing
    or a header appears twice (which column would be meant is then unknowable)."""
    index: dict[str, int] = {}
    by_name: dict[str, str] = {}
    for column in schema.columns:
        for name in (column.header, *column.aliases):
            by_name.setdefault(normalise_name(name), column.key)
    for position, cell in enumerate(header):
        key = by_name.get(normalise_name(cell))
        if key is None:
            continue
        if key in index:
            raise InputError(_("{where}: the column {column!r} appears twice in the header row; rename or delete one").format(
                where=where, column=schema.column(key).header))
        index[key] = position
    missing = [schema.column(k).header for k in sorted(schema.required) if k not in index]
    if missing:
        raise InputError(ngettext("{where}: no column {columns} in the header row (row 1); add it back",
                                  "{where}: no columns {columns} in the header row (row 1); add them back",
                                  len(missing)).format(where=where, columns=", ".join(repr(m) for m in missing)))
    return index


def find_renamed_tab(schema: TabSchema, values: dict[str, list[list[str]]], known_ids: set[str] | None) -> str | None:
    """A tab people renamed (`Idéer` -> `Idéer (gamla)`), found again by its content: a header with the
    schema's ID column and most of its columns, holding IDs sync wrote before (`known_ids`; with none known,
    the header alone decides). None when no tab fits."""
    claimed = {find_tab(s, list(values)) for s in ALL_TABS} - {None}
    best, best_overlap = None, 0
    for title, rows in values.items():
        if title in claimed or not rows:
            continue
        names = {normalise_name(cell) for cell in rows[0]}
        matched = [c for c in schema.columns if names & {normalise_name(n) for n in (c.header, *c.aliases)}]
        if "id" not in {c.key for c in matched} or len(matched) * 2 < len(schema.columns):
            continue
        id_col = next(i for i, cell in enumerate(rows[0]) if normalise_name(cell) == normalise_name(schema.column("id").header))
        overlap = len({r[id_col].strip() for r in rows[1:] if id_col < len(r)} & known_ids) if known_ids else 1
        if overlap > best_overlap:
            best, best_overlap = title, overlap
    return best

"""The data a recap template is filled with, built from the model. Pure: no I/O, no clock.

Every value is a plain str/int/list/dict, so the context can be dumped as JSON, shown in a
preview, or checked against a template. Keys (what the template author may use):

    lang              "sv" or "en"
    organisation      who the report is made for ("" when unknown)
    generated         ISO timestamp of when the report was made
    generated_text    the same, written out: "12 juni 2024 kl. 14:05"
    title             "<workshop title> – sammanfattning" / "– summary"
    workshop          {id, title, date, theme, intro, slides, board, number, series, purpose,
                      board_intro} as in the sheet
    date_iso          "2021-05-04", or "" when the sheet's date is missing or not a date
    date_text         "4 maj 2021" / "4 May 2021"; the raw sheet text when it is not an ISO date
    date_short_text   "4 maj" / "4 May"; the raw sheet text when it is not an ISO date
    ordinal_text      the workshop's number in its series in words: "andra" / "second" ("" when none)
    series            the series' name from the sheet ("Collective Impact"; "" when none)
    took_place_text   "Den andra workshopen i Collective Impact-serien ägde rum 4 maj."; without a
                      number "Workshopen ägde rum 4 maj." ("" without a date)
    attendance        {people, organisations, text}: counts and a ready sentence ("" never)
    theme             the theme of the day ("" when none)
    purpose           the sentence on the day's purpose (Syfte) ("" when none)
    board_intro       the text introducing the board's summary (Om tavlan) ("" when none)
    board_vendor      where the board comes from: "mural", "miro", or "" without a board
    missing_votes_comments_text  for a Miro board, whose API gives no votes and no comments, the sentence
                      saying so: "Röster och kommentarer finns inte för Miro-tavlor (Miros API ger dem inte)."
                      ("" for a MURAL board and without a board)
    intro             blocks: {kind: "paragraph", text, entries: []}
                          or {kind: "numbered", text: "", entries: [str, ...]}
    slides            link to the slides ("" when none)
    exercises         [{title, groups, actions}] in board order, where
                          groups  = [{title, description, notes}]
                          notes   = [{id, text, author, votes, votes_text, tags, tags_text, comments}]
                          author     as BACKBONE_AUTHORS allows ("" by default)
                          votes      the note's votes in the board's voting session (an int), or None
                                     when the board has no voting session
                          votes_text "12 röster" / "1 röst" / "12 votes"; "" without a voting session
                          tags       the note's tag names [str]; tags_text the same joined with ", "
                          comments   the unresolved comments [{text, replies: [str]}] (resolved ones
                                     are left out); author is "" under MURAL's Private Mode
                          actions = the prioritised actions of this exercise (see below)
    prioritised       actions tied to no exercise on the board (e.g. typed only in the sheet)
    other_notes       unsorted notes on the board ([] when none)

Curation: a note is left out of groups and other_notes only for a reason it can name: its row in
Idéer says `I sammanfattningen` = "nej", or sync wrote its row once (the merge base knows it,
`written`) and a person deleted it. A note the sheet has never seen (before the first sync, or put
on the board after the last one) is in. `left_out_notes` names what was left out and why.

An action is {id, title, how, when, who, status, how_display, when_display, who_display, votes,
votes_text}; the raw fields keep "" when empty, the *_display ones show "–" instead. Actions are in
board order, most voted first when the board has a voting session.
Example, optional in a template: {%p if note.votes_text %}({{ note.votes_text }}){%p endif %}.
No key is named like a dict method (items, keys, values...): Jinja would find the method first.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sync.core import recap_words as wording
from sync.core.curation import left_out_reason, says_no
from sync.core.errors import InputError
from sync.core.i18n import _, words
from sync.core.model import Action, Board, Exercise, Group, Note, Planning, Workshop
from sync.core.privacy import HIDDEN, AuthorPolicy
from sync.core.text import tidy

# "1. Börjar med…" or "2) Gemensam…"; two digits at most so "2021. Året då…" stays a paragraph.
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(.*)$")


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _same(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def parse_intro(intro: str) -> list[dict[str, Any]]:
    """Lines into paragraphs and numbered lists; list items lose their number."""
    blocks: list[dict[str, Any]] = []
    for line in tidy(intro).split("\n") if intro.strip() else []:
        numbered = _NUMBERED.match(line)
        if not numbered:
            blocks.append({"kind": "paragraph", "text": line, "entries": []})
            continue
        # A "1." after a list has started begins a new list, as it would on paper.
        continues = blocks and blocks[-1]["kind"] == "numbered" and numbered.group(1) != "1"
        if not continues:
            blocks.append({"kind": "numbered", "text": "", "entries": []})
        blocks[-1]["entries"].append(numbered.group(2))
    return blocks


def _attendance(planning: Planning, workshop_id: str, lang: str) -> dict[str, Any]:
    present = [a for a in planning.attendees if _same(a.workshop, workshop_id) and a.name.strip()]
    people = len({_key(a.name) for a in present})
    organisations = len({_key(a.organisation) for a in present if a.organisation.strip()})
    return {"people": people, "organisations": organisations,
            "text": wording.attendance_text(people, organisations, lang)}


def _recap_filter(planning: Planning, written: frozenset[str]) -> Callable[[str], str | None]:
    """People curate in Idéer (sync/core/curation.py): why a note is out, or None."""
    def left_out(note_id: str) -> str | None:
        row = planning.ideas.get(note_id)
        return left_out_reason(None if row is None else row.get("in_recap", ""), note_id in written)
    return left_out


def left_out_notes(board: Board | None, planning: Planning, written: frozenset[str] = frozenset()) -> list[tuple[Note, str]]:
    """The board's notes the recap leaves out, each with why (SAID_NO or ROW_DELETED), in board order."""
    if board is None:
        return []
    why = _recap_filter(planning, written)
    return [(note, reason) for _, _, note in board.notes() if (reason := why(note.id)) is not None]


def _votes_text(votes: int | None, lang: str) -> str:
    if votes is None:
        return ""
    return words(lang).ngettext("{count} vote", "{count} votes", votes).format(count=votes)


def _note(note: Note, planning: Planning, lang: str = "sv", authors: AuthorPolicy = HIDDEN) -> dict[str, Any]:
    # The sheet is where people correct typos: its text wins when there is one.
    corrected = planning.ideas.get(note.id, {}).get("text", "").strip()
    return {"id": note.id, "text": corrected or note.text, "author": authors.show(note),  # BACKBONE_AUTHORS
            "votes": note.votes, "votes_text": _votes_text(note.votes, lang),
            "tags": list(note.tags), "tags_text": ", ".join(note.tags),
            "comments": [{"text": c.text, "replies": list(c.replies)} for c in note.comments]}


def _action(action: Action, lang: str) -> dict[str, Any]:
    empty = wording.EMPTY
    shown = {f"{k}_display": getattr(action, k).strip() or empty for k in ("how", "when", "who")}
    return {"id": action.id, "title": action.title, "how": action.how, "when": action.when,
            "who": action.who, "status": action.status, **shown,
            "votes": action.votes, "votes_text": _votes_text(action.votes, lang)}


def _corrected(board_action: Action, sheet_action: Action) -> Action:
    """The sheet overrides what is filled in there; status only lives in the sheet."""
    fields = ("title", "how", "when", "who", "status")
    changes = {f: getattr(sheet_action, f).strip() for f in fields if getattr(sheet_action, f).strip()}
    return replace(board_action, **changes)


def _merged_actions(board: Board | None, planning: Planning, workshop_id: str) -> list[Action]:
    """Board actions (corrected by the sheet) in board order, then the sheet's own actions."""
    sheet_by_id = {a.id: a for a in planning.actions if a.id}
    merged, used = [], set()
    for action in board.actions if board else ():
        if action.id and action.id in sheet_by_id:
            used.add(action.id)
            action = _corrected(action, sheet_by_id[action.id])
        merged.append(action)
    merged += [a for a in planning.actions if _same(a.workshop, workshop_id) and a.id not in used]
    return merged


def _exercises_from_sheet(planning: Planning, workshop_id: str) -> tuple[list[Exercise], list[Note]]:
    """Without a board, the Idéer tab's rows for the workshop give exercises and groups."""
    grouped: dict[str, dict[str, list[Note]]] = {}
    loose: list[Note] = []
    for note_id, row in planning.ideas.items():
        if (not _same(row.get("workshop", ""), workshop_id) or _same(row.get("on_board", ""), "nej")
                or says_no(row.get("in_recap", ""))):
            continue
        votes = row.get("votes", "").strip()
        note = Note(id=note_id, text=row.get("text", "").strip(), author=row.get("author", ""),
                    votes=int(votes) if votes.isdigit() else None,
                    tags=tuple(t.strip() for t in row.get("tags", "").split(",") if t.strip()))
        exercise, group = row.get("exercise", "").strip(), row.get("group", "").strip()
        if not exercise and not group:
            loose.append(note)
        else:
            grouped.setdefault(exercise, {}).setdefault(group, []).append(note)
    exercises = [Exercise(title=title, order=i, groups=tuple(Group(title=g, notes=tuple(n)) for g, n in groups.items()))
                 for i, (title, groups) in enumerate(grouped.items())]
    return exercises, loose


def _date(raw: str, lang: str) -> tuple[str, str]:
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return "", raw.strip()
    return day.isoformat(), wording.date_text(day, lang)


def build_report_context(workshop: Workshop, board: Board | None, planning: Planning, *,
                         lang: str = "sv", organisation: str = "", generated: datetime,
                         authors: AuthorPolicy = HIDDEN, written: frozenset[str] = frozenset()) -> dict[str, Any]:
    """`written`: the Idéer row IDs sync has written (the merge base); a deleted one of these is left out."""
    if lang not in wording.LANGUAGES:
        raise InputError(_("unknown report language {lang!r}: use one of {languages}").format(
            lang=lang, languages=", ".join(wording.LANGUAGES)))
    if board is not None:
        exercises, loose = sorted(board.exercises, key=lambda e: e.order), list(board.unsorted)
    else:
        exercises, loose = _exercises_from_sheet(planning, workshop.id)
    left_out = _recap_filter(planning, written)

    def kept(notes: Iterable[Note]) -> list[dict[str, Any]]:
        return [_note(n, planning, lang, authors) for n in notes if left_out(n.id) is None]
    exercise_dicts: list[dict[str, Any]] = [{"title": e.title, "actions": [],
                                             "groups": [{"title": g.title, "description": g.description,
                                                         "notes": kept(g.notes)} for g in e.groups]}
                                            for e in exercises]
    by_title = {_key(e["title"]): e for e in exercise_dicts}
    prioritised: list[dict[str, Any]] = []
    for action in _merged_actions(board, planning, workshop.id):
        home = by_title.get(_key(action.exercise)) if action.exercise.strip() else None
        (home["actions"] if home else prioritised).append(_action(action, lang))
    date_iso, date_text = _date(workshop.date, lang)
    short_date = wording.day_month_text(date.fromisoformat(date_iso), lang) if date_iso else date_text
    ordinal = wording.ordinal_text(workshop.number, lang)
    return {
        "lang": lang,
        "organisation": organisation,
        "generated": generated.isoformat(timespec="seconds"),
        "generated_text": wording.moment_text(generated, lang),
        "title": words(lang).gettext("{title} – summary").format(title=workshop.title.strip()),
        "workshop": {k: getattr(workshop, k) for k in ("id", "title", "date", "theme", "intro", "slides", "board",
                                                       "number", "series", "purpose", "board_intro")},
        "date_iso": date_iso,
        "date_text": date_text,
        "date_short_text": short_date,
        "ordinal_text": ordinal,
        "series": workshop.series.strip(),
        "took_place_text": wording.took_place_text(ordinal, workshop.series.strip(), short_date, lang),
        "attendance": _attendance(planning, workshop.id, lang),
        "theme": workshop.theme.strip(),
        "purpose": workshop.purpose.strip(),
        "board_intro": tidy(workshop.board_intro),
        "board_vendor": board.vendor if board is not None else "",
        "missing_votes_comments_text": wording.missing_votes_comments_text(board.vendor, lang) if board is not None else "",
        "intro": parse_intro(workshop.intro),
        "slides": workshop.slides.strip(),
        "exercises": exercise_dicts,
        "prioritised": prioritised,
        "other_notes": kept(loose),
    }

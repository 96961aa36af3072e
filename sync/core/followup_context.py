"""The data the follow-up report (uppföljning) is filled with: the whole workshop series. Pure.

Keys a follow-up template may use (templates/followup.<lang>.docx):

    lang, organisation, generated, generated_text, title
    summary_text      "12 åtgärder från 3 workshoppar: 4 klara och 1 försenad." (workshops that gave actions)
    counts            {actions, done, overdue, workshops}
    chart             the chart (a picture) when the report is written; in the context, its alt text or ""
    chart_data        what the chart shows (sync/core/followup_figures.py; drawn by reports/followup_chart.py), with its alt text
    overdue           [action]: NÄR has passed (sync/core/due_dates.py) and Status is not done; oldest due first
    status_groups     [{status, count, actions: [action], overdue: [action], overdue_titles}]: every action by
                      Status (done last); `actions` the ones not overdue, `overdue` those written out above
    since             {text, note, nothing_new, actions_added: [action],
                       status_changes: [{action, old, new}], boards: [{workshop, workshop_title, text,
                       notes_added, notes_removed}], actions_changed: [{workshop, workshop_title, id, text}]}
    attendance        {text, workshops: [{id, title, date_text, people, organisations, text,
                       new_organisations: [str], not_back: [str]}]}: organisations, never people, by name
    workshops         [{id, title, date_iso, date_text, theme, notes ("ingen tavla" without a board), actions, recap}]

An action is {id, title, workshop, workshop_title, how, when, who, owner, status, due_text, due_iso, overdue,
how_display, when_display, who_display, owner_display}.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sync.core import recap_words as wording
from sync.core.curation import says_no
from sync.core.due_dates import due_date, is_done
from sync.core.followup_figures import chart_data
from sync.core.i18n import words
from sync.core.model import Action, Planning, Workshop


@dataclass(frozen=True)
class Since:
    """What "new and changed" is measured against, as the sync state holds it."""

    kind: str  # "followup" (the last follow-up), "date" (--since), or "first" (no follow-up yet)
    moment: str = ""  # "YYYY-MM-DD HH:MM:SS" (followup) or "YYYY-MM-DD" (date)
    statuses: dict[str, str] | None = None  # action ID -> Status then; None when unknown
    digests: list[dict[str, Any]] = field(default_factory=list)  # the "changes" of every run after the moment


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None


def _date_text(raw: str, lang: str) -> str:
    day = _date(raw)
    return wording.date_text(day, lang) if day else raw.strip()


def _action(action: Action, planning: Planning, owners: dict[str, str], today: dt.date, lang: str) -> dict[str, Any]:
    workshop = planning.workshop(action.workshop)
    due = due_date(action.when, _date(workshop.date) if workshop else None)
    done = is_done(action.status)
    empty = wording.EMPTY
    owner = owners.get(action.id, "").strip()
    return {"id": action.id, "title": action.title.strip() or action.id, "workshop": action.workshop,
            "workshop_title": workshop.title if workshop else action.workshop,
            "how": action.how, "when": action.when, "who": action.who, "owner": owner, "status": action.status.strip(),
            "due_text": words(lang).gettext("by {date}").format(date=wording.date_text(due, lang)) if due else "",
            "due_iso": due.isoformat() if due else "",
            "overdue": bool(due and due < today and not done),
            **{f"{k}_display": getattr(action, k).strip() or empty for k in ("how", "when", "who")},
            "owner_display": owner or empty}


def _status_groups(actions: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """Every action by Status (done last). An overdue action is written out once, under the overdue
    heading; here it is named by title only (`overdue`), so nothing is printed twice."""
    groups: dict[str, dict[str, Any]] = {}
    no_status = words(lang).gettext("No status set")
    for action in actions:
        status = action["status"] or no_status
        group = groups.setdefault(_key(status), {"status": status, "count": 0, "actions": [], "overdue": []})
        group["count"] += 1
        group["overdue" if action["overdue"] else "actions"].append(action)
    for group in groups.values():
        group["overdue"].sort(key=overdue_order)  # as the overdue section orders them
        group["overdue_titles"] = ", ".join(a["title"] for a in group["overdue"])
    return sorted(groups.values(), key=lambda g: (is_done(g["status"]), g["status"] == no_status,
                                                  _key(g["status"])))


def overdue_order(action: dict[str, Any]) -> tuple[str, str]:
    """Oldest due date first, then by title, so the order does not change between reports."""
    return (str(action.get("due_iso") or "9999-12-31"), _key(str(action.get("title", ""))))


def _series(planning: Planning) -> list[Workshop]:
    order = {w.id: i for i, w in enumerate(planning.workshops)}
    return sorted(planning.workshops, key=lambda w: (_date(w.date) or dt.date.max, order[w.id]))


def _attendance(planning: Planning, series: list[Workshop], lang: str) -> dict[str, Any]:
    seen: dict[str, str] = {}  # organisation key -> name as first written
    rows: list[dict[str, Any]] = []
    everyone: set[str] = set()
    every_org: set[str] = set()
    for workshop in series:
        present = [a for a in planning.attendees if _key(a.workshop) == _key(workshop.id) and a.name.strip()]
        if not present:
            continue
        people = {_key(a.name) for a in present}
        orgs: dict[str, str] = {}
        for a in present:
            if a.organisation.strip():
                orgs.setdefault(_key(a.organisation), a.organisation.strip())
        new = [name for key, name in orgs.items() if key not in seen]
        not_back = [name for key, name in seen.items() if key not in orgs]
        for key, name in orgs.items():
            seen.setdefault(key, name)
        everyone |= people
        every_org |= set(orgs)
        rows.append({"id": workshop.id, "title": workshop.title, "date_text": _date_text(workshop.date, lang),
                     "people": len(people), "organisations": len(orgs),
                     "text": wording.people_from_organisations(len(people), len(orgs), lang),
                     "new_organisations": sorted(new, key=_key) if rows else [], "not_back": sorted(not_back, key=_key)})
    text = wording.people_from_organisations(len(everyone), len(every_org), lang, series=True) if rows else ""
    return {"text": text, "workshops": rows}


def _since(since: Since, actions: list[dict[str, Any]], titles: dict[str, str], lang: str) -> dict[str, Any]:
    """`titles`: workshop ID -> title, so a reader sees "Collective Impact 2", never "ci2"."""
    by_id = {a["id"]: a for a in actions}
    w = words(lang)
    no_status = w.gettext("No status set")
    if since.kind == "followup":
        moment = wording.moment_text(dt.datetime.fromisoformat(since.moment), lang)
        text = w.gettext("since the last follow-up ({moment})").format(moment=moment)
    elif since.kind == "date":
        text = w.gettext("since {date}").format(date=_date_text(since.moment, lang))
    else:
        text = ""
    note = w.gettext("This is the first follow-up, so everything counts as new; the next one shows what changed "
                     "since today.") if since.kind == "first" else (
        w.gettext("backbone has no sync from before {date} to compare with, so new actions and status changes "
                  "cannot be shown.").format(date=_date_text(since.moment, lang)) if since.statuses is None else "")
    added, changes = [], []
    if since.statuses is not None:
        added = [a for a in actions if a["id"] not in since.statuses]
        changes = [{"action": a, "old": since.statuses[a["id"]].strip() or no_status, "new": a["status"] or no_status}
                   for a in actions if a["id"] in since.statuses and _key(since.statuses[a["id"]]) != _key(a["status"])]
    boards: dict[str, dict[str, Any]] = {}
    changed_actions: dict[str, dict[str, Any]] = {}  # action ID -> its entry: changed in several runs, listed once
    for digest in since.digests:
        for workshop, kinds in digest.get("workshops", {}).items():
            entry = boards.setdefault(workshop, {"workshop": workshop, "workshop_title": titles.get(workshop, workshop),
                                                 "notes_added": 0, "notes_changed": 0, "notes_removed": 0})
            for kind in ("notes_added", "notes_changed", "notes_removed"):
                entry[kind] += kinds.get(kind, {}).get("count", 0)
            changed_actions.update({e["id"]: {"workshop": workshop, "workshop_title": by_id[e["id"]]["workshop_title"],
                                              "id": e["id"], "text": e["text"]}
                                    for e in kinds.get("actions_changed", {}).get("entries", ()) if e["id"] in by_id})
    board_lines = [{**b, "text": wording.board_changes_text(b["notes_added"], b["notes_changed"], b["notes_removed"], lang)}
                   for b in sorted(boards.values(), key=lambda b: (b["workshop_title"], b["workshop"]))
                   if b["notes_added"] or b["notes_changed"] or b["notes_removed"]]
    nothing = not (added or changes or board_lines or changed_actions) and since.kind != "first"
    return {"text": text, "note": note, "nothing_new": w.gettext("Nothing new or changed.") if nothing else "",
            "actions_added": added, "status_changes": changes, "boards": board_lines,
            "actions_changed": list(changed_actions.values())}


def build_followup_context(planning: Planning, since: Since, *, lang: str, today: dt.date, generated: dt.datetime,
                           organisation: str = "", owners: dict[str, str] | None = None,
                           recaps: dict[str, str] | None = None) -> dict[str, Any]:
    """`owners`: action ID -> Ansvarig; `recaps`: workshop ID -> the recap's file name or link."""
    owners, recaps = owners or {}, recaps or {}
    w = words(lang)
    actions = [_action(a, planning, owners, today, lang) for a in planning.actions]
    series = _series(planning)
    done = sum(1 for a in actions if is_done(a["status"]))
    overdue = sorted((a for a in actions if a["overdue"]), key=overdue_order)
    notes: dict[str, int] = {}
    for row in planning.ideas.values():
        if _key(row.get("on_board", "")) != "nej" and not says_no(row.get("in_recap", "")):  # as the recap lists them
            notes[_key(row.get("workshop", ""))] = notes.get(_key(row.get("workshop", "")), 0) + 1
    workshops = [{"id": ws.id, "title": ws.title, "date_iso": ws.date if _date(ws.date) else "",
                  "date_text": _date_text(ws.date, lang), "theme": ws.theme,
                  "notes": _notes(notes.get(_key(ws.id), 0), lang) if ws.board.strip() else w.gettext("no board"),
                  "actions": _actions(sum(1 for a in actions if _key(a["workshop"]) == _key(ws.id)), lang),
                  "recap": recaps.get(ws.id, "")} for ws in series]
    with_actions = len({_key(a["workshop"]) for a in actions})  # only workshops that gave actions
    summary = w.gettext("{actions} from {workshops}: {done} and {overdue}.").format(
        actions=_actions(len(actions), lang),
        workshops=w.ngettext("{count} workshop", "{count} workshops", with_actions).format(count=with_actions),
        done=w.ngettext("{count} done", "{count} done", done).format(count=done),
        overdue=wording.overdue_count(len(overdue), lang))
    attendance = _attendance(planning, series, lang)
    chart = chart_data(actions, series, attendance, lang)
    return {
        "lang": lang, "organisation": organisation,
        "generated": generated.isoformat(timespec="seconds"), "generated_text": wording.moment_text(generated, lang),
        "title": w.gettext("Follow-up – {organisation}").format(organisation=organisation) if organisation
        else w.gettext("Follow-up of the workshop series"),
        "summary_text": summary,
        "counts": {"actions": len(actions), "done": done, "overdue": len(overdue), "workshops": with_actions},
        "overdue": overdue,
        "status_groups": _status_groups(actions, lang),
        "since": _since(since, actions, {ws.id: ws.title for ws in series}, lang),
        "attendance": attendance,
        "workshops": workshops,
        "chart": chart["alt"] if chart["shown"] else "",  # the picture itself is put in when the report is written
        "chart_data": chart,
    }


def _notes(count: int, lang: str) -> str:
    return words(lang).ngettext("{count} note", "{count} notes", count).format(count=count)


def _actions(count: int, lang: str) -> str:
    return words(lang).ngettext("{count} action", "{count} actions", count).format(count=count)


def shown_statuses(planning: Planning) -> dict[str, str]:
    """What a follow-up records as shown, so the next one can tell what changed since."""
    return {a.id: a.status for a in planning.actions if a.id}


def overdue_actions(planning: Planning, today: dt.date, lang: str) -> list[dict[str, Any]]:
    """The actions whose NÄR has passed without being done, as the follow-up and the e-mail show them."""
    return sorted((a for a in (_action(action, planning, {}, today, lang) for action in planning.actions) if a["overdue"]),
                  key=overdue_order)

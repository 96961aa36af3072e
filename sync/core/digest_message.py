"""The e-mail digest after a sync, written for people: subject, plain text and HTML with the same content.

Pure: a stored run, what sync/core/digest_policy.py decided (the actions that became overdue, the weekly
reminder) and the workshops' titles in; words out, in the chosen language. Workshops by title and date,
actions by title, notes by their text; never an internal ID, never Python's quoting of a value.
The HTML keeps the structure the text shows by indentation: workshop, then kind, then the items.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

from sync.core import recap_words as wording
from sync.core.i18n import words
from sync.core.text import one_line

# The method's own words for an action's columns, written as the recap and the follow-up write them.
METHOD_WORDS = {"hur": "HUR", "när": "NÄR", "vem": "VEM", "how": "HOW", "when": "WHEN", "who": "WHO"}
# Actions before notes: what people agreed to do matters more to them than a new sticky.
KINDS = ("actions_added", "actions_changed", "notes_added", "notes_changed", "notes_removed")


def kind_label(kind: str, lang: str) -> str:
    """A kind of change (one of KINDS) as the digest, the follow-up and the run's page name it: "Nya lappar"."""
    w = words(lang)
    return {"notes_added": w.gettext("New notes"), "notes_changed": w.gettext("Changed notes"),
            "notes_removed": w.gettext("Removed from the board"), "actions_added": w.gettext("New actions"),
            "actions_changed": w.gettext("Changed actions")}[kind]


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


@dataclass
class Section:
    """A heading with lines under it, or with groups (a workshop) of kinds (Nya åtgärder) of lines."""

    title: str
    lines: list[str] = field(default_factory=list)
    groups: list[tuple[str, list[tuple[str, list[str]]]]] = field(default_factory=list)


@dataclass(frozen=True)
class DigestInput:
    run: dict  # a stored run: {id, started, result, new, changed, conflicts, message, details}
    newly_overdue: list[dict] = field(default_factory=list)  # actions as sync/core/followup_context.py gives them
    reminder: list[dict] = field(default_factory=list)
    workshops: dict[str, dict] = field(default_factory=dict)  # ID -> {"title", "date"} (date ISO or "")
    titles: dict[str, str] = field(default_factory=dict)  # row ID -> an action's title or a note's text
    reminder_day: str = ""  # as the setting names it ("måndag")
    link: str = ""  # the run's page, when BACKBONE_WEB_URL is set
    attached: bool = False


def workshop_heading(workshop_id: str, workshops: dict[str, dict], lang: str) -> str:
    """"Collective Impact 2, 4 maj 2021"; the ID only when the sheet no longer has the workshop."""
    found = workshops.get(workshop_id)
    if not found:
        return workshop_id if workshop_id and workshop_id != "?" else words(lang).gettext("no date")
    try:
        day = wording.date_text(dt.date.fromisoformat(found.get("date", "").strip()), lang)
    except ValueError:
        return found["title"]
    return f"{found['title']}, {day}"


def _field_line(change: dict, lang: str) -> str:
    old, new = one_line(change.get("old", ""), 80), one_line(change.get("new", ""), 80)
    column = change.get("column", "")
    w = words(lang)
    line = (w.gettext("{column} changed from {old} to {new}") if old and new else
            w.gettext("{column} set to {new}") if new else w.gettext("{column} emptied (was {old})"))
    return line.format(column=METHOD_WORDS.get(column.casefold(), column), old=old, new=new)


def _entry_lines(bucket: dict, lang: str) -> list[str]:
    lines = []
    for entry in bucket.get("entries", ()):
        text = one_line(entry.get("text", ""), 120)
        fields = entry.get("fields") or []
        lines.append(f"{text}: " + "; ".join(_field_line(f, lang) for f in fields) if fields else text)
    hidden = bucket.get("count", 0) - len(bucket.get("entries", ()))
    if hidden > 0:
        lines.append(words(lang).gettext("… and {count} more").format(count=hidden))
    return lines


def _overdue_line(action: dict, workshops: dict[str, dict], lang: str) -> str:
    when = action.get("when", "").strip() + (f" ({action['due_text']})" if action.get("due_text") else "")
    line = words(lang).gettext("{title} – {workshop}. WHEN: {when}").format(title=action["title"], when=when.strip(),
                                                  workshop=workshop_heading(action["workshop"], workshops, lang))
    return line + (". " + words(lang).gettext("WHO: {who}").format(who=action["who"].strip()) if action.get("who", "").strip() else "")


def _conflict_line(conflict: dict, titles: dict[str, str], lang: str) -> str:
    what = titles.get(conflict.get("row_id", "")) or conflict.get("tab", "")
    return words(lang).gettext("{what}, {column}: in the sheet {sheet}, on the board {board}").format(
        what=one_line(what, 80), column=conflict.get("column", ""),
        sheet=one_line(conflict.get("sheet_value", ""), 60) or "–", board=one_line(conflict.get("board_value", ""), 60) or "–")


def sections(given: DigestInput, lang: str) -> list[Section]:
    w = words(lang)
    run, details = given.run, given.run.get("details", {})
    found: list[Section] = []
    failures = [f"{workshop_heading(w, given.workshops, lang)}: {reason}" for w, reason in details.get("failures", [])]
    if run.get("result") == "failed" and run.get("message") and not failures:
        failures = [run["message"]]
    if failures:
        found.append(Section(w.gettext("What went wrong"), failures))
    if given.newly_overdue:
        found.append(Section(w.gettext("Became overdue since the last digest"),
                             [_overdue_line(a, given.workshops, lang) for a in given.newly_overdue]))
    earlier = [a for a in given.reminder if a not in given.newly_overdue]  # the newly overdue are listed above
    if earlier:
        found.append(Section(w.gettext("Reminder: overdue since earlier (each {day})").format(day=given.reminder_day),
                             [_overdue_line(a, given.workshops, lang) for a in earlier]))
    conflicts = [_conflict_line(c, given.titles, lang) for c in details.get("conflicts", [])[:50]]
    if conflicts:
        found.append(Section(w.gettext("Conflicts (the person's value in the sheet was kept)"), conflicts))
    changes = details.get("changes", {}).get("workshops", {})
    groups = []
    for workshop_id, kinds in sorted(changes.items(), key=lambda item: (given.workshops.get(item[0], {}).get("date", ""),
                                                                         item[0])):
        listed = [(f"{kind_label(kind, lang)} ({kinds[kind]['count']})", _entry_lines(kinds[kind], lang))
                  for kind in KINDS if kinds.get(kind, {}).get("count")]
        if listed:
            groups.append((workshop_heading(workshop_id, given.workshops, lang), listed))
    if groups:
        found.append(Section(w.gettext("Changes on the boards"), groups=groups))
    return found


def _subject(given: DigestInput, lang: str, result: str) -> str:
    """What is new, most telling first: "backbone: synkningen lyckades – 3 nya, 1 ändrad, 1 blev försenad"."""
    run, w = given.run, words(lang)
    if run.get("result") == "failed":
        return w.gettext("backbone: the sync failed")
    parts = []
    if run.get("new") or run.get("changed") or run.get("result") != "ok" or not (given.newly_overdue or given.reminder):
        new, changed = run.get("new", 0), run.get("changed", 0)
        parts.append(w.gettext("the sync {result} – {new}, {changed}").format(
            result=result, new=w.ngettext("{count} new", "{count} new", new).format(count=new),
            changed=w.ngettext("{count} changed", "{count} changed", changed).format(count=changed)))
    if given.newly_overdue:
        count = len(given.newly_overdue)
        parts.append(w.ngettext("{count} became overdue", "{count} became overdue", count).format(count=count))
    if given.reminder:
        parts.append(w.gettext("reminder: {overdue} in all").format(overdue=wording.overdue_count(len(given.reminder), lang)))
    return "backbone: " + ", ".join(parts)


def _started_text(started: str, lang: str) -> str:
    try:
        return wording.moment_text(dt.datetime.fromisoformat(started), lang)
    except ValueError:
        return started


def compose_digest(given: DigestInput, lang: str) -> Mail:
    run, w = given.run, words(lang)
    result = w.gettext("succeeded") if run.get("result") == "ok" else w.gettext("partly succeeded") \
        if run.get("result") == "partial" else w.gettext("failed")
    subject = one_line(_subject(given, lang, result), 200)
    intro = w.gettext("The sync of {started} {result}.").format(started=_started_text(run.get("started", ""), lang), result=result)
    text, body = [intro, ""], [f"<p>{html.escape(intro)}</p>"]
    for section in sections(given, lang):
        text.append(section.title)
        body.append(f"<h2>{html.escape(section.title)}</h2>")
        if section.lines:
            text += [f"- {line}" for line in section.lines]
            body.append("<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in section.lines) + "</ul>")
        for heading, kinds in section.groups:
            text += ["", heading]
            body.append(f"<h3>{html.escape(heading)}</h3>")
            for kind, lines in kinds:
                text += [f"  {kind}", *(f"  - {line}" for line in lines)]
                body.append(f"<h4>{html.escape(kind)}</h4><ul>"
                            + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>")
        text.append("")
    for closing, shown in ((w.gettext("More on the page: {url}").format(url=given.link), given.link),
                           (w.gettext("Attached: the newest recaps."), given.attached)):
        if shown:
            text.append(closing)
            body.append(f"<p>{_linked(closing, given.link)}</p>")
    page = (f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{html.escape(subject)}</title>'
            f'<body style="font-family: sans-serif">{"".join(body)}</body></html>')
    return Mail(subject, "\n".join(text).rstrip() + "\n", page)


def _linked(line: str, url: str) -> str:
    escaped = html.escape(line)
    if not url or url not in line:
        return escaped
    return escaped.replace(html.escape(url), f'<a href="{html.escape(url)}">{html.escape(url)}</a>')


def compose_test(lang: str) -> Mail:
    w = words(lang)
    body = w.gettext("This is a test message from backbone. The e-mail settings work.")
    return Mail(w.gettext("backbone: test message – åäö ✓"), body + "\n",
                f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><body><p>{html.escape(body)}</p></body></html>')

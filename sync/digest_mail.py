"""The e-mail digest after a sync: whether there is something to say, and the subject, text and HTML.
Pure: a run (as stored) and the overdue actions in, words out, in the chosen language.

Something to say: new or changed actions, overdue actions, conflicts, or a failure (always).
New and changed notes alone are not worth an e-mail; they are listed when one is sent anyway.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from reports.followup_words import counted, word

from .sheet.digest import KINDS, digest_lines
from .text import one_line


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


def worth_sending(run: dict, overdue: list[dict]) -> bool:
    workshops = run.get("details", {}).get("changes", {}).get("workshops", {})
    actions = sum(kinds.get(k, {}).get("count", 0) for kinds in workshops.values()
                  for k in ("actions_added", "actions_changed"))
    failed = run.get("result") not in ("ok",) or run.get("details", {}).get("failures")
    return bool(failed or actions or overdue or run.get("conflicts"))


def _sections(run: dict, overdue: list[dict], lang: str) -> list[tuple[str, list[str]]]:
    details = run.get("details", {})
    sections = []
    failures = [f"{w}: {reason}" for w, reason in details.get("failures", [])]
    if run.get("result") == "failed" and run.get("message") and not failures:
        failures = [run["message"]]
    if failures:
        sections.append((word(lang, "mail_failures"), failures))
    if overdue:
        sections.append((word(lang, "mail_overdue"), [
            f"{a['title']} ({a['workshop']}): {a['when']}{' (' + a['due_text'] + ')' if a['due_text'] else ''}"
            f"{' – ' + a['who'] if a['who'] else ''}" for a in overdue]))
    conflicts = [f"{c['tab']} {c['row_id']} {c['column']}: {one_line(c['sheet_value'], 60)!r} / {one_line(c['board_value'], 60)!r}"
                 for c in details.get("conflicts", [])[:50]]
    if conflicts:
        sections.append((word(lang, "mail_conflicts"), conflicts))
    changes = digest_lines(details.get("changes", {}), {k: word(lang, k) for k in KINDS})
    if changes:
        sections.append((word(lang, "mail_changes"), changes))
    return sections


def compose_digest(run: dict, overdue: list[dict], lang: str, *, attached: bool = False) -> Mail:
    """The digest of a run: `run` is a stored run ({started, result, new, changed, conflicts, message, details})."""
    result = word(lang, f"result_{run.get('result', 'failed')}") if run.get("result") in ("ok", "partial", "failed") \
        else str(run.get("result"))
    if run.get("result") == "failed":
        subject = word(lang, "mail_failed_subject")
    else:
        subject = word(lang, "mail_subject").format(result=result, new=counted(lang, run.get("new", 0), "new"),
                                                    changed=counted(lang, run.get("changed", 0), "changed"),
                                                    overdue=counted(lang, len(overdue), "overdue"))
    intro = word(lang, "mail_intro").format(started=run.get("started", ""), result=result)
    sections = _sections(run, overdue, lang)
    text = [intro, ""]
    body = [f"<p>{html.escape(intro)}</p>"]
    for title, lines in sections:
        text += [title, *(f"- {line}" if not line.startswith(" ") else line for line in lines), ""]
        items = "".join(f"<li>{html.escape(line.strip())}</li>" for line in lines)
        body.append(f"<h2>{html.escape(title)}</h2><ul>{items}</ul>")
    if attached:
        text.append(word(lang, "mail_attached"))
        body.append(f"<p>{html.escape(word(lang, 'mail_attached'))}</p>")
    page = (f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{html.escape(subject)}</title>'
            f'<body style="font-family: sans-serif">{"".join(body)}</body></html>')
    return Mail(one_line(subject, 200), "\n".join(text).rstrip() + "\n", page)


def compose_test(lang: str) -> Mail:
    body = word(lang, "mail_test_body")
    return Mail(word(lang, "mail_test_subject"), body + "\n",
                f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><body><p>{html.escape(body)}</p></body></html>')

"""The fixed words of the bundled Word templates (templates/recap.<lang>.docx, templates/followup.<lang>.docx),
from the gettext catalogs like every other phrase: tools/make_templates.py and tools/make_followup_templates.py
build the templates from these, so a changed translation is a rebuilt template, never a second table.

Where a phrase has a placeholder, the message has a Python field ({moment}) that the generator fills with the
template's Jinja placeholder ({{ generated_text }}); translators never see Jinja.
"""
from __future__ import annotations

from sync.core.i18n import LANGUAGE_TAGS, words

GENERATED = "{{ generated_text }}"


def _footer(lang: str) -> str:
    """"Skapad av backbone för RISE, 2 januari 2024 kl. 09:00", without "för …" when no organisation is set."""
    w = words(lang)
    return ("{% if organisation %}"
            + w.gettext("Created by backbone for {organisation}, {moment}").format(organisation="{{ organisation }}",
                                                                                   moment=GENERATED)
            + "{% else %}" + w.gettext("Created by backbone, {moment}").format(moment=GENERATED) + "{% endif %}")


def recap_template_words(lang: str) -> dict[str, str]:
    w = words(lang)
    return {"language": LANGUAGE_TAGS[lang], "name": w.gettext("Workshop summary"),
            "slides": w.gettext("Here are the slides shown during the workshop, for download:"),
            "how": w.gettext("HOW:"), "when": w.gettext("WHEN:"), "who": w.gettext("WHO:"),
            "prioritised": w.gettext("Prioritised actions"), "other_notes": w.gettext("Other notes"),
            "footer": _footer(lang)}


def followup_template_words(lang: str) -> dict[str, str]:
    w = words(lang)
    return {"language": LANGUAGE_TAGS[lang], "name": w.gettext("Follow-up"),
            "made": w.gettext("Follow-up of {moment}.").format(moment=GENERATED),
            "overdue": w.gettext("Overdue actions"),
            "new": w.gettext("New and changed") + "{% if since.text %} {{ since.text }}{% endif %}",
            "added": w.gettext("New actions"), "status_changes": w.gettext("Status changes"),
            "boards": w.gettext("On the boards"), "actions_changed": w.gettext("Actions changed on the board"),
            "by_status": w.gettext("Actions by status"), "attendance": w.gettext("Attendance"),
            "new_orgs": w.gettext("New organisations"), "not_back": w.gettext("Not back"),
            "workshops": w.gettext("The workshops"), "recap": w.gettext("Recap:"),
            "how": w.gettext("HOW:"), "when": w.gettext("WHEN:"), "who": w.gettext("WHO:"),
            "owner": w.gettext("Owner:"), "workshop": w.gettext("Workshop:"), "status": w.gettext("Status:"),
            "late": w.gettext("overdue"),
            "overdue_here": w.gettext("Overdue, described under Overdue actions above:"),
            "footer": _footer(lang)}

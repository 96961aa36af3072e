"""What `make demo` says between the commands, in the demo's BACKBONE_LANGUAGE (the environment's, else the
settings file's, as backbone itself chooses). Only the standard library: it also speaks before .venv exists.

    python tools/demo_say.py KEY [DEMO_FOLDER]
"""
from __future__ import annotations

import gettext
import os
import sys
from pathlib import Path

LANGUAGES = ("sv", "en")
LOCALE = Path(__file__).resolve().parents[1] / "sync" / "locale"


def N_(message: str) -> str:  # noqa: N802 - marks a message for the catalogs (`make catalogs` extracts this file)
    return message


# What each step says, as English messages of the backbone catalogs (sync/locale): the standard library's gettext
# reads the committed .mo files, so the narration is in the catalogs like every other phrase and needs no .venv.
WORDS = {
    "creating": N_("Creating .venv with {python}"),
    "installing": N_("Installing backbone into .venv (about a minute the first time)"),
    "keeping": N_("Keeping your {demo}/ and any edits in it; running on it again (to start afresh: make demo-fresh)"),
    "moved": N_("Moved your previous demo to {demo}.old/"),
    "sync": N_("== backbone sync: the example board into the example workbook =="),
    "report": N_("== backbone report ci2 --html: the recap in Word and as a web page =="),
    "followup": N_("== backbone report --followup: the first follow-up of the series =="),
    "edit": N_("== between workshops: a person sets a Status in the sheet, then the nightly sync runs =="),
    "followup2": N_("== backbone report --followup: what changed since the first follow-up =="),
    "done": N_("Done. Open these:\n"
              "  the synced workbook:   {demo}/plan.xlsx  (tabs Idéer, Åtgärder, Synklogg)\n"
              "  the Word recap:        {recap}\n"
              "  and as a web page:     {recap_html}\n"
              "  the follow-up reports: {followups}\n"
              "Edit the workbook as a person would (correct a text, add a column, set a Status), then sync again\n"
              "and see your edits kept:  .venv/bin/backbone --settings {demo}/settings.env sync"),
}
RECAP_WORDS = ("sammanfattning", "summary")
FOLLOWUP_WORDS = ("uppföljning", "follow-up")


def language(demo: Path, environ=os.environ) -> str:
    """BACKBONE_LANGUAGE: the environment's, else the demo's settings file's (else the example's), else sv."""
    chosen = environ.get("BACKBONE_LANGUAGE", "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for settings in (demo / "settings.env", Path("examples/biskopsgarden/settings.env")):
        try:
            lines = settings.read_text("utf-8-sig").splitlines()
        except OSError:
            continue
        for line in lines:
            key, sep, value = line.strip().removeprefix("export ").partition("=")
            if sep and key.strip() == "BACKBONE_LANGUAGE":
                value = value.strip().strip("\"'").lower()
                return value if value in LANGUAGES else "sv"
        return "sv"
    return "sv"


def say(key: str, demo: Path, environ=os.environ) -> str:
    folder = demo / "reports"
    reports = sorted(folder.glob("*.docx"), key=lambda p: (p.stat().st_mtime, p.name)) if folder.is_dir() else []
    recap = [str(p) for p in reports if any(word in p.name for word in RECAP_WORDS)]
    followups = [str(p) for p in reports if any(word in p.name for word in FOLLOWUP_WORDS)]
    pages = [str(p) for p in sorted(folder.glob("*.html")) if any(word in p.name for word in RECAP_WORDS)] if folder.is_dir() else []
    catalog = gettext.translation("backbone", localedir=str(LOCALE), languages=[language(demo, environ)])
    return catalog.gettext(WORDS[key]).format(demo=demo, python=environ.get("PYTHON", "python3"),
                                              recap=", ".join(recap) or "–", recap_html=", ".join(pages) or "–",
                                              followups=", ".join(followups) or "–")


if __name__ == "__main__":
    print(say(sys.argv[1], Path(sys.argv[2] if len(sys.argv) > 2 else "demo")))

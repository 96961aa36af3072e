"""What `make demo` says between the commands, in the demo's BACKBONE_LANGUAGE (the environment's, else the
settings file's, as backbone itself chooses). Only the standard library: it also speaks before .venv exists.

    python tools/demo_say.py KEY [DEMO_FOLDER]
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

WORDS = {
    "sv": {
        "creating": "Skapar .venv med {python}",
        "installing": "Installerar backbone i .venv (ungefär en minut första gången)",
        "keeping": "Behåller din {demo}/ och dina ändringar i den; kör på den igen (börja om: make demo-fresh)",
        "moved": "Flyttade din förra demo till {demo}.old/",
        "sync": "== backbone sync: exempeltavlan in i exempelarbetsboken ==",
        "report": "== backbone report ci2 --html: sammanfattningen i Word och som webbsida ==",
        "followup": "== backbone report --followup: seriens första uppföljning ==",
        "edit": "== mellan workshopparna: en person sätter en Status i arket, sedan kör nattens synk ==",
        "followup2": "== backbone report --followup: vad som ändrats sedan första uppföljningen ==",
        "done": "Klart. Öppna de här:\n"
                "  den synkade arbetsboken:  {demo}/plan.xlsx  (flikarna Idéer, Åtgärder, Synklogg)\n"
                "  sammanfattningen i Word:  {recap}\n"
                "  och som webbsida:         {recap_html}\n"
                "  uppföljningsrapporterna:  {followups}\n"
                "Ändra i arbetsboken som en person skulle göra (rätta en text, lägg till en kolumn, sätt en Status),\n"
                "synka sedan igen och se att dina ändringar finns kvar:  .venv/bin/backbone --settings {demo}/settings.env sync",
    },
    "en": {
        "creating": "Creating .venv with {python}",
        "installing": "Installing backbone into .venv (about a minute the first time)",
        "keeping": "Keeping your {demo}/ and any edits in it; running on it again (to start afresh: make demo-fresh)",
        "moved": "Moved your previous demo to {demo}.old/",
        "sync": "== backbone sync: the example board into the example workbook ==",
        "report": "== backbone report ci2 --html: the recap in Word and as a web page ==",
        "followup": "== backbone report --followup: the first follow-up of the series ==",
        "edit": "== between workshops: a person sets a Status in the sheet, then the nightly sync runs ==",
        "followup2": "== backbone report --followup: what changed since the first follow-up ==",
        "done": "Done. Open these:\n"
                "  the synced workbook:   {demo}/plan.xlsx  (tabs Idéer, Åtgärder, Synklogg)\n"
                "  the Word recap:        {recap}\n"
                "  and as a web page:     {recap_html}\n"
                "  the follow-up reports: {followups}\n"
                "Edit the workbook as a person would (correct a text, add a column, set a Status), then sync again\n"
                "and see your edits kept:  .venv/bin/backbone --settings {demo}/settings.env sync",
    },
}
RECAP_WORDS = ("sammanfattning", "summary")
FOLLOWUP_WORDS = ("uppföljning", "follow-up")


def language(demo: Path, environ=os.environ) -> str:
    """BACKBONE_LANGUAGE: the environment's, else the demo's settings file's (else the example's), else sv."""
    chosen = environ.get("BACKBONE_LANGUAGE", "").strip().lower()
    if chosen in WORDS:
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
                return value if value in WORDS else "sv"
        return "sv"
    return "sv"


def say(key: str, demo: Path, environ=os.environ) -> str:
    folder = demo / "reports"
    reports = sorted(folder.glob("*.docx"), key=lambda p: (p.stat().st_mtime, p.name)) if folder.is_dir() else []
    recap = [str(p) for p in reports if any(word in p.name for word in RECAP_WORDS)]
    followups = [str(p) for p in reports if any(word in p.name for word in FOLLOWUP_WORDS)]
    pages = [str(p) for p in sorted(folder.glob("*.html")) if any(word in p.name for word in RECAP_WORDS)] if folder.is_dir() else []
    return WORDS[language(demo, environ)][key].format(demo=demo, python=environ.get("PYTHON", "python3"),
                                                      recap=", ".join(recap) or "–", recap_html=", ".join(pages) or "–",
                                                      followups=", ".join(followups) or "–")


if __name__ == "__main__":
    print(say(sys.argv[1], Path(sys.argv[2] if len(sys.argv) > 2 else "demo")))

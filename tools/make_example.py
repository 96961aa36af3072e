#!/usr/bin/env python3
"""Writes backbone's bundled example and the unseen-board test fixture. Deterministic.

    python tools/make_example.py [ROOT]

ROOT defaults to the repository root. Written below it:

    examples/biskopsgarden/boards/biskopsgarden2021.1620111600000.json   MURAL widgets export (API pages)
    examples/biskopsgarden/plan.xlsx                                     the planning workbook
    examples/biskopsgarden/settings.env, examples/biskopsgarden/README.md
    tests/data/boards/unseen_board.json                                  a different board, bare widget list
    tests/data/boards/unseen_board.expected.json                         what a correct normaliser makes of it

The example is built from the public recap of workshop 2 of Collective Impact Biskopsgården
(examples/biskopsgarden/recap-ci2.sv.txt): every group, bullet and HUR/NÄR/VEM value of the recap
is one sticky note, laid out so that the board rules give back the recap's order. People are fictional.

No randomness and no clock: ids and timestamps count up from fixed instants, jitter comes from
fixed tables, and the workbook is re-zipped with fixed dates, so a rerun gives identical bytes.
Needs openpyxl.
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import re
import sys
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sync.core.sheet.tabs import ACTIONS, ATTENDEES, IDEAS, SYNC_LOG, WORKSHOPS  # noqa: E402
from sync.core.text import html_to_text  # noqa: E402

# =============================================================================================
# Data: the example (workshop 2 of Collective Impact Biskopsgården, 4 May 2021)
# =============================================================================================

WORKSPACE = "biskopsgarden2021"
MURAL_NUMBER = 1620111600000  # the board's creation time in ms: 2021-05-04 09:00 CEST
MURAL_ID = f"{WORKSPACE}.{MURAL_NUMBER}"
MURAL_URL = f"https://app.mural.co/t/{WORKSPACE}/m/{WORKSPACE}/{MURAL_NUMBER}/3f1c2a9d8e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c"
SLIDES_URL = "https://vhbasket.se/wp-content/uploads/2021/05/CI-workshop-2.pdf"
BOARD_TITLE = "Collective Impact Biskopsgården – workshop 2: Struktur och arbetssätt"

BOARD_CREATED = MURAL_NUMBER
FACILITATOR_PREP = MURAL_NUMBER + 5 * 60_000  # areas drawn from 09:05
WORKSHOP_NOTES = 1620128400000  # stickies written from 13:40 CEST

EXERCISE_1 = "Övning 1. Viktiga hållplatser för att uppnå ett verksamt CI Biskopsgården (tematiska arbetsgrupper)"
EXERCISE_2 = "Övning 2. Prioriterade hållplatser (vad vi bör göra först) – Hur, När, Vem"

# How a group is drawn on the board:
#   area             a nested area inside the exercise; its stickies are parented to it (x/y relative)
#   area-some-loose  a nested area; every second sticky is not parented, only placed inside it
#   area-loose       a nested area; no sticky is parented, all are placed inside it by absolute x/y
#   box              a drawn rectangle (shape) without parent, a heading text widget at its top,
#                    stickies unparented, placed inside it
#   box-in-area      the same, but the rectangle itself is parented to the exercise area
# Authors: "m:<participant name>" a member, "v:<alias>" a visitor, "p" Private Mode (hideOwner).


@dataclass(frozen=True)
class GroupSpec:
    title: str
    kind: str
    colour: str
    authors: tuple[str, ...]
    notes: tuple[str, ...]
    description: str = ""  # the area's instruction (the group's description)
    extras: tuple[str, ...] = ()  # "empty" / "hidden" stickies added after the notes


THEMATIC_GROUPS = (
    GroupSpec("Lokal förankring", "area", "#FCFE7DFF",
              ("m:Amira Hassan", "m:Hodan Warsame", "v:Samuel (Hyresgästföreningen)", "m:Per Åkesson"), (
                  "Relationsbyggande, skapa förtroende/tillit på plats",
                  "Medborgardialoger",
                  "Plattform/fysisk gestaltning i området (tillgängliggöra en fysisk plats för möten redan idag)",
                  "Skapa ett återkommande forum (Som folkhälsofrukostarna, öppen inbjudan/dagordning)",
                  "Skapa förebildslista (förebilder och influensers som finns lokalt)",
                  "Skapa ungdomsstyrelse",
              ), extras=("empty",)),
    GroupSpec("Kommunikation", "box", "#FFC061FF",
              ("m:Johan Åberg", "m:Leila Karimi", "p", "m:Nadia Rahimi"), (
                  "Relationsbyggande",
                  "Kommunikationsplan inre/yttre kärna",
                  "Bjuda in fler aktörer till CI som vill förändra och förbättra (till dialog och samverkan)",
                  "Skapa gemensam språkdräkt",
                  "Strategiska samverkanssamtal mellan aktörerna",
              )),
    GroupSpec("Behovskartläggning/analys", "area-some-loose", "#FF9BBFFF",
              ("m:Fatima Abdi", "m:Daniel Tesfaye", "m:Lena Nyström", "v:Besökare 7"), (
                  "Identifiera lokala behov (I form av aktiviteter, insatser etc.)",
                  "Identifiera resurs/ekonomiska behov",
                  "Identifiera föreningar som vi behöver få med",
                  "Kartlägga förväntningar",
                  "Kartlägga samverkanspartners (både de som arbetar mot målgruppen men även aktörer som saknas)",
                  "Bearbeta lista över aktörer och intressenter, passa ihop med individuella strategier och värderingar",
              )),
    GroupSpec("Styrgrupp/Processgrupp", "area", "#B3F08AFF",
              ("m:Erik Söderström", "m:Mehmet Yılmaz", "m:Karin Sjögren"), (
                  "Etablera/utse styr/processgrupp",
                  "Årshjul av aktiviteter/steg",
                  "Möjliggöra/koppla samman samverkan mellan olika initiativ",
                  "Samverkansavtal, mellan aktörer involverade i CI",
                  "Övergripande ryggrad/överenskommelse",
                  "Överordnad processgrupp CI > mindre styrgrupper med fokus på prioriterade behovsområden/målgrupper",
              ), description="(dela upp i två grupper – styrgrupp strategisk, processgrupp operativ)"),
    GroupSpec("Resurser & ekonomi", "box-in-area", "#9EDCFAFF",
              ("m:Björn Ekström", "m:Oskar Lundgren", "p", "m:Jelena Petrović"), (
                  "Resursallokering (stärka redan etablerade initiativ)",
                  "Skapa förutsättningar för föreningar att delta",
                  "Finansiella samarbeten",
                  "Budget",
                  "Kompetensstöd (för att fylla aktörsgap mot specifika målgrupper)",
              )),
    GroupSpec("Övrigt", "area", "#CB8CF9FF",
              ("m:Ahmed Jama", "v:Zeynep A", "m:Tove Bäckström"), (
                  "Digital demokrati & digital social innovation (tillförlitligt system för att hantera idéer och förslag)",
                  "Gemensam start (en ceremoni)",
              ), extras=("hidden",)),
)

# Övning 2: one area per prioritised stop, stickies written exactly as in the recap.
# "Avtal med syfte & mål" has a bare "HUR:" sticky: its HUR value is empty.
PRIORITIES = (
    GroupSpec("Utse/bilda processgrupp", "area", "#FFF8A8FF", ("m:Sara Lindqvist", "m:Mehmet Yılmaz", "m:Erik Söderström"), (
        "HUR: Rösta in representanter från organisationer i Collective Agency",
        "NÄR: Q1 2022",
        "VEM: Samtliga aktörer i CI Biskopsgården genom en demokratiskt process",
    )),
    GroupSpec("Behovskartläggning", "area", "#FFF8A8FF", ("m:Fatima Abdi", "m:Amira Hassan", "v:Besökare 7"), (
        "HUR: Förstudie + medborgardialog",
        "NÄR: Q4 2021",
        "VEM: Bostadsbolagen + Västra Hissingen Basket",
    )),
    GroupSpec("Fysisk plats för möten", "area-loose", "#FFF8A8FF", ("m:Johan Åberg", "p", "m:Per Åkesson"), (
        "HUR:  Bjud in till samarbete för att skapa en mötesplats, skriva en plan, Finansiera, Bemanna, Genomföra, "
        "Styra gemensamt, Koncept – bygga ett föreningscenter som stödfunktion för alla föreningar",
        "NÄR: Q1 2022",
        "VEM: Samverkansavtal med några i en kärngrupp",
    )),
    GroupSpec("Avtal med syfte & mål", "area", "#FFF8A8FF", ("m:Elin Håkansson", "m:Maria Öberg", "m:Karin Sjögren"), (
        "HUR:",
        "NÄR: Q1 – Q2 2022",
        "VEM: Processgrupp och aktörerna i CI",
    )),
    GroupSpec("Bjuda in fler aktörer", "area-some-loose", "#FFF8A8FF", ("m:Ali Mahmoud", "v:Zeynep A", "m:Ahmed Jama"), (
        "HUR: WS (ungdomsråd, medborgarguider, civilsamhället)",
        "NÄR: 2021",
        "VEM: CI kollektivet/Processgruppen.",
    )),
)

FACILITATOR = "m:Sara Lindqvist"
CO_FACILITATOR = "m:Erik Söderström"
PARKING_NOTE = ("Parkering: fika nästa gång?", "m:Elin Håkansson")
HIDDEN_NOTE = "Dold lapp"
COMMENT = ("Ska vi bjuda in Digidem Lab till nästa workshop?", "m:Tove Bäckström",
           "Bra idé, jag hör av mig till dem.", FACILITATOR)

INTRO = "\n".join((
    "Efter en kort inledning och sammanfattning av föregående workshop gick RISE igenom vilka delar som ett "
    "Collective Impact ska innehålla för att vara framgångsrikt:",
    "1. Börjar med en gemensam agenda/vision",
    "2. Gemensam metod för effektmätning",
    "3. Uppmuntrar till kontinuerlig kommunikation",
    "4. Främjar ömsesidigt förstärkande aktiviteter",
    "5. En stark organisatorisk ryggrad.",
))

# Workshops tab: (ID, Titel, Datum, Tema, Mural, Inledning, Bilder); Lappar and Senast synkad are sync's.
WORKSHOP_ROWS = (
    ("ci1", "Collective Impact 1", dt.date(2021, 4, 20), "Mission statement", "", "", ""),
    ("ci2", "Collective Impact 2", dt.date(2021, 5, 4), "Struktur och arbetssätt", MURAL_URL, INTRO, SLIDES_URL),
)

# Workshops tab, people's texts for the recap: ID -> (Nummer, Serie, Syfte, Om tavlan), as in the seed recap.
BOARD_INTRO = ("Under workshopens andra del arbetade vi i en gemensam Mural där de fem olika arbetsgrupperna "
               "samlade sina tankar och idéer kring vilka olika delar som behöver vara på plats för ett verksamt "
               "samarbete i Biskopsgården. En sammanfattning av Muralen följer nedan:")
WORKSHOP_TEXTS = {
    "ci1": (1, "Collective Impact", "", ""),
    "ci2": (2, "Collective Impact", "Temat för dagen var att skapa bästa struktur och arbetssätt för samverkan.",
            BOARD_INTRO),
}
# Idéer: the coordinator's curation, done before the demo: the parking note stays out of the recap.
CURATED_OUT = (PARKING_NOTE[0],)

# Deltagare: fictional people, real kinds of organisation. ci2: 23 people from 20 organisations.
PARTICIPANTS_CI2 = (
    ("Amira Hassan", "Västra Hisingen Basket"),
    ("Johan Åberg", "Västra Hisingen Basket"),
    ("Sara Lindqvist", "RISE"),
    ("Erik Söderström", "RISE"),
    ("Fatima Abdi", "Bostadsbolaget"),
    ("Björn Ekström", "Bostadsbolaget"),
    ("Leila Karimi", "Familjebostäder"),
    ("Mehmet Yılmaz", "Göteborgs Stad – Västra Hisingen"),
    ("Karin Sjögren", "Göteborgs Stad – Idrotts- och föreningsförvaltningen"),
    ("Daniel Tesfaye", "Polisen, lokalpolisområde Västra Hisingen"),
    ("Elin Håkansson", "Räddningstjänsten Storgöteborg"),
    ("Ahmed Jama", "Fryshuset Göteborg"),
    ("Lena Nyström", "Sjumilaskolan"),
    ("Zeynep Aydın", "Nytorpsskolan"),
    ("Per Åkesson", "Biskopsgårdens bibliotek"),
    ("Hodan Warsame", "Svenska kyrkan Biskopsgården"),
    ("Nadia Rahimi", "ABF Göteborg"),
    ("Oskar Lundgren", "BK Häcken"),
    ("Tove Bäckström", "Rädda Barnen Göteborg"),
    ("Samuel Mensah", "Hyresgästföreningen Biskopsgården"),
    ("Jelena Petrović", "Göteborgs Stadsmission"),
    ("Maria Öberg", "Vårdcentralen Biskopsgården"),
    ("Ali Mahmoud", "Arbetsförmedlingen Göteborg Hisingen"),
)
PARTICIPANTS_CI1 = (
    ("Amira Hassan", "Västra Hisingen Basket"),
    ("Sara Lindqvist", "RISE"),
    ("Erik Söderström", "RISE"),
    ("Fatima Abdi", "Bostadsbolaget"),
    ("Ingrid Västerberg", "Familjebostäder"),
    ("Mehmet Yılmaz", "Göteborgs Stad – Västra Hisingen"),
    ("Ahmed Jama", "Fryshuset Göteborg"),
)

SETTINGS = (
    ("The planning workbook: a local .xlsx file beside this one (gsheet:KEY would use Google Sheets).",
     "BACKBONE_SHEET", "xlsx:plan.xlsx"),
    ("Where boards come from: the saved MURAL exports in boards/ (mural would use the live MURAL API).",
     "BACKBONE_BOARDS", "files:boards"),
    ("Sync state: what was last written to the sheet (created on the first run; var/ is not committed).",
     "BACKBONE_STATE", "var/backbone.sqlite3"),
    ("Where the Word recaps are written.", "BACKBONE_REPORTS_DIR", "reports"),
    ("Language of the recaps and of the sheet's messages.", "BACKBONE_LANGUAGE", "sv"),
    ("The initiative's name, shown on the recaps.", "BACKBONE_ORGANISATION", "Collective Impact Biskopsgården"),
)

README = """\
# Example: Collective Impact Biskopsgården, workshop 2

A complete, offline example for backbone, built from the public recap of the second workshop of
Collective Impact Biskopsgården (4 May 2021, "Struktur och arbetssätt"), kept here as `recap-ci2.sv.txt`.

- `boards/biskopsgarden2021.1620111600000.json`: a MURAL widgets export (API response pages) of the
  workshop board. Every group, bullet and HUR/NÄR/VEM value of the recap is a sticky note on it, laid out
  as a facilitator would (nested areas, drawn boxes, stickies only placed inside), plus the usual extras:
  a title, an arrow, a comment, an image, an empty and a hidden sticky, and one sticky outside every area.
- `plan.xlsx`: the shared planning workbook (Workshops, Deltagare, Åtgärder, Idéer, Synklogg). The
  *Workshops* tab carries the recap's own texts (Nummer, Serie, Syfte, Om tavlan), and *Idéer* already
  holds one row a coordinator curated: the parking note, with `I sammanfattningen` = `nej`, so the recap
  leaves it out as the published one did. Sync fills in the rest of that row.
- `settings.env`: the settings for this example; backbone reads `./settings.env` when run from this folder.

The participants and the authors on the board are fictional; the organisations are real kinds of local
actors. Everything here is generated by `tools/make_example.py`: change the generator, not the files.
"""

# =============================================================================================
# Data: the unseen board (a test fixture; a different workshop, every quirk of the format)
# =============================================================================================
# Youth-council kick-off on Hisingen, 14 September 2023, mixed English and Swedish.
# Note spec: (text or markup, how to write it, parent, creator)
#   how: "text" plain only, "html" htmlText only (text ""), "both", "hidden", "invisible"
#   parent: "group" (the group area, relative x/y), "exercise" (the exercise area), None (absolute x/y)

UNSEEN_START = 1694700000000  # 2023-09-14 16:00 CEST
UNSEEN_TITLE = "Youth Council Kick-off 🎉 – Ungdomsråd Hisingen"
UNSEEN_EXERCISE_1 = "Exercise 1: What should the youth council work on?"
UNSEEN_EXERCISE_2 = "Exercise 2 – Next steps / Nästa steg"
UNSEEN_HOST, UNSEEN_COHOST = "m:Noor Alami", "m:Viktor Engström"
_SAMI, _HANNA, _JONAS, _GUEST, _PRIVATE = "m:Sami Haddad", "m:Hanna Öst", "m:Jonas Berg", "v:Guest 4", "p"
# (container, its exercise, top-left of the sticky grid, notes in reading order); containers are drawn
# in build_unseen_board. None as container: in the exercise but in no group, or (no exercise) outside all.
UNSEEN_NOTES = (
    ("safe", "e1", (180.0, 350.0), (
        ("More lights in the park 💡", "text", "group", _SAMI),
        ("<p>Trygga vägar hem<br>efter träningen</p>", "html", "group", _HANNA),
        ("نريد مكانًا آمنًا للقاء", "both", "group", _GUEST),
        ("Fritidsgården open later on Fridays", "text", None, _JONAS),
        ("Staff only: check the budget first", "hidden", "group", UNSEEN_HOST),
    )),
    ("sport", "e1", (780.0, 350.0), (
        ("Free basketball courts 🏀 every weekend", "text", None, _JONAS),
        ("<p>Music studio &amp; podcast room</p>", "html", None, _PRIVATE),
        ("Who decides the budget? 🤔", "text", None, _GUEST),
        ("Dance classes – gratis!", "text", "exercise", _HANNA),  # parented to the exercise, inside the box
        ("Draft – ignore me", "invisible", None, UNSEEN_HOST),
    )),
    ("school", "e1", (180.0, 840.0), (
        ("<p>Läxhjälp på biblioteket</p><p>(tisdagar)</p>", "html", None, _SAMI),
        ("Fler vuxna på rasterna", "text", None, _HANNA),
        ("<p>Code &lt;club&gt; for girls &amp; non-binary 👩\u200d💻</p>", "both", None, _GUEST),
    )),
    (None, "e1", (180.0, 1120.0), (
        ("Vi behöver fler tjejer i rådet!", "text", "exercise", _HANNA),
        ("<p>Meet in person,<br>not only on Discord</p>", "html", "exercise", _JONAS),
        ("Pizza at every meeting 🍕", "text", None, _PRIVATE),
        ("<p><br></p>", "html", "exercise", _SAMI),  # empty
        ("   ", "text", None, _GUEST),  # empty
    )),
    ("roles", "e2", (1780.0, 340.0), (
        ("Chair rotates every term", "text", "group", UNSEEN_COHOST),
        ("<p>Secretary writes notes in Swedish &amp; English</p>", "html", "group", _SAMI),
    )),
    ("chair", "e2", (2240.0, 580.0), (  # three deep: parented to the inner area, x/y relative to it
        ("Elect by secret ballot 🗳️", "text", "group", _JONAS),
        ("<p>Deputy = someone from <em>another</em> school</p>", "html", "group", _HANNA),
    )),
    ("recruit", "e2", (1780.0, 1030.0), (
        ("how - Open call via the schools' Instagram", "text", "group", _SAMI),
        ("When: Before the summer break ☀️", "both", "group", _HANNA),
        ("WHO Fryshuset + student councils", "text", None, _GUEST),
        ("<p>How: Visit every class in år 8&ndash;9</p>", "html", "group", _JONAS),
    )),
    ("meeting", "e2", (2500.0, 1030.0), (
        ("Hur: Fika + short intro round", "text", None, UNSEEN_COHOST),
        ("när - 2 juni kl. 17", "text", None, _PRIVATE),
    )),
    (None, None, (3300.0, 300.0), (("Parking lot: can we get bus cards? 🚌", "text", None, _JONAS),)),
    (None, None, (3300.0, 520.0), (("<p>Ask Amira about the gym key</p>", "html", None, _GUEST),)),
)

# =============================================================================================
# Layout helpers
# =============================================================================================

STICKY = 138.0  # a default MURAL sticky note is 138 x 138 px
GAP = 24.0
STEP = STICKY + GAP
# Row tops jitter by at most 17 px (< a quarter sticky), x by a few px; the tables are chosen so that
# sorting by y alone would give a wrong order inside a row.
JITTER_Y = (9, -14, 4, -6, 17, -11, 13, -3, -16, 6, 15, -9, -12, 2, 11)
JITTER_X = (3, -5, 6, -2, 4, -6, 1, 5, -4, 2, -3, 6, -1, 4, -5)


def _ascii_slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.replace("ı", "i"))
    return "".join(c for c in folded.casefold() if c.isascii() and c.isalnum())


def person(spec: str, with_id: bool = True) -> dict | None:
    """A MURAL user object: member {id, firstName, lastName}, visitor {alias}; None for Private Mode."""
    kind, _, name = spec.partition(":")
    if kind == "v":
        return {"alias": name}
    if kind != "m":
        return None
    first, _, last = name.partition(" ")
    user = {"firstName": first, "lastName": last, "type": "member"}
    if with_id:
        user = {"id": f"{_ascii_slug(name)}{1000 + sum(map(ord, name)) % 9000}", **user}
    return user


def grid(origin: tuple[float, float], count: int, jitter_from: int, cols: int = 3) -> list[tuple[float, float]]:
    """Absolute top-left corners of `count` stickies in rows of `cols`, in reading order, with jitter."""
    spots = []
    for i in range(count):
        k = (jitter_from + i) % len(JITTER_Y)
        row, col = divmod(i, cols)
        spots.append((origin[0] + col * STEP + JITTER_X[k] + 0.25 * (k % 4), origin[1] + row * STEP + JITTER_Y[k] + 0.5 * (k % 3)))
    return spots


def creation_order(count: int) -> list[int]:
    """People do not write stickies in reading order: odd positions first, then even ones."""
    return list(range(1, count, 2)) + list(range(0, count, 2))


def html_of(text: str, trailing_break: bool = False) -> str:
    """The htmlText MURAL would store for a one-paragraph sticky."""
    body = html.escape(text, quote=False).replace("  ", "&nbsp; ")
    return f"<p>{body}{'<br>' if trailing_break else ''}</p>"


def font_size(text: str) -> int:
    return 23 if len(text) < 40 else 18 if len(text) < 90 else 12


class BoardBuilder:
    """Collects widgets with absolute positions; stores x/y relative to the parent, as MURAL does."""

    def __init__(self, start: int, uuid_ids: bool = False, member_ids: bool = True):
        self.clock = start
        self.count = 0
        self.widgets: list[dict] = []
        self.origin: dict[str, tuple[float, float]] = {}
        self.uuid_ids = uuid_ids
        self.member_ids = member_ids

    def tick(self, gap: int) -> int:
        """The next creation time: strictly increasing, irregular steps."""
        self.count += 1
        self.clock += gap + (self.count * 7919) % 13_000
        return self.clock

    def _base(self, kind: str, at: tuple[float, float], size: tuple[float, float], parent: str | None,
              author: str, gap: int, uuid_id: bool = False) -> dict:
        created = self.tick(gap)
        updated = created + (self.count * 3571) % 95_000 + 1_000
        widget_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"backbone-example/{created}")) if uuid_id else f"0-{created}"
        px, py = self.origin[parent] if parent else (0.0, 0.0)
        who = person(author, self.member_ids)
        hide = who is None
        widget = {
            "id": widget_id, "type": kind,
            "x": round(at[0] - px, 2), "y": round(at[1] - py, 2), "width": size[0], "height": size[1],
            "rotation": 0, "stackingOrder": len(self.widgets) + 1, "presentationIndex": -1,
            "title": "", "instruction": "",
            "hidden": False, "invisible": False, "hideOwner": hide, "hideEditor": hide,
            "locked": False, "lockedByFacilitator": False, "parentId": parent,
            "createdOn": created, "updatedOn": updated, "contentEditedOn": updated,
        }
        if who is not None:
            widget.update(createdBy=who, updatedBy=who, contentEditedBy=who)
        self.origin[widget_id] = at
        self.widgets.append(widget)
        return widget

    def area(self, title: str, at, size, parent=None, author=FACILITATOR, instruction="", outline=-1,
             locked=False, colour="#F4F4F4FF") -> str:
        w = self._base("area", at, size, parent, author, 40_000, uuid_id=self.uuid_ids)
        w.update(title=title, instruction=instruction, presentationIndex=outline, locked=locked,
                 lockedByFacilitator=locked, showTitle=True, layout="freeform",
                 style={"backgroundColor": colour, "borderColor": "#9E9E9EFF", "borderStyle": "solid",
                        "borderWidth": 2, "titleFontSize": 36 if parent is None else 24})
        return w["id"]

    def shape(self, at, size, parent=None, author=FACILITATOR, text="", markup="", colour="#FFFFFF00") -> str:
        w = self._base("shape", at, size, parent, author, 30_000, uuid_id=self.uuid_ids)
        w.update(shape="rectangle", text=text, htmlText=markup,
                 style={"backgroundColor": colour, "strokeColor": "#585858FF", "strokeSize": 2, "strokeStyle": "solid",
                        "bold": False, "italic": False, "underline": False, "strike": False,
                        "font": "proxima-nova", "fontColor": "#1A1A1AFF", "fontSize": 32, "textAlign": "center"})
        return w["id"]

    def text(self, text: str, at, size, parent=None, author=FACILITATOR, markup: str | None = None,
             heading=True, font=28) -> str:
        w = self._base("text", at, size, parent, author, 20_000)
        w.update(text=text, fixedWidth=not heading, hyperlink="", hyperlinkTitle="",
                 style={"backgroundColor": "#FFFFFF00", "font": "proxima-nova", "fontSize": font,
                        "textAlign": "left", "bold": heading})
        if markup is not None:
            w["htmlText"] = markup
        return w["id"]

    def sticky(self, text: str, markup: str | None, at, parent=None, author=FACILITATOR, colour="#FCFE7DFF",
               hidden=False, invisible=False) -> str:
        """text: the `text` field; markup: htmlText (None: no htmlText field, as in older exports)."""
        w = self._base("sticky note", at, (STICKY, STICKY), parent, author, 25_000)
        shown = text or re.sub(r"<[^>]*>", "", markup or "")
        w.update(hidden=hidden, invisible=invisible, minLines=6, shape="rectangle", text=text,
                 hyperlink="", hyperlinkTitle="", tags=[],
                 style={"backgroundColor": colour, "bold": False, "italic": False, "underline": False,
                        "strike": False, "border": False, "font": "proxima-nova",
                        "fontSize": font_size(shown), "textAlign": "center"})
        if markup is not None:
            w["htmlText"] = markup
        return w["id"]

    def arrow(self, start: str, end: str, points: list[tuple[float, float]], author=FACILITATOR) -> str:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        at = (min(xs), min(ys))
        w = self._base("arrow", at, (max(xs) - at[0] or 2.0, max(ys) - at[1] or 2.0), None, author, 15_000)
        w.update(arrowType="straight", tip="single", stackable=False, startRefId=start, endRefId=end,
                 points=[{"x": round(x - at[0], 2), "y": round(y - at[1], 2)} for x, y in points], label=None,
                 style={"strokeColor": "#1A1A1AFF", "strokeStyle": "solid", "strokeWidth": 3})
        return w["id"]

    def comment(self, on: str, message: str, author: str, reply: str, replier: str) -> str:
        target = self.origin[on]
        w = self._base("comment", (target[0] + STICKY - 16, target[1] - 16), (32.0, 32.0), None, author, 10_000)
        w.update(message=message, timestamp=w["createdOn"], referenceWidgetId=on,
                 replies=[{"created": w["createdOn"] + 94_000, "message": reply, "user": person(replier, self.member_ids)}],
                 resolvedBy=None, resolvedOn=None)
        return w["id"]

    def image(self, at, size, description: str, author=FACILITATOR) -> str:
        w = self._base("image", at, size, None, author, 10_000)
        name = f"{w['id']}.png"
        w.update(aspectRatio=round(size[0] / size[1], 4), border=False, caption="", description=description,
                 expiresInMinutes=15, link="", mask={"top": 0, "left": 0, "width": size[0], "height": size[1]},
                 naturalHeight=int(size[1] * 2), naturalWidth=int(size[0] * 2), showCaption=False,
                 thumbnailUrl=f"https://app.mural.co/api/assets/{WORKSPACE}/thumbnails/{name}",
                 url=f"https://app.mural.co/api/assets/{WORKSPACE}/{name}")
        return w["id"]

    def in_api_order(self) -> list[dict]:
        """The order the widgets endpoint lists them in: by creation."""
        return sorted(self.widgets, key=lambda w: (w["createdOn"], w["id"]))


def note_markup(text: str, k: int) -> tuple[str, str | None]:
    """(text, htmlText) for a sticky: a deterministic mix of old-style text only, htmlText only
    (empty `text`, as after web edits), both, and htmlText ending in a stray <br>. Text with
    &, <, > or a double space always goes through htmlText (entities, &nbsp;)."""
    style = k % 4
    if any(c in text for c in "&<>") or "  " in text:
        style = 1 if style in (0, 1) else style
    if style == 0:
        return text, None
    if style == 1:
        return "", html_of(text)
    if style == 2:
        return text, html_of(text)
    return "", html_of(text, trailing_break=True)


# =============================================================================================
# The example board
# =============================================================================================

GROUP_W, GROUP_H = 560.0, 620.0  # room for three rows of three stickies under a heading
GROUP_HEAD = 100.0  # where the first sticky row starts inside a group
EXERCISE_HEAD = 140.0


def _draw_group(b: BoardBuilder, spec: GroupSpec, exercise: str, at: tuple[float, float],
                size: tuple[float, float]) -> str:
    """The group's container (an area, or a drawn box with a heading text at its top); returns its id."""
    if spec.kind.startswith("area"):
        instruction = html_of(spec.description) if spec.description else ""
        return b.area(spec.title, at, size, parent=exercise, instruction=instruction, colour="#FFFFFFFF")
    box = b.shape(at, size, parent=exercise if spec.kind == "box-in-area" else None, colour="#FFFFFFFF")
    b.text(spec.title, (at[0] + 30, at[1] + 24), (size[0] - 60, 50.0), markup=html_of(spec.title))
    return box


def _fill_group(b: BoardBuilder, spec: GroupSpec, container: str, k: int) -> tuple[list[str], int]:
    """The group's stickies in rows of three; returns (sticky ids in reading order, next jitter index)."""
    at = b.origin[container]
    texts = list(spec.notes) + [HIDDEN_NOTE if e == "hidden" else "" for e in spec.extras]
    spots = grid((at[0] + 40, at[1] + GROUP_HEAD), len(texts), k)
    ids: dict[int, str] = {}
    for i in creation_order(len(texts)):
        parented = spec.kind == "area" or (spec.kind == "area-some-loose" and i % 2 == 0)
        extra = spec.extras[i - len(spec.notes)] if i >= len(spec.notes) else ""
        text, markup = ("", "<p><br></p>") if extra == "empty" else note_markup(texts[i], k + i)
        ids[i] = b.sticky(text, markup, spots[i], parent=container if parented else None,
                          author=spec.authors[i % len(spec.authors)], colour=spec.colour, hidden=extra == "hidden")
    return [ids[i] for i in range(len(texts))], k + len(texts)


def build_example_board() -> list[dict]:
    b = BoardBuilder(BOARD_CREATED)
    b.text(BOARD_TITLE, (200.0, 60.0), (2300.0, 100.0), font=64, markup=f"<p>{html.escape(BOARD_TITLE)}</p>")
    b.image((2700.0, 40.0), (500.0, 160.0), "Logotyper: Västra Hisingen Basket och RISE")

    # The facilitators prepare the exercises and the group containers in the morning.
    b.clock = FACILITATOR_PREP
    ex1_at, cols = (200.0, 260.0), 3
    ex1_size = (40 + cols * (GROUP_W + 40), EXERCISE_HEAD + 2 * (GROUP_H + 40))
    ex1 = b.area(EXERCISE_1, ex1_at, ex1_size, outline=0, locked=True,
                 instruction="<p>Vilka delar behöver vara på plats för ett verksamt samarbete? En lapp per idé.</p>")
    ex2_at = (200.0, ex1_at[1] + ex1_size[1] + 140)
    ex2_size = (40 + len(PRIORITIES) * (GROUP_W + 40), EXERCISE_HEAD + 360.0 + 40)
    ex2 = b.area(EXERCISE_2, ex2_at, ex2_size, outline=1, locked=True, author=CO_FACILITATOR,
                 instruction="<p>Välj de hållplatser vi bör börja med. Skriv HUR, NÄR och VEM på var sin lapp.</p>")
    containers = {}
    for n, spec in enumerate(THEMATIC_GROUPS):
        row, col = divmod(n, cols)
        at = (ex1_at[0] + 40 + col * (GROUP_W + 40), ex1_at[1] + EXERCISE_HEAD + row * (GROUP_H + 40))
        containers[spec.title] = _draw_group(b, spec, ex1, at, (GROUP_W, GROUP_H))
    for n, spec in enumerate(PRIORITIES):
        at = (ex2_at[0] + 40 + n * (GROUP_W + 40), ex2_at[1] + EXERCISE_HEAD)
        containers[spec.title] = _draw_group(b, spec, ex2, at, (GROUP_W, 360.0))
    arrow_x = ex1_at[0] + ex1_size[0] / 2
    b.arrow(ex1, ex2, [(arrow_x, ex1_at[1] + ex1_size[1] + 15), (arrow_x, ex2_at[1] - 15)], author=CO_FACILITATOR)

    # The workshop: övning 1, a break, övning 2.
    b.clock = WORKSHOP_NOTES
    k = 0
    sticky_ids: dict[str, list[str]] = {}
    for spec in THEMATIC_GROUPS:
        sticky_ids[spec.title], k = _fill_group(b, spec, containers[spec.title], k)
    b.sticky(PARKING_NOTE[0], html_of(PARKING_NOTE[0]), (ex1_at[0] + ex1_size[0] + 120, 700.0),
             author=PARKING_NOTE[1], colour="#FF9BBFFF")
    b.comment(sticky_ids["Övrigt"][0], *COMMENT)
    b.clock = WORKSHOP_NOTES + 75 * 60_000
    for spec in PRIORITIES:
        sticky_ids[spec.title], k = _fill_group(b, spec, containers[spec.title], k)
    return b.in_api_order()


def as_pages(widgets: list[dict], size: int) -> list[dict]:
    """The widgets as the endpoint pages them: `next` on every page but the last."""
    pages = []
    for start in range(0, len(widgets), size):
        page: dict = {"value": widgets[start:start + size]}
        if start + size < len(widgets):
            token = json.dumps({"offset": start + size, "limit": size}, separators=(",", ":"))
            page["next"] = _b64(token)
        pages.append(page)
    return pages


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# =============================================================================================
# The unseen board (tests/data/boards)
# =============================================================================================

def build_unseen_board() -> tuple[list[dict], dict]:
    b = BoardBuilder(UNSEEN_START, uuid_ids=True, member_ids=False)
    host, cohost = UNSEEN_HOST, UNSEEN_COHOST
    b.text(UNSEEN_TITLE, (100.0, 20.0), (1400.0, 80.0), author=host, font=48)

    e1 = b.area(UNSEEN_EXERCISE_1, (100.0, 150.0), (1500.0, 1300.0), author=host, outline=0)
    e2 = b.area(UNSEEN_EXERCISE_2, (1700.0, 150.0), (1500.0, 1300.0), author=cohost, outline=1)
    # Exercise 1
    safe = b.area("Trygga platser / Safe places", (140.0, 250.0), (560.0, 440.0), parent=e1, author=host)
    sport = b.shape((740.0, 250.0), (560.0, 440.0), author=host, colour="#E8F5FFFF")
    b.text("Sport & kultur", (770.0, 268.0), (500.0, 50.0), author=host, markup="<p>Sport &amp; kultur</p>")
    school = b.shape((140.0, 740.0), (1160.0, 320.0), author=cohost, text="Skola / School",
                     markup="<p><strong>Skola</strong> / School</p>", colour="#FFF4E0FF")
    # Exercise 2
    roles = b.area("Roles / Roller", (1740.0, 250.0), (1420.0, 620.0), parent=e2, author=cohost)
    chair = b.area("Chair & deputy", (2200.0, 480.0), (900.0, 360.0), parent=roles, author=cohost)
    recruit = b.area("Recruit members", (1740.0, 930.0), (680.0, 440.0), parent=e2, author=cohost)
    meeting = b.shape((2460.0, 930.0), (700.0, 440.0), author=cohost, text="Första mötet", markup="<p>Första mötet</p>")

    containers = {"safe": safe, "sport": sport, "school": school, "roles": roles, "chair": chair,
                  "recruit": recruit, "meeting": meeting, "e1": e1, "e2": e2, None: None}
    k, first_ids = 0, {}
    b.clock = UNSEEN_START + 20 * 60_000
    for container_key, exercise_key, origin, notes in UNSEEN_NOTES:
        container, exercise = containers[container_key], containers[exercise_key]
        spots = grid(origin, len(notes), k)
        for i in creation_order(len(notes)):
            content, how, parent_kind, author = notes[i]
            parent = {"group": container, "exercise": exercise, None: None}[parent_kind]
            if how in ("text", "hidden", "invisible"):
                text, markup = content, None
            elif how == "html":
                text, markup = "", content
            else:  # both
                markup = content if content.startswith("<p>") else html_of(content)
                text = html_to_text(markup)
            sid = b.sticky(text, markup, spots[i], parent=parent, author=author, colour="#FCFE7DFF",
                           hidden=how == "hidden", invisible=how == "invisible")
            first_ids.setdefault(container, sid)
        k += len(notes)
    b.arrow(safe, roles, [(700.0, 460.0), (1740.0, 460.0)], author=host)
    b.comment(first_ids[sport], "Who decides – the council or the district?", host, "The council proposes, the district decides.", cohost)

    expected = {
        "comment": [
            "What a correct normaliser makes of unseen_board.json: only titles and texts.",
            "Text: htmlText with tags stripped (<p>, <br> become line breaks; entities decoded; spaces folded; "
            "blank lines dropped; lines trimmed), else `text`. Stickies empty after that are dropped.",
            "Containers are areas and drawn shapes. A sticky's container is the smallest container holding its centre "
            "(absolute x/y, summed over parentId ancestors); a parented sticky stays inside its parent area, but a "
            "smaller container inside that parent wins (\"Dance classes – gratis!\" is parented to the exercise "
            "area but lies inside the \"Sport & kultur\" box).",
            "Top-level areas are exercises, containers directly inside them are groups, and deeper containers fold "
            "into their group: the notes of the area \"Chair & deputy\" (inside \"Roles / Roller\") are notes of "
            "\"Roles / Roller\", after its own (they lie lower).",
            "Group title: an area's title; a shape's own text, else the text widget at its top inside it.",
            "Notes in an exercise but in no group form one group titled \"\", listed after the titled groups.",
            "Order: exercises, groups and notes in reading order: rows top to bottom (tops closer than half the "
            "first item's height are one row), then left to right. Creation order and list order are irrelevant.",
            "Actions: a group whose every sticky starts with a label HUR/HOW, NÄR/WHEN, VEM/WHO (any case; followed by "
            "':', '-', a space, or nothing; both action groups here use at least two kinds of label). The label is removed and the rest "
            "trimmed; several stickies with one label are joined with \"\\n\" in reading order; a missing label is \"\". "
            "Action groups are not listed among the exercise's groups. \"Who decides the budget? 🤔\" starts with a "
            "label but its group does not, so it stays an idea.",
            "Left out: hidden and invisible stickies, empty stickies, arrows, comments; text widgets are never notes; "
            "the board title lies outside every area and is ignored. Notes outside every exercise are unsorted.",
            "skipped counts the left-out widgets, for warnings.",
        ],
        "exercises": [
            {"title": UNSEEN_EXERCISE_1, "groups": [
                {"title": "Trygga platser / Safe places", "notes": [
                    "More lights in the park 💡", "Trygga vägar hem\nefter träningen", "نريد مكانًا آمنًا للقاء",
                    "Fritidsgården open later on Fridays"]},
                {"title": "Sport & kultur", "notes": [
                    "Free basketball courts 🏀 every weekend", "Music studio & podcast room", "Who decides the budget? 🤔",
                    "Dance classes – gratis!"]},
                {"title": "Skola / School", "notes": [
                    "Läxhjälp på biblioteket\n(tisdagar)", "Fler vuxna på rasterna", "Code <club> for girls & non-binary 👩\u200d💻"]},
                {"title": "", "notes": [
                    "Vi behöver fler tjejer i rådet!", "Meet in person,\nnot only on Discord", "Pizza at every meeting 🍕"]},
            ]},
            {"title": UNSEEN_EXERCISE_2, "groups": [
                {"title": "Roles / Roller", "notes": [
                    "Chair rotates every term", "Secretary writes notes in Swedish & English",
                    "Elect by secret ballot 🗳️", "Deputy = someone from another school"]},
            ]},
        ],
        "actions": [
            {"title": "Recruit members", "how": "Open call via the schools' Instagram\nVisit every class in år 8–9",
             "when": "Before the summer break ☀️", "who": "Fryshuset + student councils"},
            {"title": "Första mötet", "how": "Fika + short intro round", "when": "2 juni kl. 17", "who": ""},
        ],
        "unsorted": ["Parking lot: can we get bus cards? 🚌", "Ask Amira about the gym key"],
        "skipped": {"hidden": 1, "invisible": 1, "empty": 2, "arrow": 1, "comment": 1},
    }
    return b.in_api_order(), expected


# =============================================================================================
# The planning workbook
# =============================================================================================

FIXED_TIME = dt.datetime(2021, 5, 4, 7, 0, 0)
WIDTHS = {
    "workshops": (8, 22, 12, 26, 48, 70, 48, 10, 20, 9, 18, 48, 70),
    "ideas": (18, 10, 40, 28, 60, 22, 18, 10, 18),
    "actions": (18, 10, 30, 60, 16, 40, 14),
    "attendees": (24, 48, 10),
    "sync_log": (20, 20, 12, 8, 10, 10, 10, 60),
}


def curated_rows() -> list[list[str]]:
    """Idéer rows a coordinator typed before the first sync: ID, Workshop, Text and I sammanfattningen = nej.
    Sync fills the rest of each row; the recap leaves the note out."""
    header = [c.key for c in IDEAS.columns]
    rows = []
    for widget in build_example_board():
        if widget["type"] == "sticky note" and widget["text"] in CURATED_OUT:
            row = dict.fromkeys(header, "")
            row.update(id=widget["id"], workshop="ci2", text=widget["text"], in_recap="nej")
            rows.append([row[key] for key in header])
    return rows


def build_workbook() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    rows = {
        "workshops": [list(r) + ["", ""] + list(WORKSHOP_TEXTS.get(r[0], ("", "", "", ""))) for r in WORKSHOP_ROWS],
        "attendees": [[n, o, "ci1"] for n, o in PARTICIPANTS_CI1] + [[n, o, "ci2"] for n, o in PARTICIPANTS_CI2],
        "actions": [], "ideas": curated_rows(), "sync_log": [],
    }
    add_series_rows(rows)
    for schema in (WORKSHOPS, ATTENDEES, ACTIONS, IDEAS, SYNC_LOG):
        ws = wb.create_sheet(schema.title)
        ws.append([c.header for c in schema.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows[schema.key]:
            ws.append([None if v == "" else v for v in row])
        ws.freeze_panes = "A2"
        for i, width in enumerate(WIDTHS[schema.key], 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        if schema.key == "workshops":
            for row in ws.iter_rows(min_row=2):
                row[2].number_format = "yyyy-mm-dd"
                for cell in row:
                    cell.alignment = Alignment(vertical="top", wrap_text=cell.column_letter in ("F", "L", "M"))
                if row[5].value:
                    ws.row_dimensions[row[0].row].height = 15 * (str(row[5].value).count("\n") + 3)
    wb.properties.creator = "backbone tools/make_example.py"
    wb.properties.lastModifiedBy = "backbone tools/make_example.py"
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return _reproducible_zip(buffer.getvalue())


def _reproducible_zip(data: bytes) -> bytes:
    """The same workbook with fixed zip dates and document times (openpyxl stamps 'now')."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", lambda m: m.group(1) + stamp.encode(), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


# =============================================================================================
# The rest of the series (issue 12): workshops 3 and 4, typed into the sheet by people
# =============================================================================================
# No boards: their actions were typed into Åtgärder, with a Status and an owner (Ansvarig). One is
# overdue (hösten 2021, still Pågår), one is ongoing (löpande) and never overdue; tools/demo_edit.py
# changes a Status between two follow-ups in `make demo`. ci3 and ci4 each bring a new organisation.

SERIES_WORKSHOPS = (  # (ID, Titel, Datum, Tema, Mural, Inledning, Bilder)
    ("ci3", "Collective Impact 3", dt.date(2021, 6, 8), "Gemensam agenda", "", "", ""),
    ("ci4", "Collective Impact 4", dt.date(2021, 9, 14), "Effektmätning", "", "", ""),
)
SERIES_ACTIONS = (  # (ID, Workshop, Hållplats, Hur, När, Vem, Status, Ansvarig)
    ("ci3-1", "ci3", "Gemensam agenda – första utkast", "Skrivgrupp med tre aktörer", "innan sommaren",
     "Processgruppen", "Klar", "Sara Lindqvist"),
    ("ci3-2", "ci3", "Ungdomsråd", "Bjuda in unga via skolorna och föreningarna", "hösten 2021",
     "Fryshuset + Sjumilaskolan", "Pågår", "Ahmed Jama"),
    ("ci4-1", "ci4", "Gemensamma indikatorer", "Välja 5–8 indikatorer ur befintlig statistik", "v. 45",
     "RISE", "Pågår", "Erik Söderström"),
    ("ci4-2", "ci4", "Nyhetsbrev efter varje möte", "Kort mejl till alla aktörer", "löpande",
     "Backbone-teamet", "Pågår", "Johan Åberg"),
)
SERIES_PARTICIPANTS = {  # fictional people; Fritidsgården Vårvädret and Studiefrämjandet Göteborg are new
    "ci3": (("Amira Hassan", "Västra Hisingen Basket"), ("Sara Lindqvist", "RISE"),
            ("Fatima Abdi", "Bostadsbolaget"), ("Ahmed Jama", "Fryshuset Göteborg"),
            ("Lena Nyström", "Sjumilaskolan"), ("Linnea Grahn", "Fritidsgården Vårvädret"),
            ("Yusuf Osman", "Fritidsgården Vårvädret"), ("Per Åkesson", "Biskopsgårdens bibliotek")),
    "ci4": (("Amira Hassan", "Västra Hisingen Basket"), ("Erik Söderström", "RISE"),
            ("Johan Åberg", "Västra Hisingen Basket"), ("Linnea Grahn", "Fritidsgården Vårvädret"),
            ("Astrid Nilsson", "Studiefrämjandet Göteborg"), ("Mehmet Yılmaz", "Göteborgs Stad – Västra Hisingen")),
}


def add_series_rows(rows: dict[str, list]) -> None:
    """Workshops 3 and 4, their actions and their attendance, after the rows of workshops 1 and 2."""
    rows["workshops"] += [list(r) + ["", ""] for r in SERIES_WORKSHOPS]
    rows["actions"] += [list(r) for r in SERIES_ACTIONS]
    rows["attendees"] += [[n, o, w] for w, people in SERIES_PARTICIPANTS.items() for n, o in people]


# =============================================================================================
# Writing
# =============================================================================================

def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def settings_text() -> str:
    lines = ["# backbone settings for the bundled example. Relative paths are relative to this file."]
    for comment, key, value in SETTINGS:
        lines += ["", f"# {comment}", f"{key}={value}"]
    return "\n".join(lines) + "\n"


def outputs() -> dict[str, bytes]:
    """Every generated file: path below the root -> bytes."""
    example = "examples/biskopsgarden"
    unseen, expected = build_unseen_board()
    return {
        f"{example}/boards/{MURAL_ID}.json": _json(as_pages(build_example_board(), 30)),
        f"{example}/plan.xlsx": build_workbook(),
        f"{example}/settings.env": settings_text().encode("utf-8"),
        f"{example}/README.md": README.encode("utf-8"),
        "tests/data/boards/unseen_board.json": _json(unseen),
        "tests/data/boards/unseen_board.expected.json": _json(expected),
    }


def main(argv: list[str]) -> int:
    if len(argv) > 1 or (argv and argv[0] in ("-h", "--help")):
        print(__doc__.strip())
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    root = Path(argv[0]) if argv else REPO
    for relative, data in outputs().items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

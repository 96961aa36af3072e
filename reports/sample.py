"""A workshop resembling the published CI Biskopsgården recap (workshop 2, 4 May 2021), as model objects.

Used to check templates (every list is non-empty, so every placeholder path can be followed),
for previews and benchmarks. Shortened from the seed recap; the real example lives in examples/.
"""
from __future__ import annotations

from sync.core.model import Action, Attendee, Board, Exercise, Group, Note, Planning, Workshop

INTRO = """Efter en kort inledning och sammanfattning av föregående workshop gick RISE igenom vilka delar som ett Collective Impact ska innehålla för att vara framgångsrikt:
1. Börjar med en gemensam agenda/vision
2. Gemensam metod för effektmätning
3. Uppmuntrar till kontinuerlig kommunikation
4. Främjar ömsesidigt förstärkande aktiviteter
5. En stark organisatorisk ryggrad."""
BOARD_INTRO = "Under workshopens andra del arbetade vi i en gemensam Mural. En sammanfattning av Muralen följer nedan:"

GROUPS = {
    "Lokal förankring": ("", ["Relationsbyggande, skapa förtroende/tillit på plats", "Medborgardialoger",
                              "Skapa ett återkommande forum (Som folkhälsofrukostarna, öppen inbjudan/dagordning)",
                              "Skapa ungdomsstyrelse"]),
    "Kommunikation": ("", ["Relationsbyggande", "Kommunikationsplan inre/yttre kärna",
                           "Skapa gemensam språkdräkt"]),
    "Styrgrupp/Processgrupp": ("dela upp i två grupper – styrgrupp strategisk, processgrupp operativ",
                               ["Etablera/utse styr/processgrupp", "Årshjul av aktiviteter/steg"]),
    "Resurser & ekonomi": ("", ["Resursallokering (stärka redan etablerade initiativ)", "Budget"]),
}
EXERCISE_1 = "Övning 1. Viktiga hållplatser för att uppnå ett verksamt CI Biskopsgården (tematiska arbetsgrupper)"
EXERCISE_2 = "Övning 2. Prioriterade hållplatser (vad vi bör göra först) – Hur, När, Vem"


def sample_workshop() -> Workshop:
    return Workshop(id="CI2", title="Collective Impact 2: Struktur och arbetssätt", date="2021-05-04",
                    theme="Struktur och arbetssätt", intro=INTRO,
                    slides="https://example.org/ci2-bilder.pdf", board="workspace.1620000000000",
                    number="2", series="Collective Impact",
                    purpose="Temat för dagen var att skapa bästa struktur och arbetssätt för samverkan.",
                    board_intro=BOARD_INTRO)


def sample_board() -> Board:
    groups = tuple(
        Group(title=title, description=description, id=f"g{g}",
              notes=tuple(Note(id=f"n{g}-{n}", text=text, author="Deltagare") for n, text in enumerate(texts)))
        for g, (title, (description, texts)) in enumerate(GROUPS.items()))
    actions = (
        Action(id="a1", workshop="CI2", exercise=EXERCISE_2, title="Utse/bilda processgrupp",
               how="Rösta in representanter från organisationer i Collective Agency", when="Q1 2022",
               who="Samtliga aktörer i CI Biskopsgården genom en demokratiskt process"),
        Action(id="a4", workshop="CI2", exercise=EXERCISE_2, title="Avtal med syfte & mål",
               how="", when="Q1 – Q2 2022", who="Processgrupp och aktörerna i CI"),
    )
    return Board(id="workspace.1620000000000", title="CI2",
                 exercises=(Exercise(title=EXERCISE_1, order=1, groups=groups, id="e1"),
                            Exercise(title=EXERCISE_2, order=2, id="e2")),
                 actions=actions,
                 unsorted=(Note(id="u1", text="Gemensam start (en ceremoni)"),))


def sample_planning() -> Planning:
    attendees = tuple(Attendee(name=f"Deltagare {i}", organisation=f"Organisation {min(i, 20)}", workshop="CI2")
                      for i in range(1, 24))
    return Planning(
        workshops=(sample_workshop(),),
        actions=(Action(id="a1", workshop="CI2", title="", status="Pågår"),
                 Action(id="s1", workshop="ci2", title="Bjuda in fler aktörer",
                        how="WS (ungdomsråd, medborgarguider, civilsamhället)", when="2021",
                        who="CI kollektivet/Processgruppen", status="Planerad")),
        attendees=attendees,
        ideas={"n0-0": {"text": "Relationsbyggande, skapa förtroende/tillit på plats", "on_board": "ja"}},
    )

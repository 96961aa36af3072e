"""Deterministic large inputs for the benchmarks."""
from __future__ import annotations

import random


def big_board(widgets: int = 20_000, seed: int = 7) -> list[dict]:
    """A board of about `widgets` widgets: 20 exercises of 10 groups (areas and drawn boxes), stickies
    parented or only placed inside, a text heading per box, and some arrows and comments."""
    rng = random.Random(seed)
    out: list[dict] = []
    exercises, groups = 20, 10
    per_group = max((widgets - exercises - exercises * groups * 2) // (exercises * groups) - 1, 1)
    for e in range(exercises):
        ex_x = (e % 5) * 20_000
        ex_y = (e // 5) * 20_000
        out.append({"id": f"ex{e}", "type": "area", "title": f"Övning {e + 1}", "x": ex_x, "y": ex_y, "width": 19_000, "height": 19_000})
        for g in range(groups):
            gx, gy = (g % 5) * 3_800, (g // 5) * 9_000
            gid = f"ex{e}g{g}"
            if g % 2:
                out.append({"id": gid, "type": "area", "title": f"Grupp {g}",
                            "x": gx, "y": gy, "width": 3_600, "height": 8_500, "parentId": f"ex{e}"})
            else:
                out.append({"id": gid, "type": "shape", "text": "", "x": ex_x + gx, "y": ex_y + gy, "width": 3_600, "height": 8_500})
            out.append({"id": f"{gid}t", "type": "text", "text": f"Rubrik {g}",
                        "x": ex_x + gx + 10, "y": ex_y + gy + 5, "width": 300, "height": 40})
            for n in range(per_group):
                col, row = n % 20, n // 20
                x, y = 20 + col * 175 + rng.uniform(-10, 10), 100 + row * 160 + rng.uniform(-20, 20)
                note = {"id": f"{gid}n{n}", "type": "sticky note", "width": 138, "height": 138,
                        "createdBy": {"firstName": "Åsa", "lastName": "Öberg"}, "createdOn": 1620115200000 + n,
                        "style": {"backgroundColor": "#FCFE7DFF"}}
                if n % 3 == 0:
                    note["htmlText"] = f"<p>Idé {n} &amp; mer</p><p>rad två 🎉</p>"
                else:
                    note["text"] = f"Idé nummer {n} för grupp {g}"
                if g % 2 and n % 2:
                    note.update(x=x, y=y, parentId=gid)
                else:
                    note.update(x=ex_x + gx + x, y=ex_y + gy + y)
                out.append(note)
    while len(out) < widgets:
        out.append({"id": f"arrow{len(out)}", "type": "arrow", "x": 0, "y": 0, "width": 10, "height": 10})
    return out[:widgets] if len(out) > widgets else out


def huge_area_board(small_shapes: int = 4_000, stickies: int = 4_000, seed: int = 11) -> list[dict]:
    """One 30,000 x 20,000 background area holding many small shapes (icons, dots, labels) and stickies:
    the mix of sizes that made a grid sized by the median container cost seconds and hundreds of MB."""
    rng = random.Random(seed)
    out: list[dict] = [{"id": "huge", "type": "area", "title": "Hela dagen", "x": 0, "y": 0, "width": 30_000, "height": 20_000}]
    for s in range(small_shapes):
        out.append({"id": f"dot{s}", "type": "shape", "text": f"{s % 9 + 1}", "x": rng.uniform(0, 29_960),
                    "y": rng.uniform(0, 19_960), "width": 30, "height": 30, "parentId": "huge"})
    for n in range(stickies):
        out.append({"id": f"n{n}", "type": "sticky note", "text": f"Idé {n}", "x": rng.uniform(0, 29_800),
                    "y": rng.uniform(0, 19_800), "width": 138, "height": 138, "parentId": "huge"})
    return out

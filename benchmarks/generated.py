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


def _meta(rng: random.Random, number: int, people: list[dict]) -> dict:
    """The fields MURAL's widgets endpoint sends for every widget (tests/data/boards/real_shapes.json)."""
    person = people[rng.randrange(len(people))]
    return {"rotation": 0, "stackingOrder": number, "presentationIndex": -1, "title": "", "instruction": "", "hidden": False,
            "hideEditor": False, "hideOwner": False, "locked": False, "lockedByFacilitator": False, "parentId": None,
            "createdOn": 1620115200000 + number * 7, "updatedOn": 1620120000000 + number * 3,
            "contentEditedOn": 1620119000000 + number * 3, "createdBy": person, "updatedBy": person, "contentEditedBy": person}


def mural_export(stickies: int = 200_000, seed: int = 23) -> dict:
    """A saved MURAL export (`backbone mural pull`'s format) with `stickies` sticky notes, every widget carrying the
    fields MURAL sends: 20 exercise areas of 10 groups (8 titled areas and 2 drawn boxes headed by a text widget),
    one HUR/NÄR/VEM action group per exercise, comments, tags and a voting session. Half the stickies carry the
    `parentId` of their group area (or of the exercise around a drawn box), x/y relative to it; the other half
    none: placed only by geometry, absolute x/y inside their area. Deterministic for a given seed."""
    rng = random.Random(seed)
    people = [{"firstName": first, "lastName": last, "type": "member"}
              for first in ("Åsa", "Amira", "Jonas", "Leila", "Per", "Sanna") for last in ("Öberg", "Hassan", "Lind", "Nyström")]
    people.append({"alias": "Gäst 7", "type": "visitor"})
    widgets: list[dict] = []
    exercises, groups = 20, 10
    per_group = stickies // (exercises * (groups + 1))  # the action group takes its share too
    columns = 40
    group_width, group_height = columns * 175 + 200, (per_group // columns + 1) * 160 + 300
    tags = [{"id": f"tag{t}", "text": word} for t, word in enumerate(("prio", "trygghet", "möten", "skola", "fritid"))]
    votes: list[dict] = []
    written = 0

    def sticky(gid: str, n: int, x: float, y: float, parent: str | None, text: str) -> dict:
        nonlocal written
        written += 1
        note = _meta(rng, len(widgets), people)
        note.update({"id": f"{gid}n{n}", "type": "sticky note", "x": x, "y": y, "width": 138, "height": 138,
                     "parentId": parent, "text": text, "minLines": 6, "shape": "rectangle", "hyperlink": "",
                     "tags": [tags[n % 5]["id"]] if n % 7 == 0 else [], "invisible": False,
                     "style": {"backgroundColor": ("#FCFE7DFF", "#9EDCFAFF", "#FFC2E8FF")[n % 3], "bold": False,
                               "font": "proxima-nova", "fontSize": 23, "italic": False, "strike": False,
                               "textAlign": "center", "underline": False, "border": False}})
        if n % 3 == 0:
            note["htmlText"] = f"<p>{text.replace('&', '&amp;')}</p><p>rad två 🎉</p>"
        if n % 50 == 0:
            votes.append({"widgetId": note["id"], "totalVotes": n % 9 + 1, "uniqueVoters": n % 9 + 1})
        widgets.append(note)
        if n % 200 == 0:
            comment = _meta(rng, len(widgets), people)
            comment.update({"id": f"{note['id']}c", "type": "comment", "x": x + 100, "y": y, "width": 32, "height": 32,
                            "parentId": parent, "message": f"Ta med {n}&nbsp;till nästa möte", "replies": [],
                            "referenceWidgetId": note["id"], "timestamp": 1620130000000 + n, "resolvedBy": None,
                            "resolvedOn": None})
            widgets.append(comment)
        return note

    for e in range(exercises):
        ex_x, ex_y = (e % 4) * 40_000, (e // 4) * 3 * (group_height + 400)
        ex_id = f"ex{e}"
        area = _meta(rng, len(widgets), people)
        area.update({"id": ex_id, "type": "area", "x": ex_x, "y": ex_y, "width": 5 * (group_width + 200) + 200,
                     "height": 3 * (group_height + 400), "title": f"Övning {e + 1}. Vad gör oss trygga?", "showTitle": True,
                     "layout": "freeform", "style": {"backgroundColor": "#FFFFFF00", "borderColor": "#C5C5C5FF"}})
        widgets.append(area)
        for g in range(groups + 1):
            gx, gy = 200 + (g % 5) * (group_width + 200), 300 + (g // 5) * (group_height + 400)
            gid = f"{ex_id}g{g}"
            drawn = g in (3, 7)
            group = _meta(rng, len(widgets), people)
            if drawn:  # a drawn box, absolute, headed by a text widget
                group.update({"id": gid, "type": "shape", "x": ex_x + gx, "y": ex_y + gy, "width": group_width,
                              "height": group_height, "shape": "rectangle", "text": "",
                              "style": {"backgroundColor": "#EEEEEEFF", "strokeColor": "#2D2D2DFF"}})
                heading = _meta(rng, len(widgets), people)
                heading.update({"id": f"{gid}t", "type": "text", "x": ex_x + gx + 20, "y": ex_y + gy + 20, "width": 600,
                                "height": 60, "text": f"<div><span style=\"color:#2d9613\">Rubrik {g}</span></div>",
                                "style": {"fontSize": 36}})
                widgets += [group, heading]
            else:  # an area inside the exercise, x/y relative to it
                group.update({"id": gid, "type": "area", "x": gx, "y": gy, "width": group_width, "height": group_height,
                              "parentId": ex_id, "title": "Åtgärd: fritidsgård" if g == groups else f"Grupp {g}: möten & tillit",
                              "showTitle": True, "layout": "freeform", "style": {"backgroundColor": "#FFFFFF00"}})
                widgets.append(group)
            for n in range(per_group):
                col, row = n % columns, n // columns
                x, y = 100 + col * 175 + rng.uniform(-10, 10), 200 + row * 160 + rng.uniform(-20, 20)
                if g == groups:
                    text = ("HUR: öppna fritidsgården", "NÄR: 4 maj 2021", "VEM: Fältgruppen")[n % 3] + f" ({n})"
                else:
                    text = f"Idé {n} för grupp {g}: {rng.choice(('fler möten', 'trygga vuxna', 'ljus på torget', 'läxhjälp'))}"
                if n % 2 and not drawn:  # parented: x/y relative to the group area
                    sticky(gid, n, x, y, gid, text)
                elif n % 2:  # in a drawn box, parented to the exercise: x/y relative to it, the box found by geometry
                    sticky(gid, n, gx + x, gy + y, ex_id, text)
                else:  # geometry only: absolute x/y inside the area
                    sticky(gid, n, ex_x + gx + x, ex_y + gy + y, None, text)
    n = 0
    while written < stickies:  # the rounding's rest, outside every area
        sticky("loose", n, -5_000 - (n % 20) * 175, n // 20 * 160, None, f"Lös idé {n}")
        n += 1
    return {"value": widgets, "mural": {"id": "backbone.1620111600000", "title": "Collective Impact 2",
                                        "updatedOn": 1620130000000},
            "tags": tags, "votingSessions": [{"id": "vs1", "title": "Prioritering", "results": votes}]}


def miro_board(items: int = 20_000, seed: int = 31) -> dict:
    """A saved Miro export ({"miro", "items", "tags", "members"}) laid out as big_board's: 20 frames of 10 shapes,
    a text title above each shape, sticky notes inside (positions from the frame's top-left corner, by the centre;
    some rotated, some with <br> and entities), a card per frame, and connectors to fill up to `items`."""
    rng = random.Random(seed)
    out: list[dict] = []
    frames, shapes = 20, 10
    per_shape = max((items - frames * (2 + shapes * 2)) // (frames * shapes), 1)
    members = [{"id": f"30744570{m:04d}", "name": f"Person {m} Åberg", "role": "editor", "type": "board_member"}
               for m in range(50)]
    for f in range(frames):
        frame_id = f"3458764{f:03d}000000000"
        out.append({"id": frame_id, "type": "frame", "data": {"title": f"Övning {f + 1}", "format": "custom"},
                    "position": {"x": (f % 5) * 20_000, "y": (f // 5) * 20_000, "origin": "center",
                                 "relativeTo": "canvas_center"}, "geometry": {"width": 19_000, "height": 19_000}})
        for s in range(shapes):
            sx, sy = 200 + (s % 5) * 3_800 + 1_800, 200 + (s // 5) * 9_000 + 4_250
            shape_id = f"3458764{f:03d}{s:03d}000000"
            within = {"origin": "center", "relativeTo": "parent_top_left"}
            out.append({"id": shape_id, "type": "shape", "parent": {"id": frame_id},
                        "data": {"content": f"<p>Grupp {s} &amp; tema</p>", "shape": "rectangle"},
                        "position": {"x": sx, "y": sy, **within}, "geometry": {"width": 3_600, "height": 8_500}})
            out.append({"id": shape_id[:-1] + "1", "type": "text", "parent": {"id": frame_id},
                        "data": {"content": "<p>Skriv en idé per lapp</p>"},
                        "position": {"x": sx, "y": sy - 4_100, **within}, "geometry": {"width": 3_000, "height": 60}})
            for n in range(per_shape):
                col, row = n % 20, n // 20
                content = f"<p>Idé {n} för grupp {s}</p>" if n % 3 else f"<p>Idé {n} &amp; mer<br>rad två 🎉</p>"
                out.append({"id": f"3458764{f:03d}{s:03d}{n:06d}", "type": "sticky_note", "parent": {"id": frame_id},
                            "data": {"content": content, "shape": "square"}, "style": {"fillColor": "light_yellow"},
                            "position": {"x": sx - 1_700 + 90 + col * 175 + rng.uniform(-10, 10),
                                         "y": sy - 4_150 + 180 + row * 160 + rng.uniform(-20, 20), **within},
                            "geometry": {"width": 138, "height": 138, "rotation": 4.5 if n % 17 == 0 else 0.0},
                            "createdBy": {"id": members[n % 50]["id"], "type": "user"},
                            "createdAt": "2021-05-04T09:00:00Z", "modifiedAt": "2021-05-04T10:00:00Z"})
        out.append({"id": f"3458764{f:03d}999000000", "type": "card", "parent": {"id": frame_id},
                    "data": {"title": f"Åtgärd {f}", "description": "Träffas varje månad", "dueDate": "2021-06-01T00:00:00Z",
                             "assigneeId": members[f]["id"]},
                    "position": {"x": 18_000, "y": 18_000, "origin": "center", "relativeTo": "parent_top_left"},
                    "geometry": {"width": 320, "height": 94}})
    while len(out) < items:
        out.append({"id": f"9{len(out):018d}", "type": "connector", "startItem": {"id": out[1]["id"]},
                    "endItem": {"id": out[2]["id"]}})
    return {"miro": {"id": "uXjVBench00=", "name": "Bänk", "modifiedAt": "2021-05-04T10:00:00Z"}, "items": out[:items],
            "tags": [{"id": f"t{t}", "title": f"Tagg {t}"} for t in range(10)], "members": members}

"""What each CLI command prints. Kept apart from argument parsing so both stay short."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from sync.core.errors import InputError, NotFoundError
from sync.core.i18n import N_, _, counts_line, ngettext, result_word
from sync.core.model import MIRO
from sync.core.text import one_line
from sync.usecases.board_outline import show_board

if TYPE_CHECKING:  # the wiring and the results' types, imported by the command that runs
    from sync.bootstrap import Backbone
    from sync.core.run_result import RunResult


def board_command(app: Backbone, file: str | None, snapshot: int | None, as_json: bool, include_hidden: bool) -> str:
    export = app.board_export(file, snapshot)
    return show_board(export, as_json=as_json, include_hidden=include_hidden or app.settings.include_hidden,
                      voting_session=app.settings.mural_voting_session)


def sync_summary(result: RunResult, sheet_name: str, dry_run: bool) -> str:
    counts = result.counts()
    plan = result.plan
    lines = []
    if dry_run and plan is not None:
        by_tab: dict[str, list[str]] = {}
        for tab, row_id in plan.new_rows:
            by_tab.setdefault(tab, []).append(f"  + {row_id}: {one_line(plan.labels.get((tab, row_id), ''), 60)}")
        for tab, row_id in plan.removed_rows:
            by_tab.setdefault(tab, []).append(f"  - {row_id}: " + _("gone from the board (På tavlan = nej)"))
        for change in plan.changes:
            by_tab.setdefault(change.tab, []).append(
                f"  ~ {change.row_id} {change.column}: {one_line(change.old, 60)!r} -> {one_line(change.new, 60)!r}")
        if plan.new_tabs:
            lines.append(_("new tabs: {tabs}").format(tabs=", ".join(plan.new_tabs)))
        for tab, entries in by_tab.items():
            lines.append(f"{tab}:")
            lines.extend(entries[:50] + (["  " + _("… and {count} more").format(count=len(entries) - 50)] if len(entries) > 50 else []))
    head = _("Dry run, nothing written") if dry_run else _("Sync {result}").format(result=result_word(result.result))
    lines.append(f"{head}: {counts_line(counts)} — {sheet_name}")
    lines.extend(_("note: {text}").format(text=note) for note in result.notes)
    if plan is not None:
        for conflict in plan.conflicts[:20]:
            lines.append(_("conflict: {tab} {row} {column}: kept the sheet's {kept!r}, the board says {board!r}").format(
                tab=conflict.tab, row=conflict.row_id, column=conflict.column,
                kept=one_line(conflict.sheet_value, 60), board=one_line(conflict.board_value, 60)))
        if len(plan.conflicts) > 20:
            more = len(plan.conflicts) - 20
            lines.append(ngettext("… and {count} more conflict (see `backbone runs`)",
                                  "… and {count} more conflicts (see `backbone runs`)", more).format(count=more))
        if plan.kept_edits:
            lines.append(ngettext("kept {count} edit people made in the sheet", "kept {count} edits people made in the sheet",
                                  plan.kept_edits).format(count=plan.kept_edits))
    lines.extend(_("failed: {workshop}: {reason}").format(workshop=workshop, reason=reason)
                 for workshop, reason in result.failures)
    lines.extend(_("warning: {text}").format(text=w) for w in result.warnings)
    return "\n".join(lines)


def runs_table(app: Backbone, limit: int) -> str:
    runs = app.state.runs(limit)
    if not runs:
        return _("No sync runs yet in {path}. Run `backbone sync`.").format(path=Path(app.state.where).resolve())
    # Column heads are short words; the counts' names are in the header, the message in the run's language.
    lines = [_("Sync runs in {path}:").format(path=Path(app.state.where).resolve()),
             "{:>4}  {:19}  {:12} {:>4} {:>4} {:>4} {:>4}  {}".format(
                 "#", _("started"), _("result"), _("new"), _("chg"), _("rem"), _("conf"), _("message"))]
    for run in runs:
        lines.append(f"{run.id:>4}  {run.started:19}  {result_word(run.result):12} {run.new:>4} {run.changed:>4} {run.removed:>4} "
                     f"{run.conflicts:>4}  {one_line(run.message, 80)}")
    return "\n".join(lines)


def history_table(app: Backbone, ref: str, *, miro: bool = False) -> str:
    """`backbone mural history` and `backbone miro history`: the archived snapshots of a MURAL or Miro board."""
    vendor, board_id = app.archived_board(ref, miro=miro)
    snapshots = app.state.snapshots(board_id)
    if not snapshots and vendor == MIRO:
        return _("No snapshots of {board} yet; `backbone miro pull {board}` or a sync with BACKBONE_BOARDS=miro makes "
                 "one.").format(board=board_id)
    if not snapshots:
        return _("No snapshots of {board} yet; `backbone mural pull {board}` or a sync with BACKBONE_BOARDS=mural makes "
                 "one.").format(board=board_id)
    lines = ["{:>4}  {:16}  {:19}  {}".format("#", _("fetched (UTC)"), _("board updated (UTC)"), _("widgets"))]
    for s in snapshots:
        fetched = dt.datetime.fromtimestamp(s.fetched_at, dt.UTC).strftime("%Y-%m-%d %H:%M")
        updated = dt.datetime.fromtimestamp(s.updated_on / 1000, dt.UTC).strftime("%Y-%m-%d %H:%M") if s.updated_on else "–"
        lines.append(f"{s.id:>4}  {fetched:16}  {updated:19}  {s.widgets}")
    lines.append(_("Read one with `backbone board --snapshot N`."))
    return "\n".join(lines)


def forget_list(app: Backbone) -> str:
    """`backbone forget --list`: how many people are suppressed, never who (the list holds no names)."""
    count = app.state.suppressed_people()
    return ngettext("{count} person is on the list of forgotten people (kept as keyed hashes: who is not stored).",
                    "{count} people are on the list of forgotten people (kept as keyed hashes: who is not stored).",
                    count).format(count=count)


def forget_command(app: Backbone, name: str | None, apply: bool, listing: bool = False) -> str:
    """`backbone forget NAME [--apply]`: a dry run unless --apply; what changed or would change."""
    from contextlib import nullcontext

    from sync.core.redact import name_removed
    from sync.core.run_result import stamp
    from sync.usecases.forget import forget

    if listing:
        if name or apply:
            raise InputError(_("--list goes alone: `backbone forget --list`, or `backbone forget NAME [--apply]`"))
        return forget_list(app)
    if not name:
        raise InputError(_("give the person's NAME (e.g. `backbone forget \"Amira Hassan\"`), or --list"))
    kind, where = app.boards_place
    lock = app.state.sync_lock(_("a forget started {time}").format(time=stamp(app.clock, app.tz))) if apply else nullcontext()
    with lock:
        report = forget(name, app.sheet, app.state, app.state, sheet_id=app.sheet_id, apply=apply,
                        marker=name_removed(app.settings.language), files=app.handed_out_files)
    return forget_summary(report, app.sheet.name, Path(app.state.where), Path(where) if kind == "files" else None)


def forget_summary(report, sheet_name: str, state_path: Path, exports: Path | None = None) -> str:
    verb = _("removed from") if report.applied else _("would be removed from")
    lines = [f"\"{report.name}\": {verb}"]
    lines.append("  " + _("the sheet {sheet}: {cells} sync wrote").format(
        sheet=sheet_name, cells=ngettext("{count} cell", "{count} cells", len(report.cells)).format(count=len(report.cells))))
    lines.extend(f"    {place} -> {one_line(str(value), 60)!r}" for place, value in report.cells[:50])
    if len(report.cells) > 50:
        lines.append("    " + _("… and {count} more").format(count=len(report.cells) - 50))
    erased = report.state
    lines.append("  " + _("the state database {path}: {base}, {runs}, {snapshots}").format(
        path=state_path, base=ngettext("{count} merge-base entry", "{count} merge-base entries", erased.base).format(count=erased.base),
        runs=ngettext("{count} run", "{count} runs", erased.runs).format(count=erased.runs),
        snapshots=ngettext("{count} archived snapshot", "{count} archived snapshots", erased.snapshots).format(count=erased.snapshots))
        + (" (" + ngettext("{count} folded into an identical one", "{count} folded into identical ones",
                           erased.merged).format(count=erased.merged) + ")" if erased.merged else "")
        + ", " + ngettext("{count} follow-up record", "{count} follow-up records", erased.followups).format(count=erased.followups))
    if report.to_check:
        lines.append(_("People's cells that name them, for you to check (backbone does not change them): {count}").format(
            count=len(report.to_check)))
        lines.extend(f"  {place}" for place in report.to_check[:100])
    if report.files_to_check:
        lines.append(_("Files that name them, for you to check (a recap: write it again with `backbone report` or delete "
                       "it; a board export: remove the name on the board and pull it again):"))
        lines.extend(f"  {path}" for path in report.files_to_check)
    if report.applied:
        lines.append(_("They are on the list of forgotten people now: later syncs, recaps, follow-up reports and digests "
                       "leave them out, whatever the board says and whatever BACKBONE_AUTHORS is."))
    else:
        lines.append(_("With --apply they join the list of forgotten people (keyed hashes, no name), so later syncs, "
                       "recaps, follow-up reports and digests leave them out."))
    if exports is not None:
        lines.append(_("WARNING: the boards are export files in {folder}. backbone leaves the person out when it reads "
                       "them, but it does not change the files: they still hold the name until you pull them again "
                       "(`backbone mural pull` leaves the person out) or delete them.").format(folder=exports))
    lines.append(_("What backbone cannot reach, for you to do:"))
    if erased.boards:
        lines.append("  " + _("the boards in MURAL ({boards}): ask the board owner to remove the person's notes and name")
                     .format(boards=", ".join(erased.boards)))
    else:
        lines.append("  " + _("the boards in MURAL: ask the board owner to remove the person's notes and name"))
    lines.append("  " + _("Google Sheets' version history keeps earlier values (docs/gdpr.md says how to drop it)"))
    lines.append("  " + _("copies sent by e-mail (recaps, digests)"))
    lines.append("  " + _("backups of the server, until they expire"))
    if not report.applied:
        lines.append(_("Dry run: nothing changed. Run `backbone forget \"{name}\" --apply` to do it.").format(name=report.name))
    return "\n".join(lines)
# --- between workshops (issue 12) -----------------------------------------------------------------
def need_workshop(workshop: str | None) -> None:
    if not workshop:
        raise InputError(_("give a WORKSHOP ID (e.g. `backbone report ci2`), or --followup for the follow-up report"))


def followup_command(app: Backbone, args):
    if args.since and not args.followup:  # `report ci2 --since …`: the --since is what is out of place
        raise InputError(_("--since goes with --followup (`backbone report --followup --since 2021-06-01`)"))
    if args.workshop:
        raise InputError(_("the follow-up report covers every workshop: drop the WORKSHOP ID, or drop --followup"))
    return app.followup(since=args.since, lang=args.lang, template=args.template, out=args.out, pdf=args.pdf)


def notification_line(outcome: dict) -> str:
    if outcome.get("sent"):
        return ngettext("E-mail digest sent to {count} recipient", "E-mail digest sent to {count} recipients",
                        outcome["to"]).format(count=outcome["to"])
    if outcome.get("skipped"):
        return _("No e-mail digest: {reason}").format(reason=_(outcome["skipped"]))
    return _("E-mail digest NOT sent: {error} (the sync itself is done; see `backbone runs`)").format(
        error=outcome.get("error", ""))


def sync_with_notify(app: Backbone, args, out) -> int:
    """`backbone sync --notify`: the sync, then the digest. A failed digest never fails the sync."""
    import sys

    from sync.core.errors import BackboneError, BusyError

    app.mailer.check()  # wrong mail settings: say so before syncing
    try:
        result = app.sync(workshop=args.workshop, progress=lambda line: print(line, file=sys.stderr, flush=True))
    except BusyError:
        raise
    except BackboneError as exc:
        print(notification_line(app.notify_after_sync(None, failure=str(exc))), file=sys.stderr)
        raise
    out(sync_summary(result, app.sheet.name, False))
    out(notification_line(app.notify_after_sync(result.run_id)))
    return 1 if result.failures else 0


def notify_test(app: Backbone) -> str:
    return _("Sent a test message to {recipients}").format(recipients=", ".join(app.notify_test()))


CHANGE_LABELS = {"notes_added": N_("notes added"), "notes_changed": N_("notes changed"),
                 "notes_removed": N_("notes removed from the board"), "actions_added": N_("actions added"),
                 "actions_changed": N_("actions changed")}


def run_changes(app: Backbone, run_id: int) -> str:
    from sync.core.sheet.change_digest import digest_lines

    run = app.state.run(run_id)
    if run is None:
        raise NotFoundError(_("no run {run} in {path}; `backbone runs` lists them").format(run=run_id, path=app.state.where))
    head = _("Run {run}, {started}: {result}, {counts}").format(
        run=run.id, started=run.started, result=result_word(run.result),
        counts=counts_line({"new": run.new, "changed": run.changed, "removed": run.removed, "conflicts": run.conflicts}))
    if "changes" not in run.details:
        return head + "\n" + _("This run has no change digest (it ran before backbone recorded them, or it failed).")
    labels = {kind: _(label) for kind, label in CHANGE_LABELS.items()}
    lines = digest_lines(run.details["changes"], labels) or [_("Nothing was added, changed or removed.")]
    note = run.details.get("notification")
    if note:
        lines.append(notification_line(note))
    return "\n".join([head, *lines])


def check_followup(app: Backbone, file: str, out) -> int:
    """`backbone template check --followup FILE`."""
    unknown = app.documents.template_problems(Path(file), followup=True)
    if unknown:
        out(ngettext("{file}: {count} placeholder the follow-up report does not provide:",
                     "{file}: {count} placeholders the follow-up report does not provide:", len(unknown)).format(
                         file=file, count=len(unknown)))
        for name in unknown:
            out(f"  {name}")
        return 2
    out(_("{file}: every placeholder is provided").format(file=file))
    return 0


# --- a sheet from scratch (issue 18) ---------------------------------------------------------------
def init_command(app: Backbone) -> str:
    """`backbone init`: what was made, and what to do next."""
    done = app.init()
    name = app.sheet_place[1] if app.sheet_place[0] == "xlsx" else app.sheet.name
    tabs = ", ".join(done.tabs)
    if done.created:
        lines = [_("Made {sheet} with the tabs {tabs}: header rows, frozen headers and the Status drop-down").format(
            sheet=name, tabs=tabs)]
    elif done.added or done.headed:
        lines = [ngettext("Added {count} tab to {sheet}: {tabs}", "Added {count} tabs to {sheet}: {tabs}",
                          len(done.added)).format(count=len(done.added), sheet=name, tabs=", ".join(done.added))]
        if done.headed:
            lines.append(_("Gave the empty tabs {tabs} their header rows").format(tabs=", ".join(done.headed)))
    else:
        lines = [_("{sheet} has every tab already: nothing to do. Next: `backbone sync`").format(sheet=name)]
    folder = app.make_boards_folder()
    if folder is not None:
        lines.insert(1, _("Made the folder {folder} for the boards' export files (`backbone mural pull` saves them "
                          "there)").format(folder=folder))
    if not (done.created or done.added or done.headed):
        return "\n".join(lines)
    lines.append(_("Next: write one row per workshop in the Workshops tab (ID, Titel, Datum, and the board's MURAL "
                   "address in Mural), then run `backbone sync`"))
    return "\n".join(lines)

"""The `backbone` command: parse, call the library, print; named errors become one line.

Imports here are only what parsing needs (argparse, the catalogs): `backbone --help` and a usage error answer
in a tenth of a second. The wiring, the settings, the use cases and their libraries (docx, openpyxl, gspread,
Flask, APScheduler, matplotlib...) are imported by the command that runs, inside its function
(tests/unit/test_cli_imports.py keeps it so; benchmarks/bench_cli_start.py measures it).
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sync import __version__
from sync.core.errors import BackboneError
from sync.core.i18n import N_, _, ngettext, speaking
from sync.entry.cli.cli_words import argparse_in_our_words, language_before_parsing

if TYPE_CHECKING:
    from sync.bootstrap import Backbone

EPILOG = N_("""Settings come from BACKBONE_* environment variables or a settings file (--settings FILE,
default ./settings.env when present). See settings.example.env for every setting.""")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backbone", description=_("Keep the shared planning sheet in step with the "
                                     "MURAL boards, and write Word recaps of the workshops."), epilog=_(EPILOG))
    parser.add_argument("--settings", metavar=_("FILE"), help=_("settings file (default: ./settings.env when present)"))
    parser.add_argument("--verbose", "-v", action="store_true", help=_("log details to stderr"))
    parser.add_argument("--version", action="version", version=f"backbone {__version__}",
                        help=_("show backbone's version and exit"))
    parser.set_defaults(needs_settings=True)
    subcommands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), required=True)

    board = subcommands.add_parser("board", help=_("outline of a board export (or of an archived snapshot)"),
                                description=_("Print the outline of a MURAL or Miro board export: exercises, groups, notes, "
                                              "actions."))
    board.add_argument("file", nargs="?", metavar=_("FILE"),
                       help=_("a board export (.json) as saved by `backbone mural pull`, `backbone miro pull` or the API"))
    board.add_argument("--snapshot", type=int, metavar="N",
                       help=_("read archived snapshot N (`backbone mural history` and `backbone miro history` list them)"))
    board.add_argument("--json", action="store_true", help=_("print the normalised model as JSON"))
    board.add_argument("--include-hidden", action="store_true", help=_("include hidden and invisible sticky notes"))
    board.set_defaults(func=_board, needs_settings=lambda args: args.snapshot is not None)  # a file needs no settings

    report = subcommands.add_parser("report", help=_("write the Word recap of a workshop"),
                                 description=_("Write the Word recap of a workshop from its board and the planning sheet."))
    report.add_argument("workshop", metavar=_("WORKSHOP"), nargs="?", help=_("the workshop's ID in the Workshops tab, e.g. ci2"))
    report.add_argument("--template", metavar=_("FILE"), help=_("a .docx template (default: the bundled one for the language)"))
    report.add_argument("--lang", choices=("sv", "en"), help=_("language of the recap (default: BACKBONE_LANGUAGE)"))
    report.add_argument("--out", metavar=_("PATH"), help=_("output file or folder (default: BACKBONE_REPORTS_DIR)"))
    report.add_argument("--pdf", action="store_true", help=_("also convert to PDF with LibreOffice"))
    report.add_argument("--html", action="store_true", help=_("also write the recap as a web page (.html) beside it"))
    report.add_argument("--followup", action="store_true", help=_("write the follow-up report of the whole series instead "
                        "(every action by status, overdue ones, what is new since the last follow-up, attendance)"))
    report.add_argument("--since", metavar=_("DATE"), help=_("with --followup: new and changed since DATE (YYYY-MM-DD) "
                        "instead of since the last follow-up"))
    report.set_defaults(func=_report)

    template = subcommands.add_parser("template", help=_("check a Word template"), description=_("Work with Word templates."))
    template_commands = template.add_subparsers(dest="template_command", metavar=_("ACTION"), required=True)
    check = template_commands.add_parser("check", help=_("list placeholders the template uses that backbone does not provide"),
                                         description=_("List placeholders the template uses that backbone does not provide."))
    check.add_argument("file", metavar=_("FILE"), help=_("the .docx template"))
    check.add_argument("--followup", action="store_true", help=_("check it as a follow-up report template"))
    check.set_defaults(func=_template_check, needs_settings=False)

    sync = subcommands.add_parser("sync", help=_("bring the boards into the shared sheet (the nightly job)"),
                               description=_("Bring every workshop's board into the shared sheet without overwriting people's edits."))
    sync.add_argument("--dry-run", action="store_true", help=_("print what would change and write nothing"))
    sync.add_argument("--workshop", metavar="ID", help=_("sync only this workshop"))
    sync.add_argument("--notify", action="store_true", help=_("afterwards, e-mail the digest to BACKBONE_MAIL_TO "
                      "when there is something to say (a failure is always sent)"))
    sync.set_defaults(func=_sync)

    init = subcommands.add_parser("init", help=_("make the shared sheet: every tab with its headers"),
                               description=_("Make the planning workbook (BACKBONE_SHEET) with every tab and header, frozen "
                               "header rows and the Status drop-down; in a Google spreadsheet, add the tabs it lacks. "
                               "Never overwrites a workbook that holds data."))
    init.set_defaults(func=_init)

    notify = subcommands.add_parser("notify", help=_("the e-mail digest"), description=_("E-mail settings: "
                                 "BACKBONE_SMTP_URL, BACKBONE_MAIL_FROM, BACKBONE_MAIL_TO."))
    notify.add_argument("--test", action="store_true", required=True, help=_("send a test message to BACKBONE_MAIL_TO"))
    notify.set_defaults(func=_notify_test)

    runs = subcommands.add_parser("runs", help=_("recent sync runs"), description=_("List recent sync runs with counts and conflicts."))
    runs.add_argument("--limit", type=int, default=10, metavar="N", help=_("how many runs (default 10)"))
    runs.add_argument("--changes", type=int, metavar="N", help=_("which notes and actions run N added, changed or removed, per workshop"))
    runs.set_defaults(func=_runs)

    mural = subcommands.add_parser("mural", help=_("the live MURAL connector"), description=_("Sign in to MURAL and pull boards."))
    mural_commands = mural.add_subparsers(dest="mural_command", metavar=_("ACTION"), required=True)
    login = mural_commands.add_parser("login", help=_("sign in to MURAL in the browser and save the tokens"),
                                      description=_("Sign in to MURAL (OAuth with PKCE); the tokens are saved in "
                                                    "BACKBONE_MURAL_TOKEN_FILE."))
    login.set_defaults(func=lambda app, args: print(app.mural_login()))
    pull = mural_commands.add_parser("pull", help=_("download a board to an export file"),
                                     description=_("Download a board's widgets to a JSON export that `backbone board` reads."))
    pull.add_argument("mural_id", metavar="MURAL_ID", help=_("a mural id (workspace.1234567890) or a MURAL board URL"))
    pull.add_argument("--out", metavar=_("FILE"), help=_("where to save (default: the BACKBONE_BOARDS folder)"))
    pull.set_defaults(func=lambda app, args: print(app.mural_pull(args.mural_id, args.out, progress=_to_stderr)))
    history = mural_commands.add_parser("history", help=_("list the archived snapshots of a board"),
                                        description=_("List the snapshots of a board kept in the state database."))
    history.add_argument("mural_id", metavar="MURAL_ID", help=_("a mural id or a MURAL board URL (a Miro board's id "
                                                                "or address works too)"))
    history.set_defaults(func=_history)

    miro = subcommands.add_parser("miro", help=_("the live Miro connector"),
                                  description=_("Sign in to Miro and pull boards. Miro's REST API has no votes and no "
                                                "comments: Röster and Kommentarer stay empty for Miro boards."))
    miro_commands = miro.add_subparsers(dest="miro_command", metavar=_("ACTION"), required=True)
    miro_login = miro_commands.add_parser("login", help=_("sign in to Miro in the browser and save the tokens"),
                                          description=_("Sign in to Miro (OAuth 2.0 with the app's client id and secret); "
                                                        "the tokens are saved in BACKBONE_MIRO_TOKEN_FILE and renewed by "
                                                        "themselves. Not needed with BACKBONE_MIRO_TOKEN."))
    miro_login.set_defaults(func=lambda app, args: print(app.miro_login()))
    miro_pull = miro_commands.add_parser("pull", help=_("download a Miro board to an export file"),
                                         description=_("Download a Miro board's items, tags and members to a JSON export "
                                                       "that BACKBONE_BOARDS=files:DIR reads."))
    miro_pull.add_argument("board", metavar="BOARD", help=_("a Miro board id (uXjVOD6Xk1E=) or its address"))
    miro_pull.add_argument("--out", metavar=_("FILE"), help=_("where to save (default: the BACKBONE_BOARDS folder)"))
    miro_pull.set_defaults(func=lambda app, args: print(app.miro_pull(args.board, args.out, progress=_to_stderr)))
    miro_history = miro_commands.add_parser("history", help=_("list the archived snapshots of a Miro board"),
                                            description=_("List the snapshots of a Miro board kept in the state "
                                                          "database: each pull and each sync with BACKBONE_BOARDS=miro "
                                                          "archives the board."))
    miro_history.add_argument("board", metavar="BOARD", help=_("a Miro board id (uXjVOD6Xk1E=) or its address"))
    miro_history.set_defaults(func=_miro_history)

    publish = subcommands.add_parser("publish", help=_("write the recap of a workshop as a WordPress draft"),
                                  description=_("Write the recap of a workshop as a draft post on the WordPress site "
                                  "(BACKBONE_WORDPRESS_URL); running it again updates the same draft. It never "
                                  "publishes: a person presses Publish in WordPress."))
    publish.add_argument("workshop", metavar=_("WORKSHOP"), help=_("the workshop's ID in the Workshops tab, e.g. ci2"))
    publish.add_argument("--dry-run", action="store_true", help=_("print what would be sent and send nothing"))
    publish.add_argument("--lang", choices=("sv", "en"), help=_("language of the recap (default: BACKBONE_LANGUAGE)"))
    publish.set_defaults(func=_publish)

    serve = subcommands.add_parser("serve", help=_("run the nightly schedule and the web page"),
                                description=_("Run the sync on BACKBONE_SCHEDULE and serve the web page for on-demand recaps."))
    serve.add_argument("--host", default="127.0.0.1", metavar=_("HOST"), help=_("address to listen on (default 127.0.0.1)"))
    serve.add_argument("--port", type=int, default=8080, metavar=_("PORT"), help=_("port (default 8080)"))
    serve.add_argument("--log-json", action="store_true", help=_("log JSON lines instead of text"))
    serve.set_defaults(func=_serve)

    forget = subcommands.add_parser("forget", help=_("remove a person's name from everything backbone wrote or keeps"),
                                 description=_("Remove a person's name from the sheet's sync-owned cells, the "
                                 "state database and every archived board snapshot, and keep them out of later syncs, recaps, follow-ups "
                                 "and digests. Without --apply it only shows what would change. Cells people own are listed "
                                 "for you to check, never changed."))
    forget.add_argument("name", metavar=_("NAME"), nargs="?", help=_('the name as it is written, e.g. "Amira Hassan"'))
    forget.add_argument("--apply", action="store_true", help=_("make the changes (default: a dry run that changes nothing)"))
    forget.add_argument("--list", action="store_true", dest="listing",
                        help=_("say how many people are on the list of forgotten people (never who)"))
    forget.set_defaults(func=_forget)

    shown = subcommands.add_parser("settings", help=_("show the settings in effect (secrets masked)"),
                                description=_("Show every setting in effect and where files are; secrets are masked."))
    shown.set_defaults(func=_settings, needs_settings=False)
    _settings_after_the_command(subcommands)
    return parser


def _settings_after_the_command(subcommands: argparse._SubParsersAction) -> None:
    """`backbone report ci2 --settings FILE` works as well as `backbone --settings FILE report ci2`,
    and every command's help shows the option. SUPPRESS keeps a value given before the command."""
    for sub in subcommands.choices.values():
        nested = [a for a in sub._actions if isinstance(a, argparse._SubParsersAction)]
        if nested:
            _settings_after_the_command(nested[0])
            continue
        sub.add_argument("--settings", metavar=_("FILE"), default=argparse.SUPPRESS,
                         help=_("settings file (default: ./settings.env when present)"))


def run_command(args: argparse.Namespace) -> int:
    """Load the settings, build the app, and call the command's handler (set by its parser)."""
    from sync.bootstrap import Backbone
    from sync.settings import load_settings, require_settings

    needs = args.needs_settings
    if needs(args) if callable(needs) else needs:
        require_settings(args.settings)
    app = Backbone(load_settings(args.settings))
    with app.speaking():  # the settings' BACKBONE_LANGUAGE, for this command only
        return args.func(app, args) or 0


# --- the commands: each a thin call into the app's use cases, then what it prints; each imports what it
# needs when it runs (command_output.py, and through it the use cases and their libraries), not at start ------

def _board(app: Backbone, args: argparse.Namespace) -> None:
    from sync.entry.cli.command_output import board_command
    print(board_command(app, args.file, args.snapshot, args.json, args.include_hidden))


def _init(app: Backbone, args: argparse.Namespace) -> None:
    from sync.entry.cli.command_output import init_command
    print(init_command(app))


def _notify_test(app: Backbone, args: argparse.Namespace) -> None:
    from sync.entry.cli.command_output import notify_test
    print(notify_test(app))


def _runs(app: Backbone, args: argparse.Namespace) -> None:
    from sync.entry.cli.command_output import run_changes, runs_table
    print(run_changes(app, args.changes) if args.changes is not None else runs_table(app, args.limit))


def _history(app: Backbone, args: argparse.Namespace) -> None:
    from sync.entry.cli.command_output import history_table
    print(history_table(app, args.mural_id))


def _miro_history(app: Backbone, args: argparse.Namespace) -> None:
    from sync.entry.cli.command_output import history_table
    print(history_table(app, args.board, miro=True))


def _forget(app: Backbone, args: argparse.Namespace) -> None:
    from sync.entry.cli.command_output import forget_command
    print(forget_command(app, args.name, args.apply, args.listing))


def _report(app: Backbone, args: argparse.Namespace) -> None:
    from sync.entry.cli import command_output as commands

    if args.followup or args.since:
        files = commands.followup_command(app, args)
    else:
        commands.need_workshop(args.workshop)
        files = app.report(args.workshop, lang=args.lang, template=args.template, out=args.out, pdf=args.pdf,
                           html=args.html)
    for note in files.notes:
        print(_("note: {text}").format(text=note), file=sys.stderr)
    for written in (files.docx, files.pdf, files.html):
        if written:
            print(_("Wrote {path}").format(path=written))


def _publish(app: Backbone, args: argparse.Namespace) -> None:
    done = app.publish(args.workshop, dry_run=args.dry_run, lang=args.lang)
    if done.post is None:
        for line in done.lines:
            print(line)
        return
    for note in done.lines:
        print(_("note: {text}").format(text=note), file=sys.stderr)
    said = (_("Updated draft {id} in WordPress: {link}") if done.updated else _("Wrote draft {id} in WordPress: {link}"))
    print(said.format(id=done.post.id, link=done.post.link or "-"))


def _template_check(app: Backbone, args: argparse.Namespace) -> int:
    if args.followup:
        from sync.entry.cli.command_output import check_followup
        return check_followup(app, args.file, print)
    unknown = app.documents.template_problems(Path(args.file))
    if not unknown:
        print(_("{file}: every placeholder is provided").format(file=args.file))
        return 0
    print(ngettext("{file}: {count} placeholder backbone does not provide (every placeholder: docs/templates.md):",
                   "{file}: {count} placeholders backbone does not provide (every placeholder: docs/templates.md):",
                   len(unknown)).format(file=args.file, count=len(unknown)))
    for problem in unknown:
        print(f"  {problem}")
    return 2


def _to_stderr(line: object) -> None:
    """Progress goes to stderr, so stdout keeps only the result (for scripts)."""
    print(line, file=sys.stderr, flush=True)


def _sync(app: Backbone, args: argparse.Namespace) -> int:
    from sync.entry.cli import command_output as commands

    if args.notify and not args.dry_run:
        return commands.sync_with_notify(app, args, print)

    def progress(line: object) -> None:
        print(line, file=sys.stderr, flush=True)
    result = app.sync(dry_run=args.dry_run, workshop=args.workshop, progress=progress)
    print(commands.sync_summary(result, app.sheet.name, args.dry_run))
    return 1 if result.failures else 0


def _serve(app: Backbone, args: argparse.Namespace) -> int:
    from sync.entry.web.serve import serve  # here, not above: importing sync.entry.web loads Flask and waitress
    return serve(app, host=args.host, port=args.port, log_json=args.log_json)


def _settings(app: Backbone, args: argparse.Namespace) -> None:
    from sync.settings import DEFAULT_SETTINGS_FILE, settings_file_in_use

    used = settings_file_in_use(args.settings)
    print(_("# settings file: {path}").format(path=used.resolve()) if used else
          _("# no settings file ({file} is not in {folder}): defaults and BACKBONE_* variables").format(
              file=DEFAULT_SETTINGS_FILE, folder=Path.cwd()))
    for key, value in app.settings.safe_items().items():
        print(f"{key}={value}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    with speaking(language_before_parsing(argv)):  # help, usage errors and settings errors in the chosen language
        return _main(argv)


def _main(argv: list[str]) -> int:
    with argparse_in_our_words():
        args = build_parser().parse_args(argv)
    before = set(logging.getLogger().handlers)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    for handler in set(logging.getLogger().handlers) - before:  # the terminal handler just made, if any
        handler.setFormatter(PersonFormatter())
        if not args.verbose:
            _tracebacks_only_with_verbose(handler)
    sys.unraisablehook = _unraisable_to_the_log
    try:
        return run_command(args)
    except BackboneError as exc:
        print(_("backbone: error: {message}").format(message=exc), file=sys.stderr)
        return exc.exit_code
    except FileNotFoundError as exc:  # a path in the settings that is not there (e.g. BACKBONE_SHEET=xlsx:…)
        print(_("backbone: error: {path}: no such file; check the paths in the settings (`backbone settings` shows "
                "them)").format(path=exc.filename), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("backbone: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last resort: one line here, the traceback in the log (-v)
        from sync.core import crash
        crash.logged(exc, f"backbone {args.command}")
        subject = getattr(args, "file", None) or f"backbone {args.command}"
        print(_("backbone: error: {message}").format(message=crash.command_line(exc, subject)), file=sys.stderr)
        return 1


def _unraisable_to_the_log(unraisable) -> None:
    """An error while cleaning up (openpyxl's half-written sheet stream after a full disk, say) is for the log,
    not a traceback on the terminal: the error that caused it has been said already."""
    logging.getLogger("sync.core.crash").debug("ignored while cleaning up: %s", unraisable.err_msg or "an error",
                                          exc_info=(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback))


def _tracebacks_only_with_verbose(handler: logging.Handler) -> None:
    """Records carrying a traceback are for the log: without -v they stay off the terminal (what failed is
    said in one line by whoever caught it: the run summary, the progress line, the error line)."""
    handler.addFilter(lambda record: not record.exc_info)


class PersonFormatter(logging.Formatter):
    """The terminal's log lines. A warning is said to the person: "varning: …" in their language, its message
    translated when the catalogs have it (log calls mark theirs with N_). Details (-v: debug, info, and any
    record with a traceback) keep the technical form, level and logger name first."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno < logging.WARNING or record.exc_info:
            return super().format(record)
        text = said(record)
        if record.levelno < logging.ERROR:
            return _("warning: {text}").format(text=text)
        return _("backbone: error: {message}").format(message=text)


def said(record: logging.LogRecord) -> str:
    """A record's message in the person's language (as logged when the catalogs do not have it)."""
    if isinstance(record.msg, str):
        try:
            return _(record.msg) % record.args if record.args else _(record.msg)
        except (TypeError, ValueError, KeyError):  # a translation that does not fit the record's values
            pass
    return record.getMessage()


if __name__ == "__main__":
    sys.exit(main())

"""Fill a Word template with a report context and write the .docx; check templates beforehand.

docxtpl's defaults lose text silently (no escaping, missing names render empty, invalid XML
characters dropped by a recovering parser), so: strings are sanitised and the loss logged,
Jinja escapes and is strict, and placeholders are checked against the context first so a typo
is named with the paragraph it sits in.
"""
from __future__ import annotations

import atexit
import contextlib
import errno
import logging
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from markupsafe import Markup, escape

from reports.docx_fixes import link_urls, restart_numbering
from reports.placeholders import sample_context, unknown_placeholders
from reports.template_errors import DOCS, broken_tag_message, unbalanced_paragraph, unknown_message
from sync.adapters.files import replaced_atomically
from sync.core.errors import BackboneError, InputError, ServiceError
from sync.core.i18n import LANGUAGE_TAGS, LANGUAGES, _, ngettext, words
from sync.core.text import one_line, remove_invalid_xml

log = logging.getLogger(__name__)
# Shipped inside the package (package data), so a plain `pip install .` can write recaps.
TEMPLATES = "templates"  # the top-level package templates/
_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_EXTRACTED = contextlib.ExitStack()
atexit.register(_EXTRACTED.close)


def bundled_template(lang: str, kind: str = "recap") -> Path:
    """The bundled template of a kind (recap, followup) for a language, as a file docxtpl can open."""
    if lang not in LANGUAGES:
        raise InputError(_("unknown report language {lang!r}: use one of {languages}").format(
            lang=lang, languages=", ".join(LANGUAGES)))
    resource = resources.files(TEMPLATES) / f"{kind}.{lang}.docx"
    if isinstance(resource, Path):
        return resource
    # Installed as a zip: docxtpl needs a file, so extract it once for the life of the process.
    return _EXTRACTED.enter_context(resources.as_file(resource))


def sanitise(value, where: str = "context"):
    """A copy with XML-invalid characters removed from every string (each removal logged) and
    line endings made "\n", which docxtpl turns into line breaks."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")  # one line break, not two
        clean = remove_invalid_xml(value)
        if clean != value:
            removed = sorted({f"U+{ord(c):04X}" for c in value if c not in clean})
            excerpt = clean[:24] + ("…" if len(clean) > 24 else "")
            log.warning("removed %d character(s) Word cannot hold (%s) from %s (%r)",
                        len(value) - len(clean), ", ".join(removed), where, excerpt)
        return clean
    if isinstance(value, dict):
        return {key: sanitise(item, f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [sanitise(item, f"{where}[{i}]") for i, item in enumerate(value)]
    return value


# After rendering, docxtpl turns these into "{{", "}}", "{%", "%}" (its escape for tags a template shows as text).
DOCXTPL_ESCAPES = ("{_{", "}_}", "{_%", "%_}")


def shielded(value):
    """The context with every text holding one of docxtpl's escapes made into markup whose braces and percent signs
    are character references: docxtpl's replacement does not see them, Word reads them as written ("{_{" stays)."""
    if isinstance(value, str):
        if any(marker in value for marker in DOCXTPL_ESCAPES):
            return Markup(str(escape(value)).replace("{", "&#123;").replace("}", "&#125;").replace("%", "&#37;"))
        return value
    if isinstance(value, dict):
        return {key: shielded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shielded(item) for item in value]
    return value


def _load(template_path: Path) -> tuple[DocxTemplate, str]:
    """The template and its Jinja source as docxtpl will see it: body, headers, footers, one
    paragraph per line ({%p %} paragraphs, which docxtpl reduces to their tag, on lines of their own)."""
    try:
        template = DocxTemplate(template_path)
        template.init_docx()
        document = template.docx
        parts = [template.get_xml()] + [template.get_part_xml(rel.target_part)
                                       for rel in document.part.rels.values()
                                       if rel.reltype in (template.HEADER_URI, template.FOOTER_URI)]
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise InputError(_("{path}: no such template file").format(path=template_path)) from None
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise InputError(_("{path}: not a readable Word (.docx) template ({reason}); open it in Word and save it as "
                           ".docx").format(path=template_path, reason=reason)) from None
    # Checked before docxtpl's patching, which would join a paragraph with a lone "{{" to the next "}}".
    unbalanced = unbalanced_paragraph("".join(_one_paragraph_per_line(xml) for xml in parts))
    if unbalanced:
        raise InputError(f"{template_path}: {unbalanced}")
    source = "".join(_one_paragraph_per_line(template.patch_xml(xml)) for xml in parts)
    return template, source


def _one_paragraph_per_line(xml: str) -> str:
    return re.sub(r"(</w:p>)(\{%)", r"\1\n\2", re.sub(r"<w:p([ >])", r"\n<w:p\1", xml))


def _unknown_or_raise(template_path: Path, source: str, context: dict) -> list:
    try:
        return unknown_placeholders(source, context)
    except TemplateSyntaxError as exc:
        raise InputError(f"{template_path}: {broken_tag_message(source, exc)}") from None


def check_template(path: Path) -> list[str]:
    """Placeholders the template uses that a report context does not provide ([] when it fits)."""
    _, source = _load(Path(path))
    return [u.name for u in _unknown_or_raise(Path(path), source, sample_context())]


def template_problems(path: Path) -> list[str]:
    """Each unknown placeholder with the paragraph it is in and the nearest one that exists."""
    _, source = _load(Path(path))
    return [unknown_message(u, source) for u in _unknown_or_raise(Path(path), source, sample_context())]


def _set_properties(document, context: dict, *, title: str, author: str, created: datetime) -> None:
    """Every core property set, none left at python-docx's defaults ("python-docx", 2013)."""
    properties = document.core_properties
    lang = context.get("lang", "sv")
    properties.title = title
    properties.subject = context.get("workshop", {}).get("title", title)
    properties.author = author or "backbone"
    properties.last_modified_by = "backbone"
    properties.comments = words(lang).gettext("Summary of workshop {workshop}, made by backbone.").format(
        workshop=context.get("workshop", {}).get("id", ""))
    properties.keywords = "Collective Impact; workshop"
    properties.category = words(lang).gettext("Workshop summary")
    properties.content_status = ""
    properties.identifier = context.get("workshop", {}).get("id", "")
    properties.language = LANGUAGE_TAGS.get(lang, lang)
    # python-docx writes the clock time with a "Z" whatever the zone: hand it UTC.
    utc = created.astimezone(UTC) if created.tzinfo else created
    properties.created = properties.modified = utc
    properties.revision = 1
    properties.version = ""


def _save_atomically(template: DocxTemplate, out_path: Path) -> None:
    try:
        with replaced_atomically(out_path, shared=True) as temporary:  # a recap follows the umask
            _write_docx(template, temporary)
    except OSError as exc:
        raise unwritable(out_path, exc) from None


def _write_docx(template: DocxTemplate, path: Path) -> None:
    """The one place a report's bytes reach the disk (the tests fill the disk here)."""
    template.save(path)


def unwritable(path: Path, exc: OSError) -> BackboneError:
    """A report that could not be written, said as sync says it: a full disk named, nothing half-written left."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ServiceError(_("{path}: the disk is full, so the report could not be written; free some space and run "
                              "it again (nothing was written)").format(path=path))
    if isinstance(exc, PermissionError):
        return InputError(_("{path}: permission denied; check the folder's owner and rights, or choose another with "
                            "--out or BACKBONE_REPORTS_DIR").format(path=path))
    return ServiceError(_("{path}: the report could not be written ({reason}); nothing was written").format(
        path=path, reason=exc.strerror or type(exc).__name__))


def render_report(context: dict, template_path: Path, out_path: Path, *, title: str, author: str, created: datetime,
                  pictures: Callable[[DocxTemplate], dict] | None = None) -> Path:
    """`pictures`: placeholders whose value is a picture (docxtpl InlineImage), made for the loaded template."""
    template_path, out_path = Path(template_path), Path(out_path)
    clean = sanitise(context)
    template, source = _load(template_path)
    unknown = _unknown_or_raise(template_path, source, clean)
    if unknown:
        named = "; ".join(unknown_message(u, source) for u in unknown[:3])
        if len(unknown) > 3:
            raise InputError(ngettext("{path}: unknown placeholders {named}; and {count} more (`backbone template check` "
                                      "lists them; every placeholder: {docs})",
                                      "{path}: unknown placeholders {named}; and {count} more (`backbone template check` "
                                      "lists them; every placeholder: {docs})", len(unknown) - 3).format(
                path=template_path, named=named, count=len(unknown) - 3, docs=DOCS))
        raise InputError(ngettext("{path}: unknown placeholder {named} (every placeholder: {docs})",
                                  "{path}: unknown placeholders {named} (every placeholder: {docs})", len(unknown)).format(
            path=template_path, named=named, docs=DOCS))
    if pictures is not None:
        clean.update(pictures(template))
    try:
        template.render(shielded(clean), jinja_env=Environment(undefined=StrictUndefined, autoescape=True), autoescape=True)
    except UndefinedError as exc:  # what the check could not see, e.g. a name used in a footer's filter
        raise InputError(_("{path}: unknown placeholder: {reason}").format(path=template_path,
                                                                           reason=one_line(exc.message))) from None
    except TemplateError as exc:
        raise InputError(_("{path}: broken template: {reason}").format(path=template_path,
                                                                       reason=one_line(str(exc)))) from None
    except (ValueError, UnicodeEncodeError) as exc:  # sanitising should have prevented these
        raise BackboneError(_("{path}: could not fill the template: {reason}").format(
            path=template_path, reason=one_line(str(exc)))) from None
    restart_numbering(template.docx)
    link_urls(template.docx)
    _set_properties(template.docx, clean, title=remove_invalid_xml(title),
                    author=remove_invalid_xml(author), created=created)
    _save_atomically(template, out_path)
    return out_path


def report_filename(context: dict) -> str:
    """"2021-05-04 CI2 – sammanfattning.docx": safe on Windows, macOS and Linux; å/ä/ö kept."""
    day = context.get("date_iso") or context.get("generated", "")[:10]
    name = re.sub(r"\s*:\s+", " - ", remove_invalid_xml(f"{day} {context.get('title', '')}"))
    name = _UNSAFE_IN_NAMES.sub("-", name)
    name = " ".join(name.split())[:150].rstrip(" .")
    return f"{name}.docx"

"""Board references from the sheet's `Mural` column: an id, or whatever URL a coordinator copied from the browser.

Known URL shapes (seen in public documents):
  https://app.mural.co/t/<workspace>/m/<workspace>/<numeric id>/<hash>?sender=...&wid=...
  https://app.mural.co/t/<workspace>/r/<room>/m/<workspace>/<numeric id>/...   (opened from a room)
  https://app.mural.co/invitation/mural/<workspace>/<numeric id>?sender=...&key=...
  https://app.mural.co/invitation/mural/<workspace>.<numeric id>
The API id is "<workspace>.<numeric id>". Embed links (/embed/<uuid>) and room links carry no board id.
"""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from sync.core.errors import InputError
from sync.core.i18n import N_, _

_WORKSPACE = r"[A-Za-z0-9][A-Za-z0-9_-]*"
_MURAL_ID = re.compile(rf"({_WORKSPACE})\.(\d+)")
_WORKSPACE_ONLY = re.compile(_WORKSPACE)
_NUMBER = re.compile(r"\d+")

EXPECTED = N_("expected a board id like workspace.1234567890 or the address of the open board copied from the browser, "
              "like https://app.mural.co/t/WORKSPACE/m/WORKSPACE/1234567890/...")  # said with _(EXPECTED)


def mural_id_from_ref(text: str) -> str:
    """The API id ("workspace.1234567890") of the board `text` names; InputError when it names none."""
    value = str(text or "").strip().strip("<>\"'")
    if _MURAL_ID.fullmatch(value):
        return value
    if not value:
        raise InputError(_("empty Mural reference: {expected}").format(expected=_(EXPECTED)))
    parts = urlsplit(value if "://" in value else "https://" + value)
    host = (parts.hostname or "").lower()
    if host in ("mural.co", "mural.com") or host.endswith((".mural.co", ".mural.com")):
        found = _id_in_path([unquote(s) for s in parts.path.split("/") if s])
        if found:
            return found
        raise InputError(f"{text!r}: {_why_not(parts.path)}; {_(EXPECTED)}")  # both parts are translated
    raise InputError(_("{reference!r} is not a MURAL board reference: {expected}").format(reference=text,
                                                                                         expected=_(EXPECTED)))


def _id_in_path(segments: list[str]) -> str | None:
    for i, segment in enumerate(segments):
        following = segments[i + 1:i + 3]
        # /m/<workspace>/<number>: the board page, directly or below a room (/r/<room>/m/...)
        if segment == "m" and len(following) == 2 and _WORKSPACE_ONLY.fullmatch(following[0]) and _NUMBER.fullmatch(following[1]):
            return f"{following[0]}.{following[1]}"
        # /invitation/mural/<workspace>/<number> or /invitation/mural/<workspace>.<number>
        if segment == "mural" and i > 0 and segments[i - 1] == "invitation" and following:
            if _MURAL_ID.fullmatch(following[0]):
                return following[0]
            if len(following) == 2 and _WORKSPACE_ONLY.fullmatch(following[0]) and _NUMBER.fullmatch(following[1]):
                return f"{following[0]}.{following[1]}"
    for segment in segments:  # any other page that names the board by its API id
        if _MURAL_ID.fullmatch(segment):
            return segment
    return None


def _why_not(path: str) -> str:
    if "/embed/" in path:
        return _("an embed link does not carry the board's id")
    if "/r/" in path or path.rstrip("/").endswith(("/home", "/rooms")):
        return _("a room or workspace link, not a board")
    return _("no board id in this MURAL address")

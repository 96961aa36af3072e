"""The recap as a draft post on the initiative's website (issue 24): `backbone publish WORKSHOP`.

Never publishes: the post is a draft, a person presses Publish. Run again, it updates the same draft (its id is
kept in the state database), never a second post; a post a person has published since is left alone and said.
When the Bilder cell names a local file, the file goes into the site's media library and the recap links to it.
Nothing is half-created without being said: a media upload whose post failed is named with its id.
"""
from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync.core.errors import BackboneError, InputError
from sync.core.i18n import _
from sync.core.sheet.tabs import WORKSHOPS
from sync.ports import HtmlRenderer, PublishedPost, PublishedPosts, Publisher
from sync.usecases.recap import RecapContext

_ADDRESS = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass(frozen=True)
class Publication:
    post: PublishedPost | None  # None in a dry run
    updated: bool  # an earlier draft was updated (not created)
    lines: tuple[str, ...]  # what a dry run would send, or notes for the person


def post_title(context: dict[str, Any]) -> str:
    """The post's title as the published one reads: "<title> – sammanfattning <theme>" (WordPress takes HTML here)."""
    return html.escape(" ".join(filter(None, (context["title"], context.get("theme", "")))), quote=False)


def slides_file(context: dict[str, Any], base: Path) -> Path | None:
    """The local file the Bilder cell names (relative to `base`, the sheet's folder), None for a web address or
    nothing; InputError when it names a file that is not there."""
    cell = context.get("slides", "").strip()
    if not cell or _ADDRESS.match(cell):
        return None
    path = Path(cell).expanduser()
    path = path if path.is_absolute() else base / path
    if not path.is_file():
        raise InputError(_("workshop {id}: the {column} cell names {file!r}, which is not a file here; give the slides' "
                           "address or a file beside the sheet").format(id=context["workshop"]["id"],
                                                                        column=WORKSHOPS.column("slides").header,
                                                                        file=cell))
    return path


def file_fingerprint(path: Path) -> str:
    """sha256 of the file: the same slides are uploaded once, changed slides again."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _uploaded_before(publisher: Publisher, media: Any, fingerprint: str) -> str | None:
    """The address of these very slides in the media library from an earlier publish, None when they changed since,
    were never uploaded, or a person deleted them in WordPress (then they are uploaded again)."""
    if not isinstance(media, dict) or media.get("sha256") != fingerprint or not isinstance(media.get("id"), int):
        return None
    return publisher.media_url(media["id"])


def publish_recap(made: RecapContext, publisher: Publisher, posts: PublishedPosts, renderer: HtmlRenderer, *,
                  category: str, base: Path, dry_run: bool = False) -> Publication:
    """Write the recap (its context `made`) as a draft: check the site, find the category, upload the slides when
    they are a local file, then create or update the draft and record its id."""
    context = dict(made.context)
    workshop = context["workshop"]["id"]
    slides = slides_file(context, base)
    if dry_run:
        return _dry_run(context, publisher, posts, renderer, category, slides)
    publisher.check()
    categories = [publisher.category_id(category)] if category.strip() else []
    known = posts.published_post(publisher.site, workshop)
    existing = publisher.post(known[0]) if known else None
    notes = list(made.notes)
    if known and existing is None:
        notes.append(_("post {id} is gone from WordPress: a new draft is made").format(id=known[0]))
    if existing is not None and existing.status not in ("draft", "auto-draft"):
        raise InputError(_("post {id} ({link}) is no longer a draft in WordPress (status {status}): backbone only "
                           "writes drafts, so it is left as it is; edit it in WordPress").format(
                               id=existing.id, link=existing.link or "-", status=existing.status))
    details = dict(known[1]) if known else {}
    media = None
    if slides is not None:
        fingerprint = file_fingerprint(slides)
        reused = _uploaded_before(publisher, details.get("media"), fingerprint)
        if reused is not None:
            context["slides"] = reused
        else:
            media = publisher.upload(slides)
            context["slides"] = media.url
            details["media"] = {"id": media.id, "url": media.url, "file": slides.name, "sha256": fingerprint}
    try:
        post = publisher.save_draft(existing.id if existing else None, title=post_title(context),
                                    content=renderer.recap_html(context, document=False, title=False),
                                    categories=categories)
    except BackboneError as exc:
        if media is not None:
            raise type(exc)(_("{problem} (the slides were uploaded already: media {id}, {url})").format(
                problem=exc, id=media.id, url=media.url)) from None
        raise
    posts.record_post(publisher.site, workshop, post.id, details)
    return Publication(post, existing is not None, tuple(notes))


def _dry_run(context: dict[str, Any], publisher: Publisher, posts: PublishedPosts, renderer: HtmlRenderer, category: str,
             slides: Path | None) -> Publication:
    """What would be sent, without contacting the site."""
    try:
        site = publisher.site
    except BackboneError:
        site = "BACKBONE_WORDPRESS_URL"
    known = posts.published_post(site, context["workshop"]["id"])
    lines = []
    media = known[1].get("media") if known else None
    if slides is not None and isinstance(media, dict) and media.get("sha256") == file_fingerprint(slides):
        lines.append(_("slides: media {id} from an earlier publish ({url}); uploaded again only if it is gone").format(
            id=media.get("id"), url=media.get("url")))
    elif slides is not None:
        lines.append(_("POST {site}/wp-json/wp/v2/media: {file}").format(site=site, file=slides))
    target = f"/wp-json/wp/v2/posts/{known[0]}" if known else "/wp-json/wp/v2/posts"
    lines.append(f"POST {site}{target}")
    lines.append("status: draft")
    lines.append(f"title: {post_title(context)}")
    if category.strip():
        lines.append(_("categories: the id of {name!r}").format(name=category))
    lines.append("content:")
    lines.append(renderer.recap_html(context, document=False, title=False).rstrip("\n"))
    return Publication(None, bool(known), tuple(lines))

"""The recap as a WordPress draft, through the REST API with plain requests (no WordPress client is maintained).

What it relies on is in /work/shared/reference/wordpress-api.md (WP-API/docs): `/wp-json/` answers JSON where the
REST API is on; Application Passwords as HTTP Basic over https; `POST /wp/v2/posts` (status draft) and
`POST /wp/v2/posts/<id>` to update; categories found by name with `?search=`; media uploaded as the raw body with
Content-Disposition. Every fault is one line saying what to do: 401 (the password), 404 or an HTML page at
/wp-json/ (no REST API, or a security plugin in the way), 429 and 5xx retried by the one retry policy
(sync/adapters/retry.py) and then said, a category that is not there. The password is never logged or shown.
"""
from __future__ import annotations

import ipaddress
import logging
import mimetypes
from pathlib import Path
from urllib.parse import quote, urlsplit

import requests

from sync.adapters.http_answers import should_retry
from sync.adapters.retry import RETRYABLE_STATUS, RetryPolicy
from sync.core.errors import AccessError, ConfigError, InputError, ServiceError
from sync.core.i18n import _
from sync.core.text import one_line
from sync.ports import PublishedPost, Publisher, UploadedMedia

log = logging.getLogger(__name__)
LOOPBACK_NAMES = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def site_address(url: str) -> str:
    """BACKBONE_WORDPRESS_URL checked and without a trailing slash (or /wp-json): https, or http to this machine only."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(_("BACKBONE_WORDPRESS_URL={value!r}: give the site's address, e.g. https://example.org").format(
            value=url))
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError(_("BACKBONE_WORDPRESS_URL={value!r}: use https (the Application Password would cross the "
                            "network readable over http)").format(value=url))
    path = parts.path.rstrip("/").removesuffix("/wp-json").rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}"


class WordPressClient(Publisher):
    def __init__(self, url: str, user: str, app_password: str, *, timeout: float = 30.0, retry: RetryPolicy | None = None,
                 session: requests.Session | None = None):
        self._url, self._user, self._password = url, user, app_password
        self.timeout, self.retry = timeout, retry or RetryPolicy()
        self._session = session or requests.Session()

    def __repr__(self) -> str:  # never the password, in a traceback's locals or a debug line
        return f"WordPressClient({self._url!r}, user={self._user!r})"

    @property
    def site(self) -> str:
        return site_address(self._url)

    # --- the checks -------------------------------------------------------------------------------------
    def check(self) -> None:
        missing = [name for name, value in (("BACKBONE_WORDPRESS_URL", self._url), ("BACKBONE_WORDPRESS_USER", self._user),
                                            ("BACKBONE_WORDPRESS_APP_PASSWORD", self._password)) if not value.strip()]
        if missing:
            raise ConfigError(_("set {names} to publish to WordPress (see settings.example.env)").format(
                names=", ".join(missing)))
        answer = self._send("GET", "/wp-json/")
        if answer.status_code == 404:
            raise ConfigError(_("{site} has no WordPress REST API (404 on /wp-json/): check BACKBONE_WORDPRESS_URL, the "
                                "site's address, or ask its administrator to turn the REST API on").format(site=self.site))
        self._json(answer, "/wp-json/")

    def _json(self, answer: requests.Response, path: str):
        """The answer's JSON, or the one line that says why there is none."""
        if answer.status_code == 401:
            raise AccessError(_("WordPress at {site} refused user {user!r} (401): check BACKBONE_WORDPRESS_USER and "
                                "BACKBONE_WORDPRESS_APP_PASSWORD (an Application Password from Users → Profile, not the "
                                "login password)").format(site=self.site, user=self._user))
        if answer.status_code == 403:
            raise AccessError(_("WordPress at {site} does not let user {user!r} do this (403 on {path}): the user must be "
                                "allowed to write posts (Author or Editor)").format(site=self.site, user=self._user,
                                                                                      path=path))
        if answer.status_code in RETRYABLE_STATUS:
            raise ServiceError(_("WordPress at {site} is busy or failing (HTTP {status} on {path}) after {tries} tries; "
                                 "try again later").format(site=self.site, status=answer.status_code, path=path,
                                                          tries=self.retry.tries))
        kind = answer.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            body = answer.json() if kind != "text/html" else None
        except ValueError:
            body = None
        if body is None:
            raise ConfigError(_("{site} answered {path} with a web page instead of the REST API's JSON (HTTP {status}): "
                                "a security plugin may be blocking /wp-json/; allow the REST API for Application "
                                "Passwords there").format(site=self.site, path=path, status=answer.status_code))
        if answer.status_code >= 400:
            message = one_line(str(body.get("message", "")) if isinstance(body, dict) else "", 160)
            raise ServiceError(_("WordPress at {site} refused {path} (HTTP {status}): {message}").format(
                site=self.site, path=path, status=answer.status_code, message=message or "-"))
        return body

    # --- the requests -----------------------------------------------------------------------------------
    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        """One request, retried on 429/5xx and dropped connections by the retry policy; the last answer returned."""
        url = self.site + path

        def attempt() -> requests.Response:
            return self._session.request(method, url, auth=(self._user, self._password), timeout=self.timeout, **kwargs)

        try:
            return self.retry.run(attempt, should_retry)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise ServiceError(_("WordPress at {site} cannot be reached ({reason}); check BACKBONE_WORDPRESS_URL and the "
                                 "network, then try again").format(site=self.site, reason=type(exc).__name__)) from None

    def _api(self, method: str, path: str, **kwargs):
        return self._json(self._send(method, "/wp-json/wp/v2" + path, **kwargs), "/wp-json/wp/v2" + path)

    def category_id(self, name: str) -> int:
        found = self._api("GET", "/categories", params={"search": name, "per_page": 100})
        wanted = " ".join(name.split()).casefold()
        for category in found if isinstance(found, list) else []:
            shown = str(category.get("name", "")).replace("&amp;", "&")  # WordPress escapes & in names
            if " ".join(shown.split()).casefold() == wanted:
                return int(category["id"])
        raise InputError(_("WordPress at {site} has no category {name!r}: create it there (Posts → Categories) or "
                           "correct BACKBONE_WORDPRESS_CATEGORY").format(site=self.site, name=name))

    def post(self, post_id: int) -> PublishedPost | None:
        answer = self._send("GET", f"/wp-json/wp/v2/posts/{post_id}", params={"context": "edit"})
        if answer.status_code in (404, 410):
            return None
        body = self._json(answer, f"/wp-json/wp/v2/posts/{post_id}")
        return PublishedPost(int(body["id"]), str(body.get("link", "")), str(body.get("status", "")))

    def upload(self, file: Path) -> UploadedMedia:
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        plain = file.name.encode("ascii", "ignore").decode().replace('"', "") or "slides"
        headers = {"Content-Type": kind,  # filename= as the reference shows it; filename*= keeps å, ä, ö
                   "Content-Disposition": f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(file.name, safe='')}"}
        body = self._api("POST", "/media", data=file.read_bytes(), headers=headers)
        return UploadedMedia(int(body["id"]), str(body.get("source_url", "")))

    def media_url(self, media_id: int) -> str | None:
        answer = self._send("GET", f"/wp-json/wp/v2/media/{media_id}", params={"context": "edit"})
        if answer.status_code in (404, 410):
            return None
        return str(self._json(answer, f"/wp-json/wp/v2/media/{media_id}").get("source_url", "")) or None

    def save_draft(self, post_id: int | None, *, title: str, content: str, categories: list[int]) -> PublishedPost:
        fields: dict = {"title": title, "content": content, "status": "draft"}
        if categories:
            fields["categories"] = categories
        body = self._api("POST", "/posts" if post_id is None else f"/posts/{post_id}", json=fields)
        return PublishedPost(int(body["id"]), str(body.get("link", "")), str(body.get("status", "")))

"""The person at the browser during `backbone mural login` or `backbone miro login`: opens the vendor's sign-in page
(a loopback fake), which answers with a redirect back to backbone's callback, and follows it, or tampers with it."""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import requests


class Browser:
    def __init__(self, tamper_state: bool = False, refuse: bool = False):
        self.tamper_state = tamper_state  # a forged or stale redirect: the state differs
        self.refuse = refuse  # the person clicks Deny: the vendor sends error=access_denied back
        self.opened: list[str] = []
        self.pages: list[requests.Response] = []  # what backbone's callback showed the person

    def __call__(self, url: str) -> None:
        self.opened.append(url)
        consent = requests.get(url, allow_redirects=False, timeout=5)
        assert consent.status_code == 302, consent.text
        parts = urlsplit(consent.headers["Location"])
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if self.tamper_state:
            query["state"] = "forged"
        if self.refuse:
            query = {"error": "access_denied", "error_description": "The user denied access", "state": query["state"]}
        self.pages.append(requests.get(urlunsplit(parts._replace(query=urlencode(query))), timeout=5))

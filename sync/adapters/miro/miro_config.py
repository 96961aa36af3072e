"""What the Miro adapter needs, as plain values; sync/bootstrap.py builds it from the settings."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sync.adapters.retry import RetryPolicy
from sync.adapters.signin.tokens import Vendor

MIRO = Vendor("Miro", "miro")


@dataclass(frozen=True)
class MiroConfig:
    api_url: str = "https://api.miro.com"
    authorize_url: str = "https://miro.com/oauth/authorize"  # the sign-in page is on miro.com, the API elsewhere
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    token: str = field(default="", repr=False)  # a non-expiring access token; when set, no sign-in file is used
    token_file: Path = Path("var/miro-token.json")
    callback_port: int = 8766  # beside MURAL's 8765, so both apps can be registered on one computer
    timeout: float = 30.0  # seconds per HTTP request
    retry: RetryPolicy = field(default_factory=RetryPolicy)

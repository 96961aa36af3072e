"""A Google service account's JSON key file, as the Cloud console downloads it, pointing at a fake's token URL.
The RSA key is the session's (tests/conftest.py `private_key`): making one takes a moment."""
from __future__ import annotations

import json
from pathlib import Path

ACCOUNT = "sync@ci.iam.gserviceaccount.com"


def service_account_file(path: Path, private_key: str, token_uri: str, email: str = ACCOUNT) -> Path:
    path.write_text(json.dumps({"type": "service_account", "client_email": email, "private_key": private_key,
                                "private_key_id": "k1", "token_uri": token_uri}), "utf-8")
    return path

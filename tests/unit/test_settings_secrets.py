"""Secrets in the settings never show: not in repr or str, not in an error about the settings file."""
from __future__ import annotations

import pytest

from sync.core.errors import ConfigError
from sync.settings import load_settings

SECRET, PASSWORD = "mural-client-secret-4711", "ett långt lösenord åäö"


def test_repr_and_str_mask_the_secrets_but_show_the_rest(tmp_path):
    settings = load_settings(environ={"BACKBONE_MURAL_CLIENT_SECRET": SECRET, "BACKBONE_WEB_PASSWORD": PASSWORD,
                                      "BACKBONE_MURAL_CLIENT_ID": "client-id-1"}, cwd=tmp_path)
    for shown in (repr(settings), str(settings), f"{settings}", repr([settings])):
        assert SECRET not in shown and PASSWORD not in shown
        assert "mural_client_secret='********'" in shown and "web_password='********'" in shown
        assert "mural_client_id='client-id-1'" in shown
    assert "web_password=''" in repr(load_settings(environ={}, cwd=tmp_path))  # unset is shown as unset


@pytest.mark.parametrize("line", [f"BACKBONE_WEB_PASSWORD {PASSWORD}", f"WEB_PASSWORD={PASSWORD}",
                                  f"BACKBONE_WEB_PASSWORD: {PASSWORD}", PASSWORD])
def test_a_malformed_line_is_named_without_its_value(tmp_path, line):
    path = tmp_path / "settings.env"
    path.write_text(f"BACKBONE_LANGUAGE=sv\n{line}\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ={}, cwd=tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{path}, rad 2: väntade BACKBONE_NAMN=värde")
    assert PASSWORD not in message and "lösenord" not in message


def test_an_unknown_name_is_quoted_without_its_value(tmp_path):
    path = tmp_path / "settings.env"
    path.write_text(f"BACKBONE_WEB_PASWORD={PASSWORD}\n", "utf-8")
    with pytest.raises(ConfigError, match="okänd inställning BACKBONE_WEB_PASWORD i inställningsfilen") as caught:
        load_settings(path, environ={}, cwd=tmp_path)
    assert PASSWORD not in str(caught.value)


def test_web_hosts_are_read_as_a_list(tmp_path):
    settings = load_settings(environ={"BACKBONE_WEB_HOSTS": "Backbone.Example.org, intra.local:8443  10.0.0.5"},
                             cwd=tmp_path)
    assert settings.allowed_web_hosts() == ("backbone.example.org", "intra.local:8443", "10.0.0.5")
    assert load_settings(environ={}, cwd=tmp_path).allowed_web_hosts() == ()

"""TLS deployment settings come from the environment (all on together behind a TLS proxy), and
`check --deploy` with the README's production settings reports nothing; every page and API answer
carries a Content-Security-Policy."""

import pytest

from tests.vexora.support import REAL_KEY, manage, shell

PRODUCTION = {"SECRET_KEY": REAL_KEY, "DEBUG": "false", "BEHIND_TLS_PROXY": "true",
              "ALLOWED_HOSTS": "vexora.example.com", "CSRF_TRUSTED_ORIGINS": "https://vexora.example.com",
              "DATABASE_URL": None}


def test_check_deploy_with_the_production_settings_reports_nothing():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_behind_a_tls_proxy_every_switch_is_on():
    code = ("from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.SECURE_PROXY_SSL_HEADER is not None)")
    on = shell(code, env=PRODUCTION)
    off = shell(code, env={**PRODUCTION, "BEHIND_TLS_PROXY": "false"})

    assert on.stdout.split()[-5:] == ["True"] * 5, on.stderr
    assert off.stdout.split()[-5:] == ["False"] * 5, off.stderr


def test_without_tls_settings_check_deploy_warns():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "BEHIND_TLS_PROXY": "false"})

    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout  # SECURE_SSL_REDIRECT


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/login/", "/api/v1/docs/", "/api/v1/user"])
def test_every_answer_carries_a_content_security_policy(client, path):
    policy = client.get(path)["Content-Security-Policy"]

    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy

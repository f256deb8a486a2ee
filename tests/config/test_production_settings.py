"""Production settings: secrets are required, and Django's deployment checklist finds nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 10 + "Q7vX2pLr9sT4wY6zB1nM3cF5hJ8dG0aE-_qRtUiOpAsDfGhJkLzXcVbNm"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean_env.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(  # noqa: S603  (fixed arguments, our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="toolkit.example.org",
        DATABASE_URL="postgres://toolkit@127.0.0.1:5432/toolkit",
        SITE_URL="https://toolkit.example.org",
        TOOLKIT_FIELD_KEYS="prod1:" + "A" * 43,
        TOOLKIT_BLIND_INDEX_KEY="B" * 43,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL"])
def test_production_refuses_to_start_without_each_secret(missing):
    env = {
        "DJANGO_SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "toolkit.example.org",
        "DATABASE_URL": "postgres://toolkit@127.0.0.1:5432/toolkit",
        "SITE_URL": "https://toolkit.example.org",
    }
    env[missing] = ""
    result = _manage("check", **env)
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set" in result.stderr
    # The message is the whole story: no secret value is echoed.
    assert STRONG_KEY not in result.stderr

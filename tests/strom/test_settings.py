"""Production settings: `check --deploy` is clean, and unsafe configurations refuse to start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a" * 20 + "b9$Kq!z0Lr@x7Wm#p2Vn&s8Tc^d4Ye*f6" + "Zg" * 5,
    "DJANGO_ALLOWED_HOSTS": "strom.example.lv",
    "STROM_FIELD_ENCRYPTION_KEYS": "2E8Xy0X7bM1mO2sWZbF0cN3p7YV5qW9mQm0P1v2nZk8=",
    "DATABASE_URL": "sqlite:////tmp/strom-deploy-check.sqlite3",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def manage(*args, **env):
    ours = ("DJANGO_", "STROM_", "DATABASE_", "CACHE_", "CELERY_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_cache_the_workers_do_not_share():
    # Rate limits count in the cache: a per-process cache would let each worker count alone.
    env = {k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"}
    result = manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "django_ratelimit.E003" in result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set"),
        ("STROM_FIELD_ENCRYPTION_KEYS", "STROM_FIELD_ENCRYPTION_KEYS must be set"),
    ],
)
def test_production_refuses_to_start_without_secrets(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_the_development_encryption_key():
    from django.conf import settings

    env = {**PRODUCTION, "STROM_FIELD_ENCRYPTION_KEYS": settings.DEVELOPMENT_FIELD_ENCRYPTION_KEY}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "strom.E002" in result.stderr


def test_invalid_encryption_key_is_reported():
    result = manage("check", **{**PRODUCTION, "STROM_FIELD_ENCRYPTION_KEYS": "not-a-key"})
    assert "strom.E001" in result.stderr

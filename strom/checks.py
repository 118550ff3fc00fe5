"""System checks for STROM's own settings."""

import binascii

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, register


@register("strom")
def field_encryption_keys_are_valid(app_configs, **kwargs):
    errors = []
    for index, key in enumerate(settings.FIELD_ENCRYPTION_KEYS):
        try:
            Fernet(key)
        except (ValueError, binascii.Error):
            errors.append(
                Error(
                    f"STROM_FIELD_ENCRYPTION_KEYS entry {index + 1} is not a valid Fernet key.",
                    hint="Generate one with `python manage.py generate_encryption_key`.",
                    id="strom.E001",
                )
            )
    if not settings.DEBUG and (
        settings.DEVELOPMENT_FIELD_ENCRYPTION_KEY in settings.FIELD_ENCRYPTION_KEYS
    ):
        errors.append(
            Error(
                "The development field-encryption key is in use with DJANGO_DEBUG off.",
                id="strom.E002",
            )
        )
    return errors

"""Encryption at rest of identifying data, with keys kept apart from SECRET_KEY.

`EncryptedTextField` stores a Fernet token (AES-128-CBC with HMAC-SHA256) of the value.
`settings.FIELD_ENCRYPTION_KEYS` lists the keys newest first: the first encrypts,
all of them decrypt. To rotate, put a new key first, restart, run
`manage.py reencrypt_fields`, then remove the old key (docs/operations.md).

Encrypted columns cannot be searched or sorted in the database; keep what lists need
(reference codes, statistical fields) in plain columns.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernet(keys):
    if not keys:
        raise ImproperlyConfigured("STROM_FIELD_ENCRYPTION_KEYS is empty.")
    return MultiFernet([Fernet(key) for key in keys])


def fernet():
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text):
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(stored):
    if not stored.startswith(PREFIX):
        raise ValueError("An encrypted column holds a value that is not a STROM token.")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "An encrypted value cannot be decrypted with STROM_FIELD_ENCRYPTION_KEYS: "
            "a key is missing (see docs/operations.md, key rotation)."
        ) from error


def rotate(stored):
    """The same value, encrypted under the newest key."""
    token = fernet().rotate(stored[len(PREFIX) :].encode())
    return PREFIX + token.decode()


def readable_with_newest_key_only(stored):
    try:
        Fernet(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(stored[len(PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


class EncryptedTextField(models.TextField):
    """Text stored encrypted. Empty stays empty (nothing to hide, and forms need it)."""

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name):
        # Comparing ciphertexts means nothing (each token is salted); refuse rather than
        # silently match nothing.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)


def encrypted_fields():
    """(model, [field names]) for every model with encrypted columns."""
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            yield model, names

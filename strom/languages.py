"""Spoken languages (ISO 639-1), with names in the interface language.

Django knows only the ~100 languages it is translated into; victims speak others
(Tagalog, Tigrinya, Somali...). pycountry carries the ISO 639 list and its translations.
"""

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language


@lru_cache(maxsize=1)
def codes():
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


@lru_cache(maxsize=16)
def _translator(language):
    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def name(code, language=None):
    lang = pycountry.languages.get(alpha_2=code)
    if lang is None:
        return code
    translated = _translator((language or get_language() or "en").split("-")[0]).gettext(lang.name)
    return translated[:1].upper() + translated[1:]


@lru_cache(maxsize=16)
def _choices(language):
    return sorted(((code, name(code, language)) for code in codes()), key=lambda c: c[1])


def choices():
    """(code, name) pairs sorted by name, in the active language."""
    return _choices((get_language() or "en").split("-")[0])

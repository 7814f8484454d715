"""Offline language detection (lingua ships its models in the wheel); answers follow the question's language."""

from __future__ import annotations

from functools import lru_cache

NAMES = {
    "de": "German",
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "ru": "Russian",
    "tr": "Turkish",
}


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in NAMES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect(text: str, default: str = "de") -> str:
    """ISO 639-1 code of the text's language, or default when the text gives no clue."""
    language = _detector().detect_language_of(text)
    return language.iso_code_639_1.name.lower() if language else default

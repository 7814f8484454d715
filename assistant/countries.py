"""The countries a sentence names, in any of the corpus languages: by name, by the adjective of its people
("ukrainisch", "pro-Ukrainian", "proucraniano") or by its capital as its government ("Moskau", "Kyiv"). A
translation that names another country than its source has changed whose side a statement is on."""

from __future__ import annotations

import re
from functools import lru_cache

from .text import unaccented

# Word beginnings, on text without accents in lower case, in German, English, French and Spanish; a capital
# stands for its country as in news usage ("Moskau wirft Kiew vor ...").
_COUNTRIES = {
    "russia": r"russ(?:land|isch|ian|ia|ie|e\b|es\b|en\b)|rus(?:ia|[oa]s?\b)|r?ruso|moskau|moscow|moscou|moscu|kreml",
    "ukraine": r"ukrain|ucran|kiew|kyiv|kiev|kiiv",
    "united states": (
        r"amerikan|american|americain|estadounidense|vereinigten staaten|united states|etats-unis|estados unidos|"
        r"washington"
    ),
    "germany": r"deutsch|german|allemand|allemagne|aleman|berlin",
    "france": r"frankreich|franzos|france\b|french|francais|francia|frances|paris\b",
    "united kingdom": r"brit|grossbritannien|royaume-uni|reino unido|london|londres",
    "armenia": r"armeni|eriwan|yerevan|erevan",
    "azerbaijan": r"aserbaidsch|azerbaijan|azerbaidjan|azerbaiyan|aser(?:i|baid)|azeri|baku|bakou",
    "turkey": r"turk|turqu|turc|ankara",
    "syria": r"syri|siri[ao]|damaskus|damascus|damas\b",
    "sweden": r"schwed|swed|suede|suedois|suec|stockholm|estocolmo",
    "denmark": r"danemark|danisch|danish|danes?\b|denmark|danois|dinamarc|kopenhagen|copenhag",
    "norway": r"norweg|norway|norvege|norvegien|norueg|oslo",
    "poland": r"polen\b|polnisch|poland|polish|pologne|polonais|poloni|polac|warschau|warsaw|varsovi",
    "israel": r"israel",
    "iran": r"iran|teheran|tehran",
    "china": r"china|chines|chinois|chine\b|chino|peking|beijing|pekin",
}
# Abbreviations, read with their capitals: "US" is not "us", the Spanish "usa" ("uses") not the USA.
_ABBREVIATIONS = {
    "united states": re.compile(r"(?<![\w.])(?:US|USA|U\.S\.(?:A\.)?|EE\.? ?UU\.?)(?!\w)"),
    "united kingdom": re.compile(r"(?<![\w.])(?:UK|U\.K\.)(?!\w)"),
}
_PATTERNS = {country: re.compile(rf"(?<![a-z])(?:pro-?)?(?:{stems})", re.I) for country, stems in _COUNTRIES.items()}


@lru_cache(maxsize=4096)
def countries_named(text: str) -> frozenset[str]:
    plain = unaccented(text).replace("ß", "ss")
    named = {country for country, pattern in _PATTERNS.items() if pattern.search(plain)}
    return frozenset(named | {country for country, pattern in _ABBREVIATIONS.items() if pattern.search(text)})

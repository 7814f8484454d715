"""What a briefing says in its own voice, per language: section titles, table heads, the sentences the application
writes about disputed figures, and the words for what a figure counts."""

from __future__ import annotations

import re
from typing import Any

from .figures import Row

LANGUAGES = ("de", "en")

WORDING: dict[str, dict[str, Any]] = {
    "de": {
        "what": "Was geschah",
        "positions": "Positionen der Beteiligten",
        "figures": "Umstrittene Zahlen",
        "open": "Offene Fragen / nicht bekannt",
        "chronology": "Chronologie",
        "months": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
        "day": "{day}. {month} {year}",
        "sources": "Quellen",
        "title": "Briefing",
        "basis": "Grundlage: {articles} Artikel aus {stories} voneinander unabhängigen Berichten.",
        "copies": (
            "{files}: dieselbe Meldung{agencies}, {n} Abdrucke ({share} % gemeinsamer Text), als eine Quelle gezählt."
        ),
        "table": ("Was gezählt wird", "Angabe", "Wer sie macht", "Stand", "Quelle vom", "Belege"),
        "evidence": "Belege",
        "chars": "Zeichen",
        "none": "Die Quellen enthalten dazu nichts.",
        "dispute": "Die Angaben zur {thing}{period} gehen auseinander – {parts}.",
        "unknown": (
            "Wie viele Menschen tatsächlich {verb}, geht aus den Quellen nicht hervor; die Angaben von {n} Seiten "
            "weichen voneinander ab."
        ),
        "counts": ["", "einer", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "mehreren"],
        "no_figure": "Keine Angabe zur Zahl der {counted}: {label}.",
        "own": "eigene Angabe ({files})",
        "no_value": "keine Angabe",
        "translated": "Übersetzungen stammen vom lokalen Modell; der Originalwortlaut steht jeweils dabei.",
        "original": "Original",
        "untranslated": "nicht übersetzt",
        "untranslated_note": "Wo eine Übersetzung die Prüfung nicht bestand, steht der Satz in seiner Sprache.",
        "dropped": "Nicht gedruckt (Debug)",
        "unsupported": "nicht belegt",
        "rejected": "Modelltext verworfen",
        "things": {
            "killed": "Zahl der Todesopfer",
            "wounded": "Zahl der Verletzten",
            "displaced": "Zahl der Vertriebenen",
            "missing": "Zahl der Vermissten",
            "rescued": "Zahl der Geretteten",
        },
        "verbs": {
            "killed": "getötet wurden",
            "wounded": "verletzt wurden",
            "displaced": "vertrieben wurden",
            "missing": "vermisst wurden",
            "rescued": "gerettet wurden",
        },
        # What a figure counts: the noun for everyone, the participle before a group ("getötete Soldaten").
        "measures": {
            "killed": ("Tote", "getötete"),
            "wounded": ("Verletzte", "verletzte"),
            "displaced": ("Vertriebene", "vertriebene"),
            "missing": ("Vermisste", "vermisste"),
            "rescued": ("Gerettete", "gerettete"),
        },
        "groups": {"soldiers": "Soldaten", "civilians": "Zivilisten"},
        "group_first": False,
        "scopes": {"total": " insgesamt", "per_side": " je Seite", "": ""},
        "qualifiers": {
            "nearly": "knapp",
            "more_than": "mehr als",
            "about": "etwa",
            "at_least": "mindestens",
            "up_to": "bis zu",
            "fewer_than": "weniger als",
            "": "",
        },
        "quotes": ("„", "“"),
    },
    "en": {
        "what": "What happened",
        "positions": "Positions of the parties",
        "figures": "Disputed figures",
        "open": "Open questions / not known",
        "chronology": "Chronology",
        "months": "January February March April May June July August September October November December".split(),
        "day": "{day} {month} {year}",
        "sources": "Sources",
        "title": "Briefing",
        "basis": "Based on {articles} articles from {stories} independent reports.",
        "copies": "{files}: the same report{agencies}, {n} copies ({share} % shared text), counted as one source.",
        "table": ("What is counted", "Figure", "Who gives it", "As of", "Source date", "Evidence"),
        "evidence": "Evidence",
        "chars": "characters",
        "none": "The sources say nothing on this.",
        "dispute": "Figures for the {thing}{period} differ – {parts}.",
        "unknown": (
            "How many people were actually {verb} is not established by the sources; the figures of {n} parties differ."
        ),
        "counts": ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several"],
        "no_figure": "No figure for {counted}: {label}.",
        "own": "own reporting ({files})",
        "no_value": "no figure",
        "translated": "Translations are by the small local model; each shows the original wording.",
        "original": "original",
        "untranslated": "not translated",
        "untranslated_note": "Where a translation failed its checks, the sentence stands in its own language.",
        "dropped": "Not printed (debug)",
        "unsupported": "unsupported",
        "rejected": "model text rejected",
        "things": {
            "killed": "death toll",
            "wounded": "number of wounded",
            "displaced": "number of displaced people",
            "missing": "number of missing people",
            "rescued": "number of people rescued",
        },
        "verbs": {
            "killed": "killed",
            "wounded": "wounded",
            "displaced": "displaced",
            "missing": "missing",
            "rescued": "rescued",
        },
        "measures": {
            "killed": ("dead", "killed"),
            "wounded": ("wounded", "wounded"),
            "displaced": ("displaced", "displaced"),
            "missing": ("missing", "missing"),
            "rescued": ("rescued", "rescued"),
        },
        "groups": {"soldiers": "soldiers", "civilians": "civilians"},
        "group_first": True,
        "scopes": {"total": " in total", "per_side": " per side", "": ""},
        "qualifiers": {
            "nearly": "nearly",
            "more_than": "more than",
            "about": "about",
            "at_least": "at least",
            "up_to": "up to",
            "fewer_than": "fewer than",
            "": "",
        },
        "quotes": ("“", "”"),
    },
}


def counted(w: dict, measure: str, group: str) -> str:
    """What a figure counts, in words: "Tote", "getötete Soldaten", "soldiers killed"."""
    noun, participle = w["measures"][measure]
    if group == "all":
        return noun
    return f"{w['groups'][group]} {participle}" if w["group_first"] else f"{participle} {w['groups'][group]}"


def when(w: dict, iso: str) -> str:
    """An event's date as the briefing writes it: "6. Februar 2023", "February 2023", "2016"."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return w["day"].format(day=parts[2], month=w["months"][parts[1] - 1], year=parts[0])
    if len(parts) == 2:
        return f"{w['months'][parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def figure_value(row: Row, w: dict) -> str:
    if row.value is None:
        return w["no_value"]
    raw = row.raw
    if w is WORDING["en"] and re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        raw = raw.replace(".", ",")
    elif w is WORDING["de"] and re.fullmatch(r"\d{1,3}(,\d{3})+", raw):
        raw = raw.replace(",", ".")
    return f"{w['qualifiers'][row.qualifier]} {raw}".strip()


def counted_row(row: Row, w: dict) -> str:
    return counted(w, row.measure, row.group) + w["scopes"][row.scope]


def figure_phrase(row: Row, w: dict) -> str:
    """A figure with what it counts: "knapp 2000 Tote je Seite"."""
    return f"{figure_value(row, w)} {counted_row(row, w)}"


def dispute_sentence(w: dict, measure: str, period: str, parts: dict[str, list[str]]) -> str:
    """The summary of one dispute: "Figures for the death toll differ – X: 874 soldiers killed; Y: …"."""
    return w["dispute"].format(
        thing=w["things"][measure],
        period=f" ({period})" if period else "",
        parts="; ".join(f"{who}: {', '.join(said)}" for who, said in parts.items()),
    )

"""`assistant brief` end to end with the real shipped models (Qwen2.5 1.5B GGUF, EmbeddingGemma), a real Chroma
store and the sample corpus: one German briefing of everything, one English briefing on a topic."""

import re

import pytest

from assistant.text import numbers

from conftest import real_assistant

pytestmark = pytest.mark.e2e

WIRE = {"003_93abe25851774db3.txt", "004_dc163207c980f9d6.txt"}


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    assistant, _ = real_assistant(tmp_path_factory.mktemp("brief-e2e"))
    return assistant


@pytest.fixture(scope="module")
def german(real):
    return real.brief()


def _sentences(briefing):
    return [s for section in briefing.sections for s in section.sentences]


def _quotes(real, briefing):
    by_number: dict[int, list[str]] = {}
    for citation in briefing.citations:
        text = (real.settings.corpus_dir / citation.source).read_text(encoding="utf-8")
        assert text[citation.start : citation.end] == citation.quote
        by_number.setdefault(citation.n, []).append(citation.quote)
    return by_number


def test_all_sections_and_every_sentence_cited_with_its_numbers(real, german):
    markdown = german.to_markdown()
    for heading in (
        "Was geschah",
        "Positionen der Beteiligten",
        "Umstrittene Zahlen",
        "Offene Fragen / nicht bekannt",
        "Quellen",
    ):
        assert f"\n## {heading}\n" in markdown
    assert all(german.section(key).sentences for key in ("what", "positions", "figures", "open"))
    quotes = _quotes(real, german)
    for sentence in _sentences(german):
        assert sentence.citations, sentence.text
        assert any(numbers(sentence.text) <= numbers(q) for n in sentence.citations for q in quotes[n]) or (
            numbers(sentence.text) <= set().union(*(numbers(q) for n in sentence.citations for q in quotes[n]))
            and sentence.origin == "summary"
        ), sentence.text


def test_disputed_figures_with_who_gives_them(german):
    rows = [(f.number, f.claimant) for f in german.figures]
    assert any(number == "874" and "Behörden" in who and "karabach" in who.lower() for number, who in rows), rows
    assert any(number == "5000" and "Putin" in who for number, who in rows), rows
    assert any(number == "63" and "aserbaidschanisch" in who.lower() for number, who in rows), rows
    table = german.to_markdown().split("| Was gezählt wird")[1].split("\n## ")[0]
    assert "874" in table and ("5000" in table or "5.000" in table)


def test_wire_copies_are_one_story(german):
    data = german.to_json()
    assert [set(s["files"]) for s in data["sources"]["stories"] if s["wire_copy"]] == [WIRE]
    assert data["sources"]["independent"] == 2 and data["sources"]["articles"] == 3
    assert "2 voneinander unabhängigen Berichten" in german.to_markdown()


def test_no_boilerplate_and_loaded_terms_only_in_attributed_quotes(german):
    markdown = german.to_markdown()
    for phrase in ("Merkliste", "SPIEGEL-Konto", "SPIEGEL+", "Jetzt registrieren"):
        assert phrase not in markdown
    for sentence in _sentences(german):
        for match in re.finditer(r"Okkupation|besetzte\w* Gebiet", sentence.text):
            before = sentence.text[: match.start()]
            assert sentence.speaker, sentence.text
            assert before.count("„") > before.count("“"), sentence.text  # inside an open quotation


def test_english_briefing_on_a_topic(real):
    briefing = real.brief(topic="Internationale Vermittlung im Konflikt um Berg-Karabach", language="en")
    markdown = briefing.to_markdown()
    for heading in (
        "What happened",
        "Positions of the parties",
        "Disputed figures",
        "Open questions / not known",
        "Sources",
    ):
        assert f"\n## {heading}\n" in markdown
    quotes = _quotes(real, briefing)
    for sentence in _sentences(briefing):
        assert sentence.citations and numbers(sentence.text) <= set().union(
            *(numbers(q) for n in sentence.citations for q in quotes[n])
        )
        if sentence.origin == "model":
            assert sentence.original and sentence.original in markdown  # the reader sees what was translated
    assert briefing.stats["model_calls"] > 0

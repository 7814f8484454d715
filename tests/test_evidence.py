"""Evidence selection: sentences of the retrieved passages, as exact spans, wire copies merged, context kept."""

from dataclasses import replace

import pytest

from assistant.evidence import EvidenceSelector, embed_parts
from assistant.language import names_several
from assistant.spans import Passage, StoredChunk

from fakes import HashingEmbedder

WIRE_A = "Moskau meldet neue Gespräche. Die Behörden in Bergkarabach teilten mit, dass bislang 874 Soldaten getötet worden seien."
WIRE_B = "Die Behörden in Berg-Karabach teilten mit, dass bislang 874 Soldaten getötet worden seien. Mehr folgt."


def _chunk(source: str, text: str, start: int = 100, day: str = "2020-10-23") -> StoredChunk:
    return StoredChunk(source=source, start=start, end=start + len(text), text=text, date=day, language="de")


def _select(question: str, *passages: Passage, limit: int = 3):
    embedder = HashingEmbedder()
    return EvidenceSelector(embedder, limit).select(
        embedder.embed_query(question), {"de": question}, passages, embed_parts(question, "de", embedder)
    )


def _passage(*chunks: StoredChunk) -> Passage:
    return Passage(chunks[0].text, list(chunks), 0.0, 0.0, 0.0)


def test_a_sentence_of_two_wire_copies_is_one_piece_of_evidence_located_in_both():
    evidence = _select(
        "Wie viele Soldaten wurden getötet?", _passage(_chunk("a.txt", WIRE_A), _chunk("b.txt", WIRE_B, 7))
    )
    best = evidence[0]
    assert "874 Soldaten" in best.text and {loc.source for loc in best.locations} == {"a.txt", "b.txt"}
    for location, text in zip(best.locations, (WIRE_A, WIRE_B)):
        offset = 100 if location.source == "a.txt" else 7
        assert text[location.start - offset : location.end - offset] == location.text
        assert location.text.startswith("Die Behörden")


def test_a_dependent_sentence_keeps_the_one_before_it():
    text = "Putin nannte am Donnerstag neue Zahlen. Damit nähere sich die Gesamtzahl der Toten 5000."
    (evidence, *_) = _select("Welcher Gesamtzahl nähert sich die Zahl der Toten?", _passage(_chunk("c.txt", text)))
    assert evidence.text == text


def test_a_chosen_sentence_is_shown_with_the_dependent_one_after_it():
    text = "Erdogan rief in zehn Provinzen den Notstand aus. Er gelte für drei Monate. Die Börse schloss."
    (evidence, *rest) = _select("Für welche Provinzen rief Erdogan den Notstand aus?", _passage(_chunk("d.txt", text)))
    assert evidence.text == "Erdogan rief in zehn Provinzen den Notstand aus. Er gelte für drei Monate."
    assert all("Notstand" not in p.text for p in rest)


def test_the_period_a_question_names_prefers_articles_of_that_year():
    old = _chunk("2020.txt", "Die Waffenruhe trat um Mitternacht in Kraft.", day="2020-11-10")
    new = _chunk("2023.txt", "Die Waffenruhe trat um 13 Uhr in Kraft.", day="2023-09-20")
    evidence = _select("Wann trat die Waffenruhe 2023 in Kraft?", _passage(old), _passage(new), limit=1)
    assert [p.locations[0].source for p in evidence] == ["2023.txt"]


@pytest.mark.parametrize(
    "question, other, asked, published",
    [
        # The toll of the earlier quake is a little closer to the question's words than the toll of the day asked.
        (
            "Wie viele Menschen starben beim Beben in Hatay am 20. Februar?",
            "Beim Beben in Hatay starben am 6. Februar 41.000 Menschen.",
            "Das Beben am 20. Februar tötete in Hatay sechs Menschen.",
            "2023-02-21",
        ),
        # So is the current toll than the toll of the 1990s war.
        (
            "Wie viele Tote forderte der Krieg in der Region in den 90er Jahren?",
            "Der Krieg in der Region forderte bislang knapp 5000 Tote.",
            "Darauf folgte in den 90er Jahren ein Krieg mit 30.000 Toten.",
            "2020-10-23",
        ),
    ],
)
def test_a_question_that_names_a_day_or_decade_prefers_sentences_about_it(question, other, asked, published):
    chunks = _chunk("a.txt", other, day=published), _chunk("b.txt", asked, day=published)
    evidence = _select(question, *map(_passage, chunks), limit=1)
    assert [p.locations[0].source for p in evidence] == ["b.txt"]


def test_a_chain_of_dependent_sentences_is_shown_from_the_one_that_names_the_speaker():
    text = (
        "Bislang habe es knapp 2000 Todesopfer gegeben, sagte Putin. Damit nähere sich die Gesamtzahl 5000. "
        "Der Präsident nahm dabei Bezug auf eigene Daten."
    )
    (evidence, *_) = _select("Auf welche Daten nahm der Präsident Bezug?", _passage(_chunk("c.txt", text)), limit=1)
    assert evidence.text == text


def test_a_question_about_now_is_not_answered_from_background_of_earlier_years():
    background = "Zuletzt hatte es im April 2016 heftige Kämpfe um die Region gegeben."
    news = "Seit Ende September gibt es in der Region die heftigsten Kämpfe seit Jahren."
    chunk = _chunk("c.txt", f"{background} {news}", day="2020-10-23")
    now = _select("Wann begannen die aktuellen heftigen Kämpfe um die Region?", _passage(chunk))
    assert [p.text for p in now] == [news]
    # Looking back from now is asking for the background; a count like "2000 Tote" is no year.
    before = _select("Wann gab es vor den aktuellen Kämpfen zuletzt heftige Kämpfe um die Region?", _passage(chunk))
    assert background in [p.text for p in before]
    toll = _chunk("t.txt", "Bislang gab es knapp 2000 Todesopfer in der Region.", day="2020-10-23")
    assert _select("Wie viele Tote gibt es derzeit in der Region?", _passage(toll))


def test_a_date_line_and_a_byline_are_no_evidence():
    head = "9. Februar 2023 um 12:30\nVon Lea Marquardt\n\nDie Gespräche finden am Freitag in Washington statt."
    evidence = _select("An welchem Datum finden die Gespräche statt?", _passage(_chunk("c.txt", head)))
    assert [p.text for p in evidence] == ["Die Gespräche finden am Freitag in Washington statt."]


def test_a_sentence_that_states_another_year_than_the_question_asks_about_is_left_out():
    other = _chunk("a.txt", "Am 9. November 2022 ordnete der Minister den Rückzug der Truppen an.", day="2023-06-07")
    asked = _chunk("b.txt", "Die Truppen zogen sich zurück, teilte das Ministerium mit.", day="2023-09-20")
    evidence = _select("Wer ordnete im September 2023 den Rückzug der Truppen an?", _passage(other), _passage(asked))
    assert [p.locations[0].source for p in evidence] == ["b.txt"]


def test_a_question_that_asks_two_things_gets_evidence_for_each():
    text = (
        "Russland vermittelt seit Jahren in dem Konflikt um die Region. Frankreich vermittelt in dem Konflikt um die "
        "Region mit. Nach Moskau lud Putin."
    )
    question = "Wer vermittelt in dem Konflikt um die Region, und wer lud nach Moskau ein?"
    evidence = _select(question, _passage(_chunk("c.txt", text)), limit=2)
    assert "Nach Moskau lud Putin." in [p.text for p in evidence]


def test_a_question_that_names_several_things_in_one_clause_is_shown_more_sentences():
    text = " ".join(f"Die Stadt Nummer {n} meldete am Montag {n * 10} Tote." for n in range(1, 9))
    passage = _passage(_chunk("d.txt", text))
    embedder = HashingEmbedder()
    selector = EvidenceSelector(embedder, 2, 5)
    for question, shown in (
        ("Wie viele Tote meldete die Stadt?", 2),
        ("Wie viele Tote meldeten Stadt 1 und Stadt 2?", 5),
    ):
        evidence = selector.select(
            embedder.embed_query(question), {"de": question}, [passage], embed_parts(question, "de", embedder)
        )
        assert len(evidence) == shown, question
    assert names_several("Welche Todeszahlen nennen Putin und die Behörden?", "de")
    assert names_several("How do the two figures compare?", "en")
    assert not names_several("Wann begann die Waffenruhe?", "de") and not names_several("Who mediates?", "en")
    # A question of two parts gets each part's best sentences in turn, within the usual number.
    two_parts = "Wie viele Tote meldete Stadt 1, und wie viele Tote meldete Stadt 2?"
    parts = embed_parts(two_parts, "de", embedder)
    assert len(parts) == 2
    assert len(selector.select(embedder.embed_query(two_parts), {"de": two_parts}, [passage], parts)) == 2


def test_a_sentence_dated_by_a_weekday_in_another_year_than_the_question_asks_about_is_left_out():
    # "on Wednesday" in an article dated 2023 means a Wednesday of 2023: no answer about the ceasefire of 2020.
    weekday = replace(
        _chunk("a.txt", "The ceasefire took effect at 1 p.m. on Wednesday.", day="2023-09-21"), date_from="text"
    )
    plain = _chunk("b.txt", "Since midnight Moscow time a full ceasefire has been in force.", day="2020-11-10")
    evidence = _select("When did the ceasefire of November 2020 take effect?", _passage(weekday), _passage(plain))
    assert [p.locations[0].source for p in evidence] == ["b.txt"]

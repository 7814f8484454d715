"""Evidence selection: sentences of the retrieved passages, as exact spans, wire copies merged, context kept."""

from assistant.evidence import EvidenceSelector
from assistant.spans import Passage, StoredChunk

from fakes import HashingEmbedder

WIRE_A = "Moskau meldet neue Gespräche. Die Behörden in Bergkarabach teilten mit, dass bislang 874 Soldaten getötet worden seien."
WIRE_B = "Die Behörden in Berg-Karabach teilten mit, dass bislang 874 Soldaten getötet worden seien. Mehr folgt."


def _chunk(source: str, text: str, start: int = 100, day: str = "2020-10-23") -> StoredChunk:
    return StoredChunk(source=source, start=start, end=start + len(text), text=text, date=day, language="de")


def _select(question: str, *passages: Passage, limit: int = 3):
    embedder = HashingEmbedder()
    return EvidenceSelector(embedder, limit).select(embedder.embed_query(question), {"de": question}, passages)


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


def test_the_period_a_question_names_prefers_articles_of_that_year():
    old = _chunk("2020.txt", "Die Waffenruhe trat um Mitternacht in Kraft.", day="2020-11-10")
    new = _chunk("2023.txt", "Die Waffenruhe trat um 13 Uhr in Kraft.", day="2023-09-20")
    evidence = _select("Wann trat die Waffenruhe 2023 in Kraft?", _passage(old), _passage(new), limit=1)
    assert [p.locations[0].source for p in evidence] == ["2023.txt"]

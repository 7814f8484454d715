"""Attribution of answer sentences to the evidence: the application decides what a sentence cites."""

from assistant.cite import attribute
from assistant.spans import Passage, StoredChunk

ANSWERS = "2010 war die bislang letzte große Initiative für einen Frieden zwischen Eriwan und Baku gescheitert."
NEIGHBOUR = "Die Gespräche zwischen Eriwan und Baku über einen Frieden endeten am 9. November 2020."


def _evidence(*texts: str) -> list[Passage]:
    return [Passage(text, [StoredChunk("a.txt", 0, len(text), text, language="de")], 0.0, 0.5, 0.0) for text in texts]


def test_a_sentence_phrased_from_its_cited_evidence_with_another_sentences_date_is_dropped():
    # The small model answers from the sentence it cites and copies the date of the sentence beside it.
    mixed = "Die letzte große Initiative für einen Frieden zwischen Eriwan und Baku scheiterte am 9. November 2020. [1]"
    attribution = attribute(mixed, _evidence(ANSWERS, NEIGHBOUR), None)
    assert attribution.kept == [] and attribution.unsupported_claims == [[1]]
    assert "its date from other evidence" in attribution.dropped[0].reason
    # Citing the evidence its date comes from, or none, the sentence stands.
    for marks in ("[2]", ""):
        kept = attribute(f"{NEIGHBOUR} {marks}", _evidence(ANSWERS, NEIGHBOUR), None).kept
        assert [k.passages for k in kept] == [[1]], marks


def test_a_count_may_come_from_the_sentence_after_the_one_that_names_who_gives_it():
    named = "Tigran Chatschatrjan sagte, es kamen weiter Menschen nach Armenien; die Zählung liege bei 68.386."
    counts = "Am 27. September kamen nach seinen Worten 26.600 Menschen nach Armenien."
    answer = "Laut Tigran Chatschatrjan kamen am 27. September 26.600 Menschen nach Armenien. [1]"
    kept = attribute(answer, _evidence(named, counts), None).kept
    assert [k.passages for k in kept] == [[1]]

"""Figures that sources give differently are named side by side in an answer, each with who gives it."""

from assistant.disagreement import disagreement
from assistant.spans import Passage, StoredChunk


def _evidence(*sentences: tuple[str, str]) -> list[Passage]:
    return [
        Passage(text, [StoredChunk(source, 0, len(text), text, date="2020-10-15")], 0.0, 0.5, 0.0)
        for source, text in sentences
    ]


EVIDENCE = _evidence(
    ("a.txt", "Die Behörden in Berg-Karabach teilten mit, dass bislang 874 Soldaten getötet worden seien."),
    ("b.txt", "Bislang habe es auf beiden Seiten jeweils knapp 2000 Todesopfer gegeben, sagte Putin in Moskau."),
    ("c.txt", "In einem Leserbrief heißt es, im Konflikt sei niemand gestorben."),
)


def test_each_claimants_figure_is_named_when_the_answer_gives_one():
    note = disagreement("Wie viele Menschen sind gestorben?", EVIDENCE, "Laut den Behörden starben 874 Soldaten.", "de")
    assert note is not None
    assert "874" in note.text and "2000" in note.text and "Putin" in note.text
    assert note.text.startswith("Die Angaben zur Zahl der Todesopfer gehen auseinander")
    assert sorted(note.passages) == [0, 1]


def test_nothing_is_added_when_the_answer_shows_every_figure_or_asks_no_figure():
    shown = "Die Behörden nennen 874 getötete Soldaten, Putin knapp 2000 Tote je Seite."
    assert disagreement("Wie viele Menschen sind gestorben?", EVIDENCE, shown, "de") is None
    assert disagreement("Wer vermittelt im Konflikt?", EVIDENCE, "Russland.", "de") is None


def test_one_figure_is_no_disagreement():
    assert disagreement("How many soldiers died?", EVIDENCE[:1], "None given.", "en") is None

"""Figures that named parties give differently are named side by side in an answer that states one of them."""

from assistant.disagreement import disagreement
from assistant.spans import Passage, StoredChunk


def _evidence(*sentences: tuple[str, str, str]) -> list[Passage]:
    return [
        Passage(text, [StoredChunk(source, 0, len(text), text, date=published)], 0.0, 0.5, 0.0)
        for source, published, text in sentences
    ]


AUTHORITIES = (
    "a.txt",
    "2020-10-15",
    "Die Behörden in Berg-Karabach teilten mit, dass bislang 874 Soldaten getötet worden seien.",
)
PUTIN = (
    "b.txt",
    "2020-10-16",
    "Bislang habe es auf beiden Seiten jeweils knapp 2000 Todesopfer gegeben, sagte Putin in Moskau.",
)
QUESTION = "Wie viele Menschen sind gestorben?"
ANSWER = "Laut den Behörden starben 874 Soldaten."


def test_each_partys_figure_is_named_when_the_answer_gives_one():
    note = disagreement(QUESTION, _evidence(AUTHORITIES, PUTIN), ANSWER, "de")
    assert note is not None
    assert note.text == (
        "Die Angaben zur Zahl der Todesopfer gehen auseinander – Putin: knapp 2000 Tote je Seite; "
        "Behörden in Berg-Karabach: 874 getötete Soldaten."
    )
    assert sorted(note.passages) == [0, 1]


def test_nothing_is_added_when_the_answer_shows_every_figure_or_asks_no_figure():
    shown = "Die Behörden nennen 874 getötete Soldaten, Putin knapp 2000 Tote je Seite."
    assert disagreement(QUESTION, _evidence(AUTHORITIES, PUTIN), shown, "de") is None
    assert disagreement("Wer vermittelt im Konflikt?", _evidence(AUTHORITIES, PUTIN), ANSWER, "de") is None


def test_a_toll_that_moved_on_or_an_articles_own_figure_is_no_disagreement():
    later = ("b.txt", "2020-11-20", PUTIN[2])
    assert disagreement(QUESTION, _evidence(AUTHORITIES, later), ANSWER, "de") is None
    own = ("c.txt", "2020-10-15", "Bislang wurden 2000 Menschen getötet.")
    assert disagreement(QUESTION, _evidence(AUTHORITIES, own), ANSWER, "de") is None
    assert disagreement(QUESTION, _evidence(AUTHORITIES), ANSWER, "de") is None


def test_a_claim_that_nobody_died_is_set_against_the_reported_toll():
    denial = ("c.txt", "2020-10-15", "Im Konflikt ist niemand gestorben, sagte der Sprecher Iwan Petrow.")
    note = disagreement(QUESTION, _evidence(AUTHORITIES, denial), ANSWER, "de")
    assert note is not None and sorted(note.passages) == [0, 1]
    assert "Iwan Petrow: 0" in note.text and "Behörden in Berg-Karabach: 874 getötete Soldaten" in note.text
    unknown = ("c.txt", "2020-10-15", "Niemand weiß, wie viele gestorben sind, sagte der Sprecher Iwan Petrow.")
    assert disagreement(QUESTION, _evidence(AUTHORITIES, unknown), ANSWER, "de") is None


def test_nothing_is_added_when_the_question_asks_for_the_answers_party():
    putin = "Putin zufolge starben knapp 2000 Menschen je Seite."
    assert disagreement("Wie viele Tote gab es laut Putin?", _evidence(AUTHORITIES, PUTIN), putin, "de") is None
    # Asked for the authorities' figure, an answer giving Putin's still shows both.
    assert disagreement("Wie viele Tote gab es laut den Behörden?", _evidence(AUTHORITIES, PUTIN), putin, "de")


def test_a_figure_of_another_period_is_set_against_nothing():
    war = ("c.txt", "2020-10-16", "Darauf folgte in den 90er Jahren ein Krieg mit 30.000 Toten, sagte Paschinjan.")
    answer = "In den 90er Jahren forderte der Krieg 30.000 Tote."
    assert disagreement(QUESTION, _evidence(war, AUTHORITIES, PUTIN), answer, "de") is None

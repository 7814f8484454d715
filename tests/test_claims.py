"""The code checks of an answer sentence against its evidence: each failure class of the small model."""

from datetime import date

import pytest

from assistant.claims import Source, claim_problem, claimant_problem

KARABAKH = Source(
    "Die Behörden in Bergkarabach teilten mit, dass bislang 874 Soldaten getötet worden seien.",
    date(2020, 10, 23),
    "de",
)
INVITED = Source(
    "Zu den Gesprächen nach Moskau eingeladen hatte Russlands Präsident Wladimir Putin. Ziel der Gespräche unter der "
    "Vermittlung des russischen Außenministers Sergej Lawrow ist ein Ende der Kämpfe.",
    None,
    "de",
)


@pytest.mark.parametrize(
    "sentence, sources, question, language, problem",
    [
        ("Laut den Behörden wurden 874 Soldaten getötet.", [KARABAKH], "Wie viele Soldaten?", "de", None),
        ("According to the authorities, 874 soldiers were killed.", [KARABAKH], "How many?", "en", None),
        ("Laut den Behörden wurden 875 Soldaten getötet.", [KARABAKH], "Wie viele?", "de", "875 is not in its source"),
        ("Die Behörden teilten mit, dass keine Soldaten getötet wurden.", [KARABAKH], "?", "de", "adds a negation"),
        # The day of a date is not a count.
        ("27 Menschen starben.", [Source("Am 27. September starben mehrere Menschen.", None, "de")], "Wie viele?", "de",
         "part of a date"),
        # A number the question gives is not a claim of the answer.
        ("Im Jahr 2016 starben mehr als 100 Menschen.", [Source("Damals starben mehr als 100 Menschen.", None, "de")],
         "Wie viele starben 2016?", "de", None),
        ("Putin schließt eine Änderung aus.", [Source("Putin schloss eine Änderung nicht aus.", None, "de")], "?", "de",
         "drops the negation"),
        ("Putin vermittelt die Gespräche.", [INVITED], "Wer vermittelt?", "de", "role 'mediates' to Putin"),
        ("The talks are mediated by Foreign Minister Sergei Lavrov.", [INVITED], "Who mediates?", "en", None),
        ("Stoltenberg invited the ministers.", [INVITED], "Who invited?", "en", "names Stoltenberg"),
        # "vendredi" in an article of Tuesday 26 September 2023 is Friday 22 September.
        ("On 22 September 2023, 20 people died.", [Source("Vendredi, le bilan était de 20 morts.", date(2023, 9, 26), "fr")],
         "When?", "en", None),
        ("On 25 September 2023, 20 people died.", [Source("Vendredi, le bilan était de 20 morts.", date(2023, 9, 26), "fr")],
         "When?", "en", "date '25 September 2023' is not in its source"),
    ],
)  # fmt: skip
def test_claim_checks(sentence, sources, question, language, problem):
    found = claim_problem(sentence, sources, question, language)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_a_figure_someone_gives_is_stated_with_them():
    source = [
        Source("Die Behörden in Berg-Karabach teilten mit, dass bislang 874 Soldaten getötet worden seien.", None, "de")
    ]
    question = "Wie viele Soldaten hat Aserbaidschan bisher verloren?"
    assert "Behörden" in claimant_problem("874 Soldaten hat Aserbaidschan bisher verloren.", source, question, "de")
    assert claimant_problem("Laut den Behörden in Berg-Karabach starben 874 Soldaten.", source, question, "de") is None
    # A question that asks for the claimant's figure has named them already.
    asked = "Wie viele Soldaten starben nach Angaben der Behörden?"
    assert claimant_problem("874 Soldaten starben.", source, asked, "de") is None
    # The name followed by a comma is the name.
    spokeswoman = [
        Source("Nazeli Baghdasaryan wrote on Facebook that 65,036 people had crossed into Armenia.", None, "en")
    ]
    stated = "According to Nazeli Baghdasaryan, 65,036 people had crossed into Armenia."
    assert claimant_problem(stated, spokeswoman, "Who gave which figure?", "en") is None


def test_a_count_in_words_is_the_count():
    trucks = [Source("An AFP reporter counted six trucks rolling in from the Turkish side.", None, "en")]
    assert claim_problem("Six trucks: 6 trucks made up the convoy.", trucks, "How many trucks?", "en") is None
    assert "not in its source" in claim_problem("7 trucks made up the convoy.", trucks, "How many trucks?", "en")

"""The code checks of an answer sentence against its evidence: each failure class of the small model."""

from datetime import date

import pytest

from assistant.claims import (
    Source,
    asked_kind,
    claim_problem,
    claimant_problem,
    day_problem,
    gives_kind,
    measure_problem,
    names_counted,
    off_question_problem,
    role_problem,
    speaker_problem,
    title_problem,
)

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

WITHDRAWAL = Source(
    "Am Montag ordnete der Verteidigungsminister Peter Brandt auf Vorschlag des Befehlshabers der Truppen im Norden, "
    "Peter Vogel, den Abzug aus der Stadt an.",
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
        # A pronoun beside the role word holds the role; the name nearest to it is the one spoken with.
        ("Erdogan proposed a commission.",
         [Source("Im Telefonat mit Wladimir Putin schlug er, Erdogan, eine Kommission vor.", None, "de")], "Who?", "en",
         None),
        # Nor is a name in the pronoun's clause the one who holds the role; one in another clause may be.
        ("Putin proposed a commission.",
         [Source("Im Telefonat mit Wladimir Putin schlug er eine Kommission vor.", None, "de")], "Who?", "en",
         "names beside the one who holds it"),
        ("Putin proposed a commission.", [Source("Dann sagte Putin, er schlug eine Kommission vor.", None, "de")], "Who?",
         "en", None),
        # A name that opens a sentence holds its role where another sentence names it; where none does, the role's
        # holder is unknown rather than the next name ("Putin" below) or a noun after an adjective.
        ("Putin proposed an investigation.",
         [Source("Geredet haben Recep Tayyip Erdoğan und Wladimir Putin. Erdoğan schlägt eine internationale "
                 "Untersuchung vor, Putin gibt Kiew die Schuld.", None, "de")], "Who?", "en",
         "role 'proposes' to Putin, its source to Erdoğan"),
        ("Erdoğan proposed an investigation.",
         [Source("Erdoğan schlägt eine internationale Untersuchung vor, Putin gibt Kiew die Schuld.", None, "de")],
         "Who?", "en", None),
        # A role noun holds no role, and the name after "auf Vorschlag des" holds it, told from the one before by
        # its surname.
        ("Peter Brandt ordered the withdrawal on the proposal of Peter Vogel.", [WITHDRAWAL], "Who?", "en", None),
        ("Peter Vogel ordered the withdrawal on the proposal of Peter Brandt.", [WITHDRAWAL], "Who?", "en",
         "role 'orders' to Vogel, its source to Brandt"),
        # "vendredi" in an article of Tuesday 26 September 2023 is Friday 22 September.
        ("On 22 September 2023, 20 people died.", [Source("Vendredi, le bilan était de 20 morts.", date(2023, 9, 26), "fr")],
         "When?", "en", None),
        ("On 25 September 2023, 20 people died.", [Source("Vendredi, le bilan était de 20 morts.", date(2023, 9, 26), "fr")],
         "When?", "en", "date '25 September 2023' is not in its source"),
        # A name of two letters is in its source as written, or not at all.
        ("US officials reviewed new intelligence.", [Source("US officials reviewed it.", None, "en")], "?", "en", None),
        ("EU officials reviewed new intelligence.", [Source("US officials reviewed it.", None, "en")], "?", "en",
         "names EU"),
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


def test_an_answer_that_only_restates_the_question_says_nothing():
    question = "Was hat Katar der Türkei nach Angaben Erdogans für die Erdbebenopfer zugesagt?"
    source = [Source("Katar habe 10.000 Container zugesagt, sagte Erdogan.", None, "de")]
    restated = "Katar hat der Türkei nach Angaben Erdogans für die Erdbebenopfer zugesagt."
    assert claim_problem(restated, source, question, "de") == "it only restates the question"
    assert claim_problem("Katar hat 10.000 Container zugesagt.", source, question, "de") is None


def test_a_figure_given_to_the_wrong_party_is_caught_across_languages():
    source = [
        Source(
            "Putins Angaben sind höher als die der beiden Konfliktparteien. Die Behörden in Bergkarabach teilten mit, "
            "dass bislang 874 Soldaten getötet worden seien.",
            None,
            "de",
        )
    ]
    asked = "What is the death toll according to Putin?"
    found = claimant_problem("According to Putin, the death toll is 874 soldiers.", source, asked, "en")
    assert found == "it gives the figure to Putin, its source to Behörden in Bergkarabach"
    putin = [
        Source("Bislang habe es auf beiden Seiten jeweils knapp 2000 Todesopfer gegeben, sagte Putin.", None, "de")
    ]
    assert claimant_problem("According to Putin, nearly 2000 people died on each side.", putin, asked, "en") is None


def test_a_count_of_another_measure_answers_another_question():
    killed = [Source("Die Behörden teilten mit, dass bislang 874 Soldaten getötet worden seien.", None, "de")]
    problem = claim_problem("874 soldiers were killed.", killed, "How many people have been wounded?", "en")
    assert problem == "it counts the killed, the question asks for the wounded"
    assert claim_problem("Laut den Behörden wurden 874 Soldaten getötet.", killed, "Wie viele starben?", "de") is None


def test_evidence_of_another_party_or_measure_is_no_answer():
    authorities = Source(
        "Die Behörden in Bergkarabach teilten mit, dass bislang 874 Soldaten getötet worden seien.", None, "de"
    )
    putin = Source("Bislang habe es jeweils knapp 2000 Todesopfer gegeben, sagte Putin in Moskau.", None, "de")
    asked = "How many deaths has each side suffered, according to Putin?"
    assert "the question asks for Putin's" in off_question_problem(asked, authorities, "en")
    assert off_question_problem(asked, putin, "en") is None
    assert (
        off_question_problem("How many people were wounded?", authorities, "en") == "it gives no figure of the wounded"
    )
    assert off_question_problem("Wie viele Soldaten starben laut den Behörden?", authorities, "de") is None


def test_a_named_partys_words_are_not_another_persons_or_no_ones():
    asked = "Was sagte Baschar al-Assad in seiner ersten Ansprache?"
    envoy = Source("Syria's UN envoy Bassam Sabbagh conceded that his government lacked equipment.", None, "en")
    assert "Bassam Sabbagh's words" in off_question_problem(asked, envoy, "de")
    own = Source("Bashar al-Assad said his government lacked equipment.", None, "en")
    assert off_question_problem(asked, own, "de") is None
    # "he said" and a bare quotation may be the party's, resolved from sentences before.
    for maybe in ('"We lack equipment," he said.', "„Uns fehlt es an Ausrüstung.“"):
        assert off_question_problem(asked, Source(maybe, None, "de"), "de") is None, maybe
    cost = Source("La operación habría costado unos 300.000 dólares.", None, "es")
    asked = "How much would the repair cost, according to Gazprom?"
    assert "no one's words" in off_question_problem(asked, cost, "en")
    # A country is named otherwise in another language; a question about two parties is served sentence by sentence.
    germany = Source("L'Allemagne a annoncé qu'elle doublait son aide, à 240 millions d'euros.", None, "fr")
    assert off_question_problem("How much aid did Germany say it would give?", germany, "en") is None
    asked = "Welche Zahlen nannten Olaf Scholz und Emmanuel Macron?"
    assert off_question_problem(asked, Source("Macron a annoncé 12 millions.", None, "fr"), "de") is None


@pytest.mark.parametrize(
    "question, kind, answer, gives",
    [
        (
            "Wie viel Geld hat der Staat mit der Erdbebensteuer eingenommen?",
            "money",
            "Der Staat führte sie 1999 ein.",
            False,
        ),
        ("Wie viel Geld hat der Staat mit der Erdbebensteuer eingenommen?", "money", "Rund 24 Milliarden Lira.", True),
        ("How many trucks made up the convoy?", "count", "An AFP reporter counted six trucks.", True),
        ("How many trucks made up the convoy?", "count", "The convoy crossed at Bab al-Hawa on 9 February.", False),
        ("Wann brachen die Kämpfe aus?", "time", "Seit Ende September gibt es heftige Gefechte.", True),
        ("Wann brachen die Kämpfe aus?", "time", "Beide Seiten geben sich die Schuld.", False),
        ("Wie hoch ist die Inflation in Armenien?", "share", "Mehr als 28.000 Menschen sind angekommen.", False),
        ("Wie hoch ist die Inflation in Armenien?", "share", "Sie lag im Oktober bei 9,4 Prozent.", True),
        ("What was the unemployment rate in March?", "share", "It fell to 7%.", True),
        ("How much would it cost to repair the pipes?", "money", "Repairs would take a year.", False),
        ("How much electricity did the plant generate?", "energy", "Its reservoir held 18 billion m³.", False),
        ("Wie viel Strom erzeugte das Kraftwerk 2022?", "energy", "Es lieferte 1,4 Milliarden Kilowattstunden.", True),
        ("How much power can the plant supply?", "energy", "Its six turbines had a capacity of 335 MW.", True),
        ("Wie viel Strom lieferte das Kraftwerk?", "energy", "Die Reparatur ist für KW 23 geplant.", False),
    ],
)
def test_an_answer_gives_what_the_question_asks_for(question, kind, answer, gives):
    language = "de" if "Wie" in question or "Wann" in question else "en"
    assert asked_kind(question, language) == kind
    assert gives_kind(answer, kind, language) is gives


def test_a_time_of_day_in_words_is_a_time():
    assert gives_kind("Seit Mitternacht Moskauer Zeit gilt eine vollständige Waffenruhe.", "time", "de")
    assert gives_kind("The truce took effect at midnight.", "time", "en")


QUAKE_OF_6_FEBRUARY = Source(
    "Zwei Wochen nach den Beben vom 6. Februar, bei denen mehr als 41.000 Menschen starben, kam die Warnung hinzu.",
    date(2023, 2, 21),
    "de",
)


@pytest.mark.parametrize(
    "question, source, problem",
    [
        ("Wie viele Menschen starben bei dem Beben in Hatay am 20. Februar?", QUAKE_OF_6_FEBRUARY, "2023-02-06"),
        # The asked day among the source's days, a later day (the toll as it grew), no day, a day opening a period.
        ("Wie viele starben zwischen dem 6. Februar und dem 20. Februar?", QUAKE_OF_6_FEBRUARY, None),
        ("Wie viele starben bei den Beben am 6. Februar?",
         Source("Bis zum 21. Februar zählten die Behörden 41.000 Tote.", date(2023, 2, 21), "de"), None),
        ("Wie viele starben am 20. Februar?", Source("Sechs Menschen starben.", date(2023, 2, 21), "de"), None),
        ("Wie viele wurden bis zum 9. Juni evakuiert?",
         Source("Seit dem 6. Juni wurden 5800 Menschen evakuiert.", date(2023, 6, 10), "de"), None),
        # Up to a day: not what an article a week later gives without a day of its own.
        ("Wie viele wurden bis zum 9. Juni evakuiert?",
         Source("Seit Beginn der Rettung wurden 7800 Menschen evakuiert.", date(2023, 6, 16), "de"), "up to 2023-06-16"),
        ("Wie viele wurden bis zum 9. Juni evakuiert?",
         Source("Bis Freitag wurden 5800 Menschen evakuiert.", date(2023, 6, 10), "de"), None),
        # An article older than the asked day cannot report it, unless it names that day (a vote announced ahead).
        ("Wie viele Soldaten wurden am 20. September 2023 getötet?",
         Source("Auf der von Kiew kontrollierten Seite starben 21 Menschen.", date(2023, 6, 14), "de"), "2023-06-14"),
        ("Was geschah am 20. September 2023?",
         Source("Die Wahl ist für den 20. September 2023 angesetzt.", date(2023, 6, 14), "de"), None),
        ("Wie viele wurden bis zum 20. Juni evakuiert?",
         Source("Bislang wurden 2000 Menschen evakuiert.", date(2023, 6, 14), "de"), None),
        # "Am Montagabend" in an article of Tuesday 21 February is the 20th.
        ("Wie viele starben am 20. Februar?", Source("Am Montagabend starben sechs Menschen.", date(2023, 2, 21), "de"),
         None),
    ],
)  # fmt: skip
def test_a_sentence_on_another_day_than_the_asked_one_reports_something_else(question, source, problem):
    found = day_problem(question, source)
    assert found is None if problem is None else problem in found
    assert (off_question_problem(question, source, "de") is None) is (problem is None)
    # An answer phrased from it, the question's day restated, is as wrong.
    stated = "41.000 Menschen starben am 20. Februar."
    if problem is not None and "20. Februar" in question:
        assert problem in claim_problem(stated, [source], question, "de")


def test_a_question_that_asks_for_no_kind_or_several_things_has_none():
    assert asked_kind("How did the Kremlin react when Denmark closed its investigation?", "en") is None
    assert asked_kind("What did the spokesman quote from the report?", "en") is None
    assert asked_kind("Wer räumte den Verlust ein, und an welchem Tag?", "de") is None


def test_what_a_named_person_said_comes_from_evidence_that_names_them():
    aliyev = [Source("„Wir geben Armenien eine Chance“, sagte Alijew in einer Fernsehansprache.", None, "de")]
    assert claim_problem("Aliyev said Armenia had a last chance.", aliyev, "What did Aliyev say?", "en") is None
    # The name check also objects (Putin is not in the source); the speaker check says why it matters.
    assert "Putin" in claim_problem("According to Putin, Armenia had a last chance.", aliyev, "Who?", "en")
    flipped = speaker_problem("According to Putin, Armenia had a last chance.", aliyev)
    assert flipped == "it gives what was said to Putin, whom its source does not name"


def test_a_count_of_the_dead_does_not_say_how_many_were_rescued():
    # "rescue group" names who speaks, not what is counted.
    died = Source("The White Helmets rescue group said at least 380 people had died in the north-west.", None, "en")
    asked = "How many people did the White Helmets rescue alive?"
    assert measure_problem(died.text, asked) == "it counts the killed, the question asks for the rescued"
    assert off_question_problem(asked, died, "en") == "it gives no figure of the rescued"
    rescued = Source("The White Helmets said their teams had pulled 2,950 people out alive.", None, "en")
    assert off_question_problem(asked, rescued, "en") is None


@pytest.mark.parametrize(
    "question, measure",
    [
        ("Wie viele Menschen kamen bis Samstag an, und was meldete das UN-Flüchtlingshilfswerk?", None),
        ("How many people had arrived, according to the UN refugee agency?", None),
        ("Combien de personnes sont arrivées selon le Haut-Commissariat des Nations unies aux réfugiés ?", None),
        ("How many people does the Commission on Missing Persons still look for?", None),
        ("Wie viele Flüchtlinge registrierte das UN-Flüchtlingshilfswerk?", "displaced"),
    ],
)
def test_an_organisation_named_for_a_measure_asks_for_no_figure_of_it(question, measure):
    arrived = Source("100 417 personnes étaient arrivées en Arménie samedi.", None, "fr")
    problem = off_question_problem(question, arrived, "en")
    assert problem == (measure and f"it gives no figure of the {measure}")


def test_a_title_before_a_name_is_the_one_its_source_gives():
    source = Source("President Ilham Aliyev said in a televised address that Azerbaijan had won.", None, "en")
    asked = "Welcher aserbaidschanische General führte die Militäroperation?"
    wrong = title_problem("Der aserbaidschanische General Ilham Aliyev führte die Operation.", [source], asked)
    assert wrong == "it calls Aliyev general, its source does not"
    # Across languages, and the title far from the name in the evidence or given by the question.
    assert (
        title_problem("Präsident Ilham Alijew sagte, Aserbaidschan habe gewonnen.", [source], "Was sagte er?") is None
    )
    far = Source("Guards detained Ruben Vardanyan, who headed the Karabakh government as state minister.", None, "en")
    assert title_problem("Der frühere Staatsminister Ruben Wardanjan wurde festgenommen.", [far], "Wann?") is None
    asked_titled = "Wann wurde der frühere Staatsminister Ruben Wardanjan festgenommen?"
    bare = Source("Guards detained Ruben Vardanyan on Wednesday.", None, "en")
    assert title_problem("Staatsminister Ruben Wardanjan wurde am Mittwoch festgenommen.", [bare], asked_titled) is None


def test_evidence_that_names_no_holder_of_the_asked_title_is_no_answer():
    source = Source("President Ilham Aliyev said in a televised address that Azerbaijan had won.", None, "en")
    asked = "Welcher aserbaidschanische General führte die Militäroperation?"
    assert off_question_problem(asked, source, "de") == "it names no general, the question asks which one"
    assert off_question_problem("Which president addressed the nation?", source, "en") is None


@pytest.mark.parametrize(
    "question, text, named",
    [
        ("How many trucks made up the convoy?", "An AFP reporter counted six trucks.", True),
        (
            "How many Azerbaijani soldiers were killed?",
            "He had given a figure of 27 dead, two of them civilians.",
            False,
        ),
        ("Wie viele Menschen waren ohne Wasser?", "Fast 165.000 Haushalte seien ohne Wasser.", False),
        # People in general are what any count of the dead or wounded counts.
        ("Wie viele Menschen kamen ums Leben?", "Es habe 6 Tote und 294 Verletzte gegeben.", True),
        ("How many people were hurt?", "Officials counted 294 injured.", True),
        ("Wer vermittelt?", "Lawrow vermittelt.", True),
        ("How many people live in the region?", "The war of the 1990s left 30,000 dead.", False),
        ("Wie viele Menschen lebten in der Zone?", "Dort gab es 41 Tote.", False),
        # No noun after "how many": what is counted is in its verb, or in the text's.
        ("How many died in the flood?", "Officials counted 41 dead.", True),
        ("Wie viele starben bei den Beben?", "Die Behörden zählten 41.000 Tote.", True),
        ("Wie viele kamen bis Freitag an?", "Bis Freitag trafen 6000 Flüchtlinge ein.", True),
    ],
)
def test_names_counted(question, text, named):
    assert names_counted(question, text, "en" if question.startswith("How") else "de") is named


def test_a_text_in_another_language_is_held_to_what_any_language_shows():
    assert not names_counted("How many people live in Berg-Karabach?", "Ein Krieg mit 30.000 Toten.", "en", "de")
    assert names_counted("How many tanks were lost?", "Aserbaidschan verlor 12 Panzer.", "en", "de")
    assert not names_counted("How many tanks were lost?", "Aserbaidschan verlor 12 Panzer.", "en", "en")


def test_after_a_verb_of_accusing_de_names_the_charge_not_the_accuser():
    source = [Source("Lundi, Moscou a accusé de sabotage Washington.", None, "fr")]
    assert role_problem("Moscow accused Washington of sabotage.", source) is None
    other = [Source("Lundi, Paris a accusé de sabotage Washington.", None, "fr")]
    assert role_problem("Moscow accused Washington of sabotage.", other) == (
        "it gives the role 'accuses' to Moscow, its source to Paris"
    )


def test_a_place_holds_no_role():
    source = [Source("Unter der Vermittlung von Sergej Lawrow trafen sich die Minister in Moskau.", None, "de")]
    assert role_problem("Der russische Außenminister vermittelt die Gespräche in Moskau.", source) is None
    assert role_problem("Sergej Schoigu vermittelt die Gespräche in Moskau.", source) == (
        "it gives the role 'mediates' to Schoigu, its source to Lawrow"
    )


def test_a_figure_in_a_clause_without_a_verb_is_the_party_its_clause_names():
    source = Source(
        "Nach dem Sturm gehen die Angaben auseinander. Die Stadtverwaltung zählt 12 Verletzte, die Polizei 30.",
        None,
        "de",
    )
    question = "Wie viele Verletzte gab es nach dem Sturm?"
    assert claimant_problem("Die Stadtverwaltung zählt 12 Verletzte, die Polizei 30.", [source], question, "de") is None
    assert claimant_problem("Die Polizei nannte 30 Verletzte.", [source], question, "de") is None
    # Both figures given to one party, or the police's given to the city.
    assert "Stadtverwaltung" in claimant_problem(
        "Die Polizei nannte 12 Verletzte, die Polizei 30.", [source], question, "de"
    )
    assert "Polizei" in claimant_problem("Die Stadtverwaltung meldete 30 Verletzte.", [source], question, "de")

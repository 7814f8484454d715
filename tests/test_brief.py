"""Briefings with fakes: speakers, disputed figures, wire copies, citations, neutrality and the checks on what
the model writes are the application's, so they are tested without a model."""

import json
import os
import re
import subprocess
import sys

import pytest

from assistant.api import Assistant
from assistant.briefing.figures import find_disputes, find_mentions
from assistant.briefing.rewrite import cut_problem, neutral
from assistant.briefing.speakers import find_speakers, speaker_for
from assistant.countries import countries_named
from assistant.errors import AssistantError
from assistant.faithful import translation_problem
from assistant.language import written_in
from assistant.text import numbers

from fakes import HashingEmbedder, RuleLLM, indexed_articles, into_english

WIRE = {"003_93abe25851774db3.txt", "004_dc163207c980f9d6.txt"}


@pytest.fixture
def indexed(settings):
    Assistant(settings, embedder=HashingEmbedder()).index()
    return settings


def _brief(settings, llm=None, **kwargs):
    return Assistant(settings, embedder=HashingEmbedder(), llm=llm or RuleLLM()).brief(**kwargs)


def _sentences(briefing):
    return [s for section in briefing.sections for s in section.sentences]


def test_speakers_follow_pronouns_roles_and_reported_speech():
    found = find_speakers(
        [
            "Russlands Präsident Wladimir Putin geht davon aus, dass Tausende getötet wurden.",
            "Die Gesamtzahl nähere sich der 5000, sagte er am Donnerstag.",
            "Die Behörden in Bergkarabach teilten mit, dass 874 Soldaten getötet worden seien.",
            "Zudem seien mehr als 30 Zivilisten gestorben.",
            "Der Konflikt fordert weiter Todesopfer.",
            "Der Kremlchef drängte auf Verhandlungen.",
            "Ziel ist nach Kreml-Angaben ein Ende der Kämpfe.",
        ]
    )
    labels = [s.label if s else None for s in found]
    assert labels == [
        "Wladimir Putin",
        "Wladimir Putin",
        "Behörden in Bergkarabach",
        "Behörden in Bergkarabach",
        None,
        "Wladimir Putin",
        "Kreml",
    ]
    assert [s.person for s in found if s] == [True, True, False, False, True, True]


def test_speakers_in_english():
    found = find_speakers(
        [
            "The authorities in Nagorno-Karabakh said 874 soldiers had been killed.",
            "According to Vladimir Putin, the death toll is close to 5,000.",
            "The fighting broke out in late September.",
        ]
    )
    assert [s.key if s else None for s in found] == ["authorities in nagornokarabakh", "putin", None]


def test_figures_keep_claimant_measure_qualifier_and_period():
    sentences = [
        "Bislang habe es auf beiden Seiten jeweils knapp 2000 Todesopfer gegeben, sagte Putin in Moskau.",
        'Damit nähere sich die Gesamtzahl der Toten "schon 5000".',
        "Die Behörden in Bergkarabach teilten mit, dass bislang 874 Soldaten getötet worden seien.",
        "Die aserbaidschanische Seite spricht von 63 getöteten Zivilisten, nennt aber keine Todeszahlen für das Militär.",
        "Darauf folgte in den 90er Jahren ein Krieg mit 30.000 Toten.",
        'Putin sagte: "Sogar wenn 30 Jahre Verhandlungen kein Resultat geben, heißt das nicht viel."',
    ]
    mentions = find_mentions(sentences, find_speakers(sentences), [0] * len(sentences))
    seen = {(m.speaker.key if m.speaker else None, m.group, m.scope, m.value, m.qualifier, m.period) for m in mentions}
    assert seen == {
        ("putin", "all", "per_side", "2000", "nearly", ""),
        ("putin", "all", "total", "5000", "nearly", ""),
        ("behörden in bergkarabach", "soldiers", "", "874", "", ""),
        ("aserbaidschanische seite", "civilians", "", "63", "", ""),
        ("aserbaidschanische seite", "soldiers", "", None, "", ""),
        (None, "all", "", "30000", "", "90er"),
    }
    (dispute,) = find_disputes(mentions, [0] * len(sentences))
    assert dispute.period == ""
    assert set(dispute.claimants) == {"putin", "behörden in bergkarabach", "aserbaidschanische seite"}


def test_a_figure_after_a_comma_with_its_own_party_and_no_verb_is_that_partys():
    sentences = ["Die Stadtverwaltung zählt 12 Tote, die Polizei 30, darunter 4 Kinder."]
    mentions = find_mentions(sentences, find_speakers(sentences), [0])
    assert {(m.speaker.key, m.value, m.measure) for m in mentions} == {
        ("stadtverwaltung", "12", "killed"),
        ("polizei", "30", "killed"),
    }


def test_each_number_counts_what_its_own_words_name():
    sentences = [
        "Erdogan put the death toll at 48,000 and the number of injured at more than 115,000.",
        "The quake killed 20 people and injured 50.",
        "Es gab 2.316 Tote und 13.293 Verletzte.",
    ]
    mentions = find_mentions(sentences, [None] * 3, [0, 1, 2])
    assert {(m.value, m.measure) for m in mentions} == {
        ("48000", "killed"),
        ("115000", "wounded"),
        ("20", "killed"),
        ("50", "wounded"),
        ("2316", "killed"),
        ("13293", "wounded"),
    }


def test_a_name_in_the_german_genitive_is_the_same_party():
    sentences = ["Nach Angaben Erdogans kamen 3549 Menschen ums Leben.", "Erdogan sagte, die Hilfe komme."]
    first, second = find_speakers(sentences)
    assert first.label == "Erdogan" and first.key == second.key
    (before_a_noun,) = find_speakers(["Nach Angaben Moskaus Behörden gab es 20 Tote."])
    assert before_a_noun is None or before_a_noun.label != "Moskau"  # the name is a noun's genitive attribute


def test_a_headline_restating_a_partys_figure_of_its_article_gives_that_partys_figure():
    sentences = [
        "Explosion in der Stadt: Zahl der Toten steigt auf 68",  # article 0, headline
        "Die Zahl der Toten ist nach Angaben der örtlichen Behörden auf mindestens 68 gestiegen.",
        "Die Regierung nannte 20 Tote.",
        "Zahl der Toten steigt auf 68",  # article 1: no party of its own gives the figure
        "Die Polizei meldete 40 Tote.",
    ]
    mentions = find_mentions(sentences, find_speakers(sentences), [0] * len(sentences))
    (dispute,) = find_disputes(mentions, [0, 0, 0, 1, 1])
    rows = {(row.claimant, row.value): row.sentences for row in dispute.rows}
    assert rows[("örtlichen behörden", "68")] == [1, 0]
    assert rows[("story:1", "68")] == [3]
    assert ("story:0", "68") not in rows


def test_briefing_sections_citations_figures_and_wire_copies(indexed):
    briefing = _brief(indexed)
    assert [s.key for s in briefing.sections] == ["what", "chronology", "positions", "figures", "open"]
    assert [s.title for s in briefing.sections] == [
        "Was geschah",
        "Chronologie",
        "Positionen der Beteiligten",
        "Umstrittene Zahlen",
        "Offene Fragen / nicht bekannt",
    ]
    texts = {
        name: (indexed.corpus_dir / name).read_text(encoding="utf-8") for name in {c.source for c in briefing.citations}
    }
    quotes: dict[int, list[str]] = {}
    for citation in briefing.citations:
        assert texts[citation.source][citation.start : citation.end] == citation.quote
        quotes.setdefault(citation.n, []).append(citation.quote)
    assert all(briefing.section(key).sentences for key in ("what", "positions", "figures", "open"))
    for sentence in _sentences(briefing):
        assert sentence.citations and set(sentence.citations) <= set(quotes)
        cited = set().union(*(numbers(q) for n in sentence.citations for q in quotes[n]))
        assert numbers(sentence.text) <= cited, sentence.text

    rows = {(f.number, f.claimant) for f in briefing.figures}
    assert ("874", "Behörden in Bergkarabach") in rows and ("5000", "Wladimir Putin") in rows
    assert ("63", "Aserbaidschanische Seite") in rows and (None, "Aserbaidschanische Seite") in rows
    assert "30000" not in {f.number for f in briefing.figures}  # the 1990s war is another matter
    (row_874,) = [f for f in briefing.figures if f.number == "874"]
    assert {c.source for c in briefing.citations if c.n in row_874.citations} == WIRE  # both copies cited

    data = briefing.to_json()
    assert data["sources"]["articles"] == 3 and data["sources"]["independent"] == 2
    assert [set(s["files"]) for s in data["sources"]["stories"] if s["wire_copy"]] == [WIRE]
    markdown = briefing.to_markdown()
    for phrase in ("Merkliste", "SPIEGEL-Konto", "Jetzt registrieren"):
        assert phrase not in markdown
    for sentence in _sentences(briefing):
        assert sentence.text in markdown
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_one_sided_terms_never_in_the_briefings_own_voice(indexed):
    briefing = _brief(indexed)
    markdown = briefing.to_markdown()
    assert "besetzten Gebiete" not in markdown
    for sentence in _sentences(briefing):
        for match in re.finditer(r"Okkupation", sentence.text):
            before = sentence.text[: match.start()]
            assert sentence.speaker and before.rfind("„") > before.rfind("“")
    quote = ("„", "“")
    assert neutral("Armenien ignorierte die Aufrufe, die besetzten Gebiete zu räumen.", None, quote)[0] is None
    speaker = Assistant  # any truthy stand-in: attribution is what matters here
    text, _ = neutral("Armenien wolle an der illegalen Okkupation festhalten.", speaker, quote)
    assert text == "Armenien wolle an der „illegalen Okkupation“ festhalten."


def test_only_faithful_shortenings_of_the_model_are_printed(indexed):
    source = (
        "Im Konflikt um die Südkaukasus-Region Berg-Karabach haben die verfeindeten Nachbarstaaten Armenien und "
        "Aserbaidschan in Moskau direkte Gespräche aufgenommen."
    )
    short = "Im Konflikt um Berg-Karabach haben Armenien und Aserbaidschan in Moskau direkte Gespräche aufgenommen."
    llm = RuleLLM(shorten=lambda s: short if s == source else "Moskau lud alle Seiten ein.")
    briefing = _brief(indexed.model_copy(update={"brief_shorten_above": 6}), llm=llm)
    asked = [re.search(r"Sentence: (.*)\nShort:", c[-1]["content"], re.S).group(1) for c in llm.calls]
    assert source in asked
    printed = {s.text: s for s in _sentences(briefing)}
    assert short in printed and printed[short].origin == "model" and source not in printed
    assert printed[short].copied == 1.0  # a pure deletion: every trigram it has is in the source
    assert all("Moskau lud" not in s.text for s in _sentences(briefing))
    assert briefing.rejected and all("lud" in r.reason or "changed" in r.reason for r in briefing.rejected)
    assert briefing.stats["model_calls"] == len(llm.calls)

    source = "Ziel ist nach Kreml-Angaben ein Ende der Kämpfe."
    assert "'nach'" in cut_problem("Ziel ist Kreml-Angaben ein Ende der Kämpfe.", source, None)
    source = "Putin schloss eine Änderung nicht aus, sagte man heute."
    assert "nicht" in cut_problem("Putin schloss eine Änderung aus.", source, None)
    assert "40" in cut_problem("Es starben 40 Menschen.", "Es starben bis heute 30 Menschen in der Stadt.", None)
    assert cut_problem("Es starben 30 Menschen.", "Es starben bis heute 30 Menschen in der Stadt.", None) is None


def test_english_briefing_checks_translations_and_shows_the_original(indexed):
    tampered = RuleLLM(translate=lambda t: re.sub(r"\d+", "9", into_english(t)))
    briefing = _brief(indexed, llm=tampered, language="en")
    assert [s.title for s in briefing.sections] == [
        "What happened",
        "Chronology",
        "Positions of the parties",
        "Disputed figures",
        "Open questions / not known",
    ]
    markdown = briefing.to_markdown()
    assert briefing.translated and "Translations are by the small local model" in markdown
    for sentence in _sentences(briefing):
        if sentence.origin == "model":
            assert sentence.original and numbers(sentence.text) == numbers(sentence.original)
    assert any("numbers" in r.reason for r in briefing.rejected)
    # A fact whose translation changed its numbers stays, in its own words and marked as such.
    untranslated = [s for s in _sentences(briefing) if s.origin == "untranslated"]
    assert untranslated and all(re.search(r"\d", s.text) and "9" not in numbers(s.text) for s in untranslated)
    assert "_(not translated)_" in markdown and "stands in its own language" in markdown
    assert "9" not in {f.number for f in briefing.figures}  # figures never go through the model


def test_a_translation_keeps_the_numbers_in_its_own_style_and_the_negation():
    embedder = HashingEmbedder()

    def problem(translation: str, source: str, language: str = "en", source_language: str = "de") -> str | None:
        return translation_problem(translation, source, embedder, language=language, source_language=source_language)

    assert problem("1,894 people were evacuated.", "1894 Menschen wurden evakuiert.") != (
        "the translation changed the numbers"
    )
    assert problem("1,984 people.", "1894 Menschen.") == "the translation changed the numbers"
    assert problem("Nobody was hurt.", "Alle wurden verletzt.") == "the translation lost or added a negation"
    # A number in words counts too, where the translation gives one its source does not state.
    assert problem("Sechs Tage nach der Offensive.", "Nine days after the offensive.", "de", "en") == (
        "the translation changed the numbers"
    )
    assert problem("Neun Tage nach der Offensive.", "Nine days after the offensive.", "de", "en") != (
        "the translation changed the numbers"
    )
    assert problem("An den beiden Tagen davor.", "On the two days before.", "de", "en") != (
        "the translation changed the numbers"
    )
    # Asked for German, the small model at times writes English; a German name in it does not make it German.
    english = "The Weißhelme, which work in the north-west, said that 2274 people had died."
    assert problem(english, "Les Casques blancs ont fait état de 2274 morts.", "de", "fr") == (
        "the translation is not in German"
    )
    assert written_in(english, "en") and not written_in(english, "de")
    assert written_in("Er kündigte an, umgehend politische Beratungen aufzunehmen.", "de")
    assert written_in("La veille, Martin Griffiths s'était rendu à Bab al-Hawa.", "fr")
    # One country for another changes whose side a statement is on; one renamed or only added does not.
    source = "Medios de Estados Unidos y Alemania apuntaron a un grupo proucraniano."
    assert problem("Media in the US and Germany pointed to a pro-Russian group.", source, "en", "es") == (
        "the translation names russia for ukraine"
    )
    assert problem("Media in the US and Germany pointed to a pro-Ukrainian group.", source, "en", "es") != (
        "the translation names russia for ukraine"
    )
    assert countries_named("Moskau wirft Kiew vor, den Damm gesprengt zu haben.") == {"russia", "ukraine"}
    assert countries_named("Der russische Präsident sprach mit Erdoğan.") == {"russia"}


def test_topic_picks_the_articles_about_it(indexed):
    briefing = _brief(indexed, topic="Stoltenberg Nato Türkei Einfluss")
    files = {f for story in briefing.stories for f in story.files}
    assert files and files <= WIRE
    assert briefing.topic and briefing.to_markdown().startswith("# Briefing: Stoltenberg")
    with pytest.raises(AssistantError, match="no indexed article is about"):
        _brief(indexed, topic="Fußballweltmeisterschaft Endspiel Elfmeter")


def test_a_topic_naming_a_year_leaves_out_what_is_about_other_years(tmp_path):
    _, settings = indexed_articles(
        tmp_path,
        {
            "deal-2020.txt": "Hafenstadt einigt sich auf Waffenruhe\n\nStand: 10.11.2020\n\n"
            "Die Waffenruhe in der Hafenstadt gilt seit Dienstag, teilte die Stadtverwaltung mit. "
            "Die Fähren sollen den Betrieb wieder aufnehmen. Am Montag meldete die Polizei 30 Verletzte. "
            "Die Stadtverwaltung zählt 12 Verletzte.\n",
            "offensive-2023.txt": "Neue Kämpfe um die Hafenstadt\n\nStand: 20.09.2023\n\n"
            "Die Waffenruhe in der Hafenstadt ist am Dienstag gebrochen worden, teilte die Stadtverwaltung mit. "
            "Die Waffenruhe war im November 2020 vereinbart worden.\n",
        },
    )
    briefing = _brief(settings, topic="Die Waffenruhe in der Hafenstadt im November 2020")
    told = " ".join(s.text for s in _sentences(briefing))
    assert "seit Dienstag" in told
    assert "im November 2020 vereinbart" in told  # a later article, where it speaks of the year asked
    assert "gebrochen" not in told
    # Each figure with the day it is given for, where its sentence names one, and its article's date.
    assert {(f.number, f.as_of, f.published) for f in briefing.figures} == {
        ("30", "2020-11-09", "2020-11-10"),
        ("12", None, "2020-11-10"),
    }
    assert "| Verletzte | 30 | Polizei | 9. November 2020 | 10. November 2020 |" in briefing.to_markdown()
    with pytest.raises(AssistantError, match="no indexed article speaks of 1999"):
        _brief(settings, topic="Die Waffenruhe in der Hafenstadt 1999")


def test_a_remark_leaning_on_a_partys_words_is_not_put_under_that_party(tmp_path):
    assistant, _ = indexed_articles(
        tmp_path,
        {
            "leitung.txt": "Streit um die Leitung\n\nDer Reporter Jon Berger behauptet, Taucher hätten die Leitung "
            "gesprengt. Er stützt sich auf eine einzige anonyme Quelle. Die Regierung wies den Vorwurf zurück. "
            "Die Leitung liegt seit Monaten still.\n"
        },
    )
    positions = assistant.brief().section("positions").sentences
    assert any("Taucher" in s.text for s in positions)
    assert all(s.speaker for s in positions) and not any("anonyme Quelle" in s.text for s in positions)


def test_bad_language_and_stale_index_are_clear_errors(indexed):
    with pytest.raises(AssistantError, match="de or en"):
        _brief(indexed, language="fr")
    changed = indexed.corpus_dir / "000_0387e041e845605f.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nNeuer Absatz.\n", encoding="utf-8")
    with pytest.raises(AssistantError, match="run `assistant index`"):
        _brief(indexed)


def test_progress_is_reported_in_order(indexed):
    seen = []
    _brief(indexed, progress=lambda stage, fraction: seen.append((stage, fraction)))
    fractions = [f for _, f in seen]
    assert seen[0] == ("reading", 0.0) and seen[-1] == ("done", 1.0)
    assert fractions == sorted(fractions) and "writing" in {s for s, _ in seen}


@pytest.mark.parametrize(
    "args, message",
    [
        (["brief"], "run `assistant index`"),
        (["brief", "--out", "{tmp}/no/such/folder/b.md"], "its folder does not exist"),
        (["brief", "--lang", "fr"], "invalid choice"),
    ],
)
def test_cli_brief_errors_are_one_line_exit_2(tmp_path, args, message):
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(tmp_path / "no-index")}
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *[a.format(tmp=tmp_path) for a in args]],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 2 and message in result.stderr and result.stdout == ""
    assert not (tmp_path / "no-index").exists()


def test_speakers_in_appositions_after_adverbials_and_in_french_and_spanish():
    found = find_speakers(
        [
            "Vladimir Leontyev, the Moscow-appointed mayor of Nova Kakhovka, told Russian state television the town was flooded.",
            "By Monday evening AFAD said 2,316 people had been killed.",
            "Most had arrived on the two previous days, he said.",
            "Der Besatzungschef von Nowa Kachowka, Wladimir Leontjew, sagte, sieben Anwohner würden vermisst.",
            "Drei Zivilisten seien getötet und zehn verletzt worden, darunter zwei Polizisten, teilte die Polizei mit.",
            "Le ministère syrien de la Santé a annoncé mardi un bilan de 1 414 morts.",
            "Selon Nazeli Baghdassarian, porte-parole du Premier ministre, 100 417 personnes sont arrivées.",
            "Am Dienstag, dem 6. Juni, sagte der Gouverneur nichts.",
        ]
    )
    assert [s.key if s else None for s in found] == [
        "leontyev",
        "afad",
        "afad",
        "leontjew",
        "polizei",
        "ministère syrien de la santé",
        "baghdassarian",
        None,
    ]


def test_a_day_of_month_is_never_a_count():
    sentences = [
        "Bei dem Beben am 6. Februar starben 50 Menschen.",
        "Am 27. September 2020 starben viele.",
        "Es gab 2000 Tote.",
    ]
    assert [(m.sentence, m.value) for m in find_mentions(sentences, [None] * 3, [0] * 3)] == [(0, "50"), (2, "2000")]


def test_an_age_or_an_ordinal_is_no_count_and_rescues_are_counted():
    sentences = [
        "Rescuers pulled a 45-year-old man alive from the ruins 278 hours after the quake.",
        "A 14-year-old boy was rescued at the 260th hour.",
        "Ein 45-jähriger Mann wurde getötet, 12 weitere starben.",
        "The White Helmets said their teams had pulled 2,950 people out alive.",
    ]
    found = find_mentions(sentences, [None] * 4, [0] * 4)
    assert [(m.sentence, m.measure, m.value) for m in found] == [(2, "killed", "12"), (3, "rescued", "2950")]


def test_people_are_counted_in_whole_numbers_or_with_a_scale_word():
    sentences = [
        "A magnitude 7.6 quake near Izmit killed more than 17,000 people.",
        "Nach UN-Angaben wurden 1,2 Millionen Menschen vertrieben.",
    ]
    found = find_mentions(sentences, [None] * 2, [0] * 2)
    assert [(m.sentence, m.measure, m.value) for m in found] == [(0, "killed", "17000"), (1, "displaced", "1.2")]


def test_speakers_of_institutions_roles_with_names_and_past_perfect():
    found = find_speakers(
        [
            "According to the regional prosecutor, Maria Fontaine, 14 people were detained.",
            "Wie die Deutsche Bahn am Montag mitteilte, fallen 300 Züge aus.",
            "Die Innenministerin Nancy Faeser hatte am Vortag von einem Angriff gesprochen.",
            "Am Dienstag hatten die Gesundheitsbehörden der Region 20 Tote gemeldet.",
            "The Met Office on Tuesday put the rainfall at 80 millimetres.",
            "On Friday Scholz had given a different figure.",
            "Die Zahl der Toten stieg am Abend auf 12.",
        ]
    )
    assert [s.key if s else None for s in found] == [
        "fontaine",
        "deutsche bahn",
        "faeser",
        "gesundheitsbehörden",
        "met office",
        "scholz",
        None,
    ]


def test_the_organisation_is_the_one_named_before_not_one_called_organisation():
    found = find_speakers(
        [
            "Die Umweltorganisation Greenpeace teilte mit, das Leck sei groß.",
            "Nach Angaben der Organisation entweichen 30 Millionen Tonnen.",
            "Selon le ministère, 12 millions d'euros ont été versés.",
        ]
    )
    assert [s.key if s else None for s in found] == ["umweltorganisation greenpeace"] * 2 + [None]
    assert speaker_for("Organisation") is None and speaker_for("Umweltministerium").key == "umweltministerium"


def test_speakers_after_an_opening_clause_by_their_side_and_as_it():
    found = find_speakers(
        [
            "Intervenant depuis Ankara, le président turc Recep Tayyip Erdogan a estimé que 50 000 bâtiments étaient touchés.",
            "In the rebel-held north-west, the White Helmets rescue group said at least 380 people had died.",
            "Nach armenischen Angaben wurden mehr als 200 Menschen getötet.",
            "The Russian defence ministry said a convoy had come under fire.",
            "It did not say how many soldiers died.",
            "On Tuesday night he had still given a figure of 27 dead.",
        ]
    )
    assert [s.key if s else None for s in found] == [
        "erdogan",
        "white helmets rescue group",
        "armenische seite",
        "russian defence ministry",
        "russian defence ministry",
        "erdogan",
    ]


def test_a_german_role_noun_before_the_name_is_no_part_of_it():
    found = find_speakers(
        [
            "Der ukrainische Innenminister Ihor Klymenko sagte, 1894 Menschen seien evakuiert worden.",
            "Das ukrainische Umweltministerium teilte mit, 72 Prozent des Wassers seien abgeflossen.",
        ]
    )
    assert [(s.label, s.person) for s in found] == [
        ("Ihor Klymenko", True),
        ("Ukrainische Umweltministerium", False),
    ]


def test_a_proposed_role_without_a_name_is_no_party_of_its_own():
    # "Der Kremlchef drängte ..." is Putin's, which the rules resolve from the sentences before; read alone, the
    # model's "Kremlchef" would make a party of the title.
    assert speaker_for("Kremlchef") is None and speaker_for("der russische Präsident") is None
    assert speaker_for("Der Kremlchef, Wladimir Putin").label == "Wladimir Putin"
    assert speaker_for("Umweltministerium").key == "umweltministerium"


def test_an_institution_or_an_unnamed_spokesman_is_no_person_named_before():
    found = find_speakers(
        [
            "Putin sagte, die Lage sei ernst.",
            "Das ukrainische Umweltministerium teilte mit, 72 Prozent des Wassers seien abgeflossen.",
            "Nach Angaben eines Sprechers des Außenministeriums sagte Alijew eine Mission zu.",
        ]
    )
    assert [s.key if s else None for s in found][:2] == ["putin", "ukrainische umweltministerium"]
    assert found[2] is None or found[2].key != "putin"


def test_speakers_by_source_phrase_clitic_apposition_and_romance_names():
    found = find_speakers(
        [
            "Nach einer ersten Schätzung der Weltbank beträgt der Schaden 34 Milliarden Dollar.",
            "Nach Angaben eines Sprechers des Innenministeriums wurden 12 Menschen festgenommen.",
            "Die Zahl der Opfer steige, teilte die Sonderbeauftragte der Vereinten Nationen, Maria Lopez, mit.",
            "Dans le sud, les Casques bleus font état de 40 blessés.",
            "La Suisse lui demande de libérer les otages.",
            "The interior ministry in Ankara, quoted by the state agency Anadolu, reported 300 arrests.",
            "Nine opposition parties had already called for new elections.",
        ]
    )
    assert [s.label if s else None for s in found] == [
        "Weltbank",
        "Sprechers des Innenministeriums",
        "Maria Lopez",
        "Casques bleus",
        "Suisse",
        "Interior ministry in Ankara",
        "Nine opposition parties",
    ]


def test_missing_people_are_a_measure_of_their_own():
    sentence = "Moscow-installed officials put the number of dead at 12, with 30 people missing and 40 injured."
    found = find_mentions([sentence], [None], [0])
    assert [(m.measure, m.value) for m in found] == [("killed", "12"), ("missing", "30"), ("wounded", "40")]


def test_speakers_by_their_acronym_by_a_figure_they_computed_and_by_konjunktiv_ii():
    found = find_speakers(
        [
            "The Office for Coastal Safety and Rescue (OCSR) said 40 boats had been lost.",
            "Der Verband der Reeder hatte bereits im März einen Schaden von 12,5 Millionen Euro errechnet.",
            "Die Regierung wies den Bericht zurück.",
            "Innenminister Peter Vogel sagte, die Lage sei ernst.",
            "Zwölf Menschen würden noch vermisst.",
            "Die vom Hafenamt in der Stadt eingesetzten Helfer der Küstenwache sprachen von drei Toten, zwei seien Kinder.",
        ]
    )
    assert [s.key if s else None for s in found] == [
        "ocsr",
        "verband der reeder",
        "regierung",
        "vogel",
        "vogel",
        None,
    ]


def test_speakers_named_at_the_end_of_a_sentence_and_after_hiess_es():
    found = find_speakers(
        [
            "The largest crack measured 40 metres across, the armed forces said on Friday.",
            "Rescuers pulled two men alive from the ruins, the country's interior minister said.",
            "The water rose by a metre, the city said.",
            "Der Damm sei gebrochen, hieß es am Freitag in einer Mitteilung der Hafenbehörde.",
            "Man werde helfen, hieß es aus dem Kreml.",
        ]
    )
    assert [s.key if s else None for s in found] == [
        "armed forces",
        "countrys interior minister",
        None,
        "hafenbehörde",
        "kreml",
    ]


def test_a_pronoun_an_institution_referred_back_to_a_dateline_and_ones_own_words():
    found = find_speakers(
        [
            "Bis Dienstag seien 2000 Menschen angekommen, teilte die Regierung mit.",
            "Zwölf Stunden zuvor hatte sie noch 1200 Ankömmlinge gezählt.",
            "El instituto noruego de sismología NORSAR informó de una explosión a las 2:54.",
            "Según el instituto, la magnitud se sitúa entre 1 y 2.",
            "Kiew/Cherson (dpa) - Staatspräsident Ivan Petrenko hat nach eigenen Worten aus dem Radio davon erfahren.",
            "Man habe ihn nicht gefragt, erklärte er.",
        ]
    )
    assert [s.key if s else None for s in found] == [
        "regierung",
        "regierung",
        "instituto noruego de sismología norsar",
        "instituto noruego de sismología norsar",
        "petrenko",
        "petrenko",
    ]


def test_a_claims_owner_an_added_remark_a_dropped_subject_and_a_subject_before_an_inserted_phrase():
    found = find_speakers(
        [
            "Noch höher greift eine Darstellung des Regionalen Krisenstabs.",
            "Allein in Dorfen seien 40 Menschen ertrunken, hieß es in einer Mitteilung vom Montag.",
            "Según el alcalde de la ciudad, Pablo Ruiz, el lunes había 12 barrios sin luz.",
            "En el centro se han evacuado 300 personas.",
            "En el puerto, añadió, hay otros 80 evacuados.",
            "Marta Lind, in a radio interview, welcomed the plan.",
            "The mayor had opposed it for months.",
            "She said the city would pay half.",
        ]
    )
    assert [s.key if s else None for s in found] == [
        None,
        "regionalen krisenstabs",
        "ruiz",
        "ruiz",
        "ruiz",
        None,
        None,
        "lind",
    ]


def test_an_added_remark_does_not_claim_a_sentence_that_has_its_own_speech():
    found = find_speakers(
        [
            "Según el alcalde de la ciudad, Pablo Ruiz, el lunes había 12 barrios sin luz.",
            "El gobierno dijo que faltan generadores.",
            "En el puerto, añadió, hay otros 80 evacuados.",
        ]
    )
    assert [s.key if s else None for s in found][:2] == ["ruiz", "gobierno"]

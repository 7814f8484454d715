"""The answer pipeline with a scripted LLM: citations, number checks and abstention are the application's."""

import pytest

from assistant.answer import (
    is_open_question,
    is_translated_question,
    language_problem,
    other_evidence,
    tidy_reply,
)
from assistant.api import Assistant
from assistant.errors import BadQuestionError
from assistant.settings import Settings
from assistant.spans import Passage, StoredChunk

from fakes import HashingEmbedder, ScriptedLLM


@pytest.fixture
def indexed(settings):
    Assistant(settings, embedder=HashingEmbedder()).index()
    return settings


def _ask(settings, question, *replies):
    llm = ScriptedLLM(*replies)
    answer = Assistant(settings, embedder=HashingEmbedder(), llm=llm).ask(question)
    return answer, llm


def test_supported_sentence_is_cited_by_the_application(indexed):
    answer, llm = _ask(
        indexed,
        "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?",
        "Laut den Behörden in Berg-Karabach wurden bislang 874 Soldaten getötet.",
    )
    assert not answer.abstained
    assert "874" in answer.answer and answer.answer.endswith("]")
    cited = {c.source for c in answer.citations if "874" in c.quote}
    assert cited == {"003_93abe25851774db3.txt", "004_dc163207c980f9d6.txt"}
    assert len(llm.calls) == 1 and "874" in llm.calls[0][-1]["content"]
    # A citation is an evidence sentence: an exact span inside a retrieved passage.
    for citation in answer.citations:
        assert any(
            r.source == citation.source and r.start <= citation.start and citation.end <= r.end
            for r in answer.retrieved
        )


def test_quotes_are_exact_file_passages(indexed):
    answer, _ = _ask(
        indexed,
        "Wie viele Zivilisten starben laut Aserbaidschan?",
        "Die aserbaidschanische Seite spricht von 63 getöteten Zivilisten.",
    )
    for citation in answer.citations:
        text = (indexed.corpus_dir / citation.source).read_text(encoding="utf-8")
        assert text[citation.start : citation.end] == citation.quote


def test_wrong_model_citation_is_replaced_and_invented_number_dropped(indexed):
    answer, _ = _ask(
        indexed,
        "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?",
        "Die Behörden in Berg-Karabach meldeten 874 getötete Soldaten [9]. Insgesamt starben 12345 Menschen [1].",
    )
    assert "12345" not in answer.answer and "[9]" not in answer.answer
    assert [d.text for d in answer.dropped] == ["Insgesamt starben 12345 Menschen."]
    assert "12345" in answer.dropped[0].reason


def test_model_saying_no_answer_is_an_abstention(indexed):
    answer, _ = _ask(indexed, "Wie viele Einwohner hat Berg-Karabach?", "NO_ANSWER")
    assert answer.abstained and answer.citations == []
    assert answer.answer == "Die vorliegenden Quellen beantworten diese Frage nicht."


def test_answer_from_own_knowledge_is_not_passed_on(indexed):
    # No evidence threshold: the model's answer itself must be caught. Its sentence cites nothing, so the best
    # evidence is what it was phrased from; with the sentence after it that leans on it, that counts the dead of a
    # war, and the question asks how many live there.
    settings = indexed.model_copy(update={"min_evidence": 0.0})
    answer, _ = _ask(settings, "How many people live in Berg-Karabach?", "About 150,000 people live in Berg-Karabach.")
    assert answer.abstained and answer.language == "en"
    assert answer.answer == "The sources provided do not answer this question."
    assert "150000" in answer.dropped[0].reason
    assert (
        answer.dropped[1].reason == "its source does not answer the question: it does not name what the question counts"
    )


def test_a_sentence_without_the_asked_count_does_not_stand_for_the_evidence_of_a_dropped_one(indexed):
    settings = indexed.model_copy(update={"min_evidence": 0.0})
    question = "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?"
    reply = "Bislang wurden 999 Soldaten getötet. Dies teilten die Behörden in Berg-Karabach mit. [1]"
    answer, _ = _ask(settings, question, reply)
    assert not answer.abstained and "874" in answer.answer and "999" not in answer.answer, answer.dropped
    assert any(d.reason.startswith("printed instead") for d in answer.dropped)


def test_a_wrong_sentence_without_a_mark_falls_back_to_the_best_evidence(indexed):
    settings = indexed.model_copy(update={"min_evidence": 0.0})
    question = "Wann veröffentlichte das russische Außenministerium ein Foto der Außenminister?"
    answer, _ = _ask(settings, question, "Das Außenministerium veröffentlichte das Foto am 20. Dezember 2026.")
    assert not answer.abstained and "2026" not in answer.answer, answer.dropped
    assert "20" in answer.dropped[0].reason and answer.dropped[1].reason.startswith("printed instead")
    assert "am Freitag" in answer.answer and answer.citations[0].quote in answer.answer


@pytest.mark.parametrize("question, message", [("   ", "empty"), ("Wort " * 500, "tokens long")])
def test_bad_questions_fail_before_any_model_call(indexed, question, message):
    llm = ScriptedLLM()
    with pytest.raises(BadQuestionError, match=message):
        Assistant(indexed, embedder=HashingEmbedder(), llm=llm).ask(question)
    assert llm.calls == []


def test_grounded_answer_to_another_question_is_an_abstention(indexed):
    llm = ScriptedLLM(
        "Die Behörden in Berg-Karabach teilten mit, dass bislang 874 Soldaten getötet worden seien.", verdict="NO"
    )
    answer = Assistant(indexed, embedder=HashingEmbedder(), llm=llm).ask(
        "Wie viele Soldaten wurden in Berg-Karabach ausgebildet?"
    )
    assert answer.abstained and answer.citations == []
    assert "874" in llm.checks[0][-1]["content"] and "ausgebildet" in llm.checks[0][-1]["content"]
    assert "does not answer the question" in answer.dropped[-1].reason


def test_a_mark_after_the_full_stop_still_names_the_evidence_to_fall_back_on(indexed):
    # "…2026. [1]": the sentence fails its number check; the mark standing alone after the full stop still says
    # which evidence the model meant, and that sentence is printed instead of a refusal.
    answer, llm = _ask(
        indexed,
        "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?",
        "Die Behörden in Berg-Karabach meldeten 9999 getötete Soldaten. [1]",
    )
    assert not answer.abstained and "9999" not in answer.answer
    assert "874" in answer.answer
    assert any("printed instead" in d.reason for d in answer.dropped)


def test_the_question_repeated_is_no_answer_and_its_evidence_is_printed_instead(indexed):
    question = "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?"
    answer, _ = _ask(indexed, question, question + " [1]")
    assert not answer.abstained and question not in answer.answer and "874" in answer.answer
    assert answer.dropped[0].reason == "a question, not an answer"


def test_no_yes_before_the_answer_to_an_open_question(indexed):
    answer, _ = _ask(
        indexed,
        "Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?",
        "Ja, laut den Behörden in Berg-Karabach wurden bislang 874 Soldaten getötet. [1]",
    )
    assert answer.answer.startswith("Laut den Behörden")


@pytest.mark.parametrize(
    "question, language, is_open",
    [
        ("Was the quake an aftershock?", "en", False),
        ("How many died?", "en", True),
        ("Schließt Putin eine Änderung aus?", "de", False),
        ("Worüber sprachen sie in Moskau?", "de", True),
        ("Combien de morts?", "fr", True),
    ],
)
def test_open_and_yes_no_questions(question, language, is_open):
    assert is_open_question(question, language) is is_open


@pytest.mark.parametrize(
    "reply, kept",
    [
        ("Wie viele Soldaten starben in Berg-Karabach?", True),
        ("Wie viele Soldaten starben 2020 in Berg-Karabach?", False),  # a number the question does not have
        ("In Berg-Karabach starben 874 Soldaten.", False),  # an answer, not a question
        ("NO_ANSWER", False),
        ("Wie viele Soldaten starben? [1]", False),
    ],
)
def test_a_translation_that_answers_is_not_searched(reply, kept):
    assert is_translated_question(reply, "How many soldiers died in Nagorno-Karabakh?") is kept


def test_relative_dates_are_resolved_against_the_articles_own_date_only(tmp_path):
    corpus = tmp_path / "articles"
    corpus.mkdir()
    dated = "Hilfe für Berg-Karabach\n\n28.09.2023, 10:15 Uhr\n\nAußenministerin Baerbock kündigte am Mittwoch in Berlin mehr Hilfe für das Rote Kreuz an.\n"
    (corpus / "dated.txt").write_text(dated, encoding="utf-8")
    (corpus / "undated.txt").write_text(
        "Am Mittwoch kündigte Ministerin Baerbock in Berlin weitere Hilfe für das Rote Kreuz an.\n", encoding="utf-8"
    )
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", min_evidence=0.0, _env_file=None)
    Assistant(settings, embedder=HashingEmbedder()).index()
    answer, llm = _ask(
        settings,
        "Wann kündigte Baerbock mehr Hilfe für das Rote Kreuz an?",
        "Baerbock kündigte die Hilfe am Mittwoch an.",
    )
    prompt = llm.calls[0][-1]["content"]
    assert "am Mittwoch (27. September 2023) in Berlin" in prompt  # the model reads the day it means
    assert "Am Mittwoch kündigte" in prompt and "Am Mittwoch (" not in prompt  # a file time is no date to count from
    assert not answer.abstained and "am Mittwoch (27. September 2023)" in answer.answer
    assert all("(27." not in c.quote for c in answer.citations)  # citations still quote the file exactly


def test_a_sentence_written_in_the_evidence_language_is_not_the_answer():
    mixed = "Kremlsprecher Dmitri Peskow nannte the Lage nahezu absurd: Einerseits werde Sabotage eingeräumt."
    assert language_problem(mixed, "en") == "it is written in German, the question in English"
    assert language_problem("Peskov called the situation almost absurd.", "en") is None
    assert language_problem("Ilham Aliyev.", "en") is None  # too short to tell


def test_the_numbers_of_a_question_asked_in_parts_are_not_figures_of_the_answer():
    question = "How large were the bubbles, and what did Denmark and Sweden say about the explosives?"
    reply = "(1) The largest measured a kilometre across. (2) Hundreds of kilos were used."
    assert tidy_reply(reply, question, "en") == "The largest measured a kilometre across. Hundreds of kilos were used."
    assert tidy_reply("It cost (2) lives.", "How many died?", "en") == "It cost (2) lives."


def test_when_every_phrasing_fails_the_evidence_that_answers_is_printed(indexed):
    # The model answers from a sentence that gives no count; among the closest evidence the one that names the
    # party asked about and what it counts is printed instead of a refusal.
    settings = indexed.model_copy(update={"confident_evidence": 0.0})
    answer, _ = _ask(settings, "Wie viele Zivilisten starben laut Aserbaidschan?", "Aserbaidschan äußerte sich nicht.")
    assert not answer.abstained and "63" in answer.answer, answer.dropped
    assert answer.dropped[-1].reason.endswith("the model phrased its answer from other evidence")


def test_other_evidence_goes_past_the_closest_sentences_that_the_code_turns_away(settings):
    # The three sentences closest to the question count nothing; the model's check is put to the fourth only.
    def passage(text: str, dense: float) -> Passage:
        location = StoredChunk("a.txt", 0, len(text), text, date="2023-02-21", date_from="text", language="de")
        return Passage(text, [location], score=dense, dense=dense, lexical=0.0)

    used = [
        passage("Das Beben in Hatay erschütterte die Region schwer.", 0.9),
        passage("Die Helfer in Hatay suchten weiter.", 0.89),
        passage("Hatay liegt im Süden der Türkei.", 0.87),
        passage("In Hatay starben sechs Menschen.", 0.6),
    ]
    llm = ScriptedLLM()
    prompts = Assistant(settings, embedder=HashingEmbedder(), llm=llm).answer_prompts()
    question = "Wie viele Menschen starben in Hatay?"
    assert other_evidence(question, used, set(), "de", settings, llm, prompts) == 3
    assert len(llm.checks) == 1


def test_no_other_evidence_is_printed_that_does_not_name_what_is_counted(indexed):
    settings = indexed.model_copy(update={"confident_evidence": 0.0})
    answer, _ = _ask(settings, "Wie viele Panzer hat Aserbaidschan verloren?", "Aserbaidschan äußerte sich nicht.")
    assert answer.abstained, answer.answer


def test_an_unsupported_sentence_without_a_mark_falls_back_to_the_evidence_that_has_its_numbers(indexed):
    # Words copied from another language leave the sentence unsupported; its number still says which evidence
    # the model phrased, and that one is printed, not the best evidence.
    settings = indexed.model_copy(update={"min_evidence": 0.0})
    answer, _ = _ask(
        settings, "Wie viele Zivilisten starben laut Aserbaidschan?", "Azerbaijan's side counted 63 civilians dead."
    )
    assert not answer.abstained and "63" in answer.answer, answer.dropped
    assert answer.dropped[0].reason == "no retrieved passage supports it"


MEDIATES_AND_INVITES = "Wer vermittelt in dem Konflikt, und wer lud zu den Gesprächen nach Moskau ein?"
MEDIATOR = "Im Konflikt um Bergkarabach hat sich Russland bislang erfolglos als Vermittler versucht. [5]"


def test_a_part_of_the_question_the_answer_leaves_out_gets_its_evidence_sentence(indexed):
    answer, llm = _ask(indexed, MEDIATES_AND_INVITES, MEDIATOR)
    assert answer.answer.startswith("Im Konflikt um Bergkarabach hat sich Russland")
    assert "in Moskau direkte Gespräche aufgenommen" in answer.answer, answer.dropped
    assert answer.dropped[-1].reason.startswith("added: quoted from its source; the answer left out the part")
    assert "lud zu den Gesprächen" in llm.checks[-1][-1]["content"]


def test_an_answer_citing_each_part_s_closest_evidence_gets_nothing_added(indexed):
    # [1] and [4] are the sentences closest to each part by the hashing embedder's reading.
    both = (
        "Putin setzt nun auch auf den Einfluss der USA zur friedlichen Lösung des Konflikts. [1] "
        "Armenien und Aserbaidschan haben in Moskau direkte Gespräche aufgenommen. [4]"
    )
    answer, _ = _ask(indexed, MEDIATES_AND_INVITES, both)
    assert answer.answer.startswith("Putin setzt nun") and answer.dropped == []

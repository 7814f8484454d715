"""Eval scoring on hand-made outputs: matching, retrieval metrics, citation checks, intervals, gates and the
baseline comparison. No model runs here."""

import math

import numpy as np
import pytest

from assistant.dates import publication_date
from assistant.evals.checks import (
    attribution_result,
    briefing_text,
    facts_shown,
    hits,
    missing_groups,
    retrieval_scores,
    score_briefing,
    score_question,
)
from assistant.evals.items import TAGS, Attribution, Briefing, EvalSetError, Question, load_evalset, read_corpus
from assistant.evals.metrics import aggregate, bootstrap, compare, hard_gates, tolerance, wilson
from assistant.evals.run import EVAL_CORPORA, EVALS_DIR
from assistant.language import detect

CORPUS = read_corpus(EVAL_CORPORA)
A, B, C = "000_0387e041e845605f.txt", "003_93abe25851774db3.txt", "004_dc163207c980f9d6.txt"


def _loc(source, snippet):
    start = CORPUS[source].index(snippet)
    return {"source": source, "start": start, "end": start + len(snippet)}


def _citation(n, source, snippet):
    loc = _loc(source, snippet)
    return {"n": n, **loc, "quote": snippet}


def _output(text, citations, passages, abstained=False, total_s=5.0):
    retrieved = [{**loc, "score": 0.1} for passage in passages for loc in passage]
    return {
        "answer": {
            "question": "q",
            "answer": text,
            "language": "de",
            "abstained": abstained,
            "citations": citations,
            "retrieved": retrieved,
            "model": "m.gguf",
            "prompt_version": "answer@1",
            "timings": {"retrieve_s": 0.1, "generate_s": total_s - 0.1, "total_s": total_s},
        },
        "passages": passages,
    }


SOLDIERS = "Die Behörden in Berg-Karabach teilten mit, dass bislang 874 Soldaten getötet worden seien."
SOLDIERS_B = SOLDIERS.replace("Berg-Karabach", "Bergkarabach")  # the other wire copy spells it so
ITEM = Question(
    id="soldiers",
    question="Wie viele Soldaten wurden laut den Behörden in Berg-Karabach getötet?",
    language="de",
    kind="fact",
    gold_sources=(B, C),
    gold_passages=(("bislang 874 Soldaten getötet",),),
    reference="874",
    must_include=(("874",),),
    must_not_include=("5000", "5.000"),
)
UNANSWERABLE = Question(
    id="az",
    question="Wie viele Soldaten hat Aserbaidschan verloren?",
    language="de",
    kind="unanswerable",
    gold_sources=(),
    gold_passages=(),
    reference="-",
    must_include=(),
    must_not_include=("874",),
    gap_statement=(("keine Todeszahlen", "nennt keine"),),
)


def _good():
    passages = [[_loc(B, SOLDIERS_B), _loc(C, SOLDIERS)], [_loc(A, "Dabei starben mehr als hundert Menschen.")]]
    citations = [_citation(1, B, SOLDIERS_B), _citation(1, C, SOLDIERS)]
    return _output("Laut den Behörden in Berg-Karabach wurden bislang 874 Soldaten getötet. [1]", citations, passages)


def test_variants_match_words_and_whole_numbers():
    assert missing_groups("Es starben 874 Soldaten und 5.000 Menschen.", (("874",), ("5000", "5.000"))) == []
    assert missing_groups("Krieg mit 30.000 Toten", (("30",),)) == ["30"]  # "30" is not inside "30.000"
    assert missing_groups("von Armeniern bewohnt", (("Armenier",),)) == []
    assert hits("Russia, France and the US", ["US", "France"]) == ["US", "France"]
    assert hits("it is used widely by Russia", ["US"]) == []  # acronyms match only as written, at a word start


def test_a_correct_cited_answer_passes_every_check():
    score = score_question(ITEM, _good(), CORPUS, k=5)
    assert score["passed"], score["failures"]
    assert score["retrieval"] == {
        "source_recall": 1.0,
        "passage_recall": 1.0,
        "rr": 1.0,
        "ndcg": 1.0,
        "first_relevant_rank": 1,
    }
    assert score["citations"] == {"total": 2, "problems": []}
    assert score["support"]["supported"] == 1 and score["numbers"] == {"total": 1, "missing": []}


def test_wrong_answer_bad_quote_and_unsupported_number_are_each_reported():
    output = _good()
    output["answer"]["answer"] = "Insgesamt starben fast 5000 Soldaten. [1] Das sagte Putin. [2]"
    output["answer"]["citations"][1]["quote"] = SOLDIERS.replace("874", "875")  # citation 1 in the other copy
    score = score_question(ITEM, output, CORPUS, k=5)
    assert not score["passed"]
    assert score["must_not_hits"] == ["5000"] and score["must_include"]["missing"] == ["874"]
    problems = score["citations"]["problems"]
    assert any("quote differs" in p for p in problems) and any(
        "[2] in the answer has no citation" in p for p in problems
    )
    assert score["numbers"]["missing"] == ["5000"]
    assert any("5000" in u for u in score["support"]["unsupported"])


def test_citation_outside_the_retrieved_passages_is_invalid():
    output = _good()
    output["answer"]["retrieved"] = output["answer"]["retrieved"][2:]
    problems = score_question(ITEM, output, CORPUS, k=5)["citations"]["problems"]
    assert len(problems) == 2 and all("not a retrieved passage" in p for p in problems)


def test_retrieval_ranks_by_passage_and_credits_each_gold_passage_once():
    hundred = [_loc(A, "Dabei starben mehr als hundert Menschen.")]
    soldiers = [_loc(B, SOLDIERS_B)]
    scores = retrieval_scores([hundred, soldiers, soldiers], (B, C), (("874 Soldaten",),), CORPUS, k=5)
    assert scores["rr"] == 0.5 and scores["first_relevant_rank"] == 2
    assert scores["ndcg"] == pytest.approx((1 / math.log2(3)) / 1.0)  # the repeat earns nothing
    assert scores["source_recall"] == 0.5 and scores["passage_recall"] == 1.0
    assert retrieval_scores([hundred], (), (), CORPUS, k=5) is None


def test_a_fact_is_shown_by_any_of_its_passages_and_a_date_line_by_its_article():
    soldiers, hundred = [_loc(B, SOLDIERS_B)], [_loc(A, "Dabei starben mehr als hundert Menschen.")]
    either = (("874 Soldaten", "hundert Menschen"),)
    assert facts_shown([hundred], either, CORPUS) == {"total": 1, "missing": []}
    both = (("874 Soldaten",), ("hundert Menschen",))
    assert facts_shown([hundred], both, CORPUS) == {"total": 2, "missing": ["874 Soldaten"]}
    assert retrieval_scores([hundred], (A, B), either, CORPUS, k=5)["passage_recall"] == 1.0
    # The article's date line is printed with every line shown from it; another file's date line is not shown.
    dated = next(name for name, text in CORPUS.items() if publication_date(text) and name.startswith("quake-02"))
    line = next(
        ln
        for ln in CORPUS[dated].splitlines()
        if ln.strip() and publication_date(ln) == publication_date(CORPUS[dated])
    )
    sentence = next(s for s in CORPUS[dated].splitlines() if "Erdogan" in s)
    assert facts_shown([[_loc(dated, sentence)]], ((line,),), CORPUS)["missing"] == []
    assert facts_shown([soldiers], ((line,),), CORPUS)["missing"] == [line]


def test_abstention_and_stated_gap_both_handle_an_unanswerable_question():
    abstained = _output("Die vorliegenden Quellen beantworten diese Frage nicht.", [], [], abstained=True)
    assert score_question(UNANSWERABLE, abstained, CORPUS, k=5)["abstention_ok"]
    gap = "Die aserbaidschanische Seite nennt keine Todeszahlen für das Militär. [1]"
    quote = "Die aserbaidschanische Seite spricht von 63 getöteten Zivilisten, nennt aber weiter keine Todeszahlen für das Militär."
    stated = _output(gap, [_citation(1, C, quote)], [[_loc(C, quote)]])
    assert score_question(UNANSWERABLE, stated, CORPUS, k=5)["abstention_ok"]
    wrong = _output(SOLDIERS + " [1]", [_citation(1, C, SOLDIERS)], [[_loc(C, SOLDIERS)]])
    score = score_question(UNANSWERABLE, wrong, CORPUS, k=5)
    assert not score["abstention_ok"] and "answered instead of abstaining" in score["failures"]


def test_empty_output_and_error_fail_the_hard_gate():
    empty = score_question(ITEM, _output("  ", [], []), CORPUS, k=5)
    failed = score_question(ITEM, {"error": "the question is empty"}, CORPUS, k=5)
    assert empty["empty"] and failed["failures"] == ["error: the question is empty"]
    gates = hard_gates(aggregate([score_question(ITEM, _good(), CORPUS, k=5), empty, failed]))
    assert gates == ["empty outputs: soldiers, soldiers"]


def test_invalid_citation_fails_the_hard_gate():
    output = _good()
    output["answer"]["citations"][0]["start"] += 1
    metrics = aggregate([score_question(ITEM, output, CORPUS, k=5)])
    assert metrics["citation_validity"]["value"] == 0.5
    assert any(g.startswith("citation_validity") for g in hard_gates(metrics))


def test_attribution_needs_the_speaker_near_the_claim():
    text = "Putin sagte am Donnerstag in Moskau etwas. Die Gesamtzahl nähere sich 5000.\nDie Behörden nennen 874 Tote."
    assert attribution_result(text, ["5000"], ["Putin"], ["Behörden"])["ok"]
    wrong = attribution_result("Die Behörden melden fast 5000 Tote.", ["5000"], ["Putin"], ["Behörden"])
    assert wrong["found"] and not wrong["attributed"] and wrong["misattributed"]
    both = attribution_result("Putin nennt 5000 Tote, die Behörden 874.", ["874"], ["Behörden"], ["Putin"])
    assert both["ok"]  # one sentence naming both sources is not a misattribution


def test_briefing_scored_on_its_own_sentences_and_table_not_the_evidence_quotes():
    item = Briefing(
        id="b",
        topic="Opferzahlen",
        language="de",
        gold_sources=(B, C),
        must_include=(("874",), ("63",)),
        must_not_include=("30.000 Soldaten",),
        attributions=(Attribution(("5000",), ("Putin",), ("Behörden",)), Attribution(("874",), ("Behörden",))),
    )
    quote = (
        SOLDIERS
        + " Zudem seien bereits mehr als 30 Zivilisten gestorben. Die aserbaidschanische Seite spricht von 63 getöteten Zivilisten"
    )
    data = {
        "sections": [
            {
                "key": "what",
                "title": "Was geschah",
                "sentences": [
                    {
                        "text": "Die Gesamtzahl auf beiden Seiten nähere sich bereits der 5000.",
                        "citations": [1],
                        "speaker": "Wladimir Putin",
                    },
                ],
            },
            {
                "key": "open",
                "title": "Offen",
                "sentences": [{"text": "Wie viele Menschen starben, ist unklar.", "citations": [2]}],
            },
        ],
        "figures": [
            {"counted": "getötete Soldaten", "value": "874", "claimant": "Behörden in Berg-Karabach", "citations": [1]}
        ],
        "citations": [{**_citation(1, C, quote)}, {**_citation(1, B, SOLDIERS_B)}],
    }
    score = score_briefing(item, {"briefing": {"markdown": "# Briefing", "json": data}, "seconds": 30.0}, CORPUS)
    assert score["must_include"]["missing"] == ["63"]  # 63 stands only in the evidence quotes, which do not count
    assert [a["ok"] for a in score["attributions"]] == [True, True]
    assert score["citations"] == {"total": 3, "problems": ["[2] is cited but has no citation"]}
    assert not score["passed"] and score["language_ok"]


def test_intervals():
    low, high = wilson(8, 10)
    assert 0.49 < low < 0.8 < high < 0.97
    assert wilson(10, 10)[1] == pytest.approx(1.0) and math.isnan(wilson(0, 0)[0])
    values = [0.0, 1.0, 1.0, 0.5, 1.0]
    assert bootstrap(values, np.mean, seed=3) == bootstrap(values, np.mean, seed=3)
    low, high = bootstrap(values, np.mean)
    assert low <= 0.7 <= high


def test_comparison_uses_the_shared_items_and_a_tolerance_of_one_item():
    good = score_question(ITEM, _good(), CORPUS, k=5)
    refused = score_question(
        ITEM, _output("Die vorliegenden Quellen beantworten diese Frage nicht.", [], [], abstained=True), CORPUS, k=5
    )
    baseline = {f"q{i}": {**good, "id": f"q{i}"} for i in range(20)}
    one_worse = [{**good, "id": f"q{i}"} for i in range(19)] + [{**refused, "id": "q19"}]
    assert compare(one_worse, baseline)["regressions"] == []  # 5% down: within tolerance
    four_worse = [{**good, "id": f"q{i}"} for i in range(16)] + [{**refused, "id": f"q{i}"} for i in range(16, 20)]
    regressions = compare(four_worse, baseline)["regressions"]
    assert any(r.startswith("must_include") for r in regressions) and any(
        r.startswith("false_abstention") for r in regressions
    )
    subset = compare([{**refused, "id": "q0"}, {**good, "id": "new"}], baseline)
    assert subset["items"] == 1 and subset["not_in_baseline"] == ["new"]
    assert tolerance(40) == 0.05 and tolerance(5) == 0.2


def test_the_committed_eval_set_is_complete_and_consistent():
    evalset = load_evalset(EVALS_DIR, CORPUS)
    questions = evalset.questions
    assert len(questions) >= 130 and len(evalset.briefings) >= 8
    assert sum(q.language == "en" for q in questions) >= len(questions) / 3
    assert {q.kind for q in questions} == {"fact", "multi_source", "unanswerable", "contested"}
    for source in (A, B, C):
        assert any(source in q.gold_sources for q in questions)
    # The development corpus: many articles, several stories and languages, adversarial items of every class.
    development = [name for name in CORPUS if name not in (A, B, C)]
    assert len(development) >= 40 and len({name.split("-")[0] for name in development}) >= 3
    assert {detect(CORPUS[name][:2000]) for name in development} >= {"de", "en", "fr", "es"}
    adversarial = [q for q in questions if set(q.tags) - {"cross_lingual"}]
    assert len(adversarial) >= 20 and {t for q in adversarial for t in q.tags} >= set(TAGS) - {"cross_lingual"}
    assert any({B, C} <= set(q.gold_sources) for q in questions)  # facts in both wire copies
    assert all(any(a.speaker for a in b.attributions) for b in evalset.briefings)
    ci = evalset.select("ci").questions
    assert 3 <= len(ci) <= 12 and sum(bool(set(q.tags) - {"cross_lingual"}) for q in ci) >= 4


def test_bad_eval_items_are_refused_with_the_line(tmp_path):
    line = (
        f'{{"id": "x", "question": "?", "language": "de", "kind": "fact", "gold_sources": ["{B}"], '
        '"gold_passages": ["not in the file"], "reference": "-", "must_include": [["a"]], "must_not_include": []}'
    )
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "x.jsonl").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(EvalSetError, match="questions/x.jsonl:1: gold passage 'not in the file'"):
        load_evalset(tmp_path, CORPUS)
    (tmp_path / "questions" / "x.jsonl").write_text(line.replace('"fact"', '"opinion"') + "\n", encoding="utf-8")
    with pytest.raises(EvalSetError, match="kind must be one of"):
        load_evalset(tmp_path, CORPUS)
    with pytest.raises(EvalSetError, match="no subset 'nope'"):
        load_evalset(EVALS_DIR, CORPUS).select("nope")


def test_a_briefing_tells_its_chronology_dates_as_printed_but_not_its_evidence_quotes():
    data = {
        "language": "de",
        "sections": [
            {"sentences": [{"text": "Der Damm brach.", "speaker": None, "date": "2023-06-06", "citations": [1]}]},
            {"sentences": [{"text": "Es gebe Tote.", "speaker": "Ihor Klymenko", "citations": [1]}]},
        ],
        "figures": [],
        "citations": [{"n": 1, "quote": "Am 7. Juni brach der Damm."}],
    }
    text = briefing_text(data)
    assert "6. Juni 2023: Der Damm brach." in text and "Ihor Klymenko: Es gebe Tote." in text
    assert missing_groups(text, [["7. Juni"]]) == ["7. Juni"]

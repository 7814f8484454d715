"""End to end with the real shipped models (Qwen2.5 1.5B GGUF, EmbeddingGemma), a real Chroma store and the
sample corpus. Seeded, greedy, and with a small answer budget. Every test runs twice: in this process (the default,
embedded backends) and through the real servers (llama-cpp-python's OpenAI-compatible server with the same model
file, a Chroma server), with the same expectations."""

import pytest

from conftest import real_assistant

pytestmark = pytest.mark.e2e

KARABAKH_FILES = {"003_93abe25851774db3.txt", "004_dc163207c980f9d6.txt"}


@pytest.fixture(scope="module", params=["in-process", "servers"])
def real(request, tmp_path_factory):
    servers = request.getfixturevalue("engine_servers") if request.param == "servers" else {}
    assistant, report = real_assistant(tmp_path_factory.mktemp("e2e"), max_answer_tokens=96, **servers)
    assert len(report.indexed) == 3 and report.embedded > 0
    return assistant


def _quotes(answer, files):
    return [c.quote for c in answer.citations if c.source in files]


def test_civilian_deaths_according_to_karabakh_authorities(real):
    answer = real.ask("Wie viele Zivilisten starben nach Angaben der Behörden in Berg-Karabach?")
    assert not answer.abstained
    assert answer.language == "de"
    assert "30" in answer.answer
    assert any("mehr als 30 Zivilisten" in quote for quote in _quotes(answer, KARABAKH_FILES))


def test_when_the_fighting_broke_out(real):
    answer = real.ask("Wann brachen die aktuellen Kämpfe aus?")
    assert not answer.abstained and answer.language == "de"
    assert "September" in answer.answer
    assert any("Ende September" in quote for quote in _quotes(answer, KARABAKH_FILES))


def test_russian_foreign_ministry_in_english(real):
    answer = real.ask("What did the Russian foreign ministry publish?")
    assert not answer.abstained
    assert answer.language == "en"
    assert "photo" in answer.answer.lower() or "picture" in answer.answer.lower()
    assert any("veröffentlichte am Freitag ein Foto" in q for q in _quotes(answer, {"000_0387e041e845605f.txt"}))


def test_soldiers_in_english_cites_both_wire_copies(real):
    answer = real.ask("How many soldiers were killed according to the authorities in Nagorno-Karabakh?")
    assert not answer.abstained and answer.language == "en"
    assert "874" in answer.answer
    assert {c.source for c in answer.citations if "874" in c.quote} == KARABAKH_FILES


def test_citations_point_only_at_retrieved_passages_and_exact_text(real):
    answer = real.ask("Wen sieht Armenien als seine Schutzmacht an?")
    assert "Russland" in answer.answer
    # A citation is an evidence sentence: an exact span inside a retrieved passage.
    for citation in answer.citations:
        assert any(
            r.source == citation.source and r.start <= citation.start and citation.end <= r.end
            for r in answer.retrieved
        )
        text = (real.settings.corpus_dir / citation.source).read_text(encoding="utf-8")
        assert text[citation.start : citation.end] == citation.quote


@pytest.mark.parametrize("question", ["Wie viele Einwohner hat Berg-Karabach?", "Who won the 2018 World Cup?"])
def test_questions_the_sources_cannot_answer(real, question):
    answer = real.ask(question)
    assert answer.abstained, answer.raw
    assert answer.citations == []


def test_reindex_embeds_nothing_then_follows_changes_and_deletions(real):
    again = real.index()
    assert again.embedded == 0 and again.chunks_added == 0 and len(again.unchanged) == 3

    folder = real.settings.corpus_dir
    (folder / "004_dc163207c980f9d6.txt").unlink()
    changed = folder / "000_0387e041e845605f.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nDie Delegationen vereinbarten ein weiteres Treffen in Genf.\n",
        encoding="utf-8",
    )
    report = real.index()
    assert report.removed_files == ["004_dc163207c980f9d6.txt"]
    assert report.indexed == ["000_0387e041e845605f.txt"]
    assert report.embedded == 1  # only the new paragraph
    sources = {c.source for c in real.store.all_chunks()}
    assert "004_dc163207c980f9d6.txt" not in sources
    answer = real.ask("Wo wollen sich die Delegationen erneut treffen?")
    assert "Genf" in answer.answer
    assert {c.source for c in answer.citations} == {"000_0387e041e845605f.txt"}

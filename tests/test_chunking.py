from assistant.chunking import chunk_article, split_sentences
from assistant.ingest import find_files, read_article
from assistant.settings import ROOT
from assistant.tokens import count_tokens


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_german_abbreviations_dates_and_quotes_do_not_split():
    text = (
        "Die Kämpfe begannen am 27. September, z.B. in Stepanakert. "
        "„Wir werden unser Land wiedererlangen“, sagte Alijew. Dr. Müller widersprach! Ist das so?"
    )
    assert _sentences(text) == [
        "Die Kämpfe begannen am 27. September, z.B. in Stepanakert.",
        "„Wir werden unser Land wiedererlangen“, sagte Alijew.",
        "Dr. Müller widersprach!",
        "Ist das so?",
    ]


def test_sentence_ending_in_a_closing_quote():
    text = 'Putin sagte: "Es gibt viele Verluste." Danach reiste er ab.'
    assert _sentences(text) == ['Putin sagte: "Es gibt viele Verluste."', "Danach reiste er ab."]


def test_a_sentence_opening_with_a_spaced_guillemet_or_an_accented_capital():
    text = (
        "L'agence avance le chiffre de 100 000 personnes. « Beaucoup ont faim », a écrit son chef. "
        "État et armée se sont retirés."
    )
    assert _sentences(text) == [
        "L'agence avance le chiffre de 100 000 personnes.",
        "« Beaucoup ont faim », a écrit son chef.",
        "État et armée se sont retirés.",
    ]


def test_a_count_that_ends_a_sentence_is_no_ordinal():
    text = (
        "Kiew zählt 21 Tote, die Besatzungsverwaltung 41. Eine Behörde sprach am 2. Juni zum 3. Mal. "
        "Las autoridades hablaban de 29. Según la administración, hubo más."
    )
    assert _sentences(text) == [
        "Kiew zählt 21 Tote, die Besatzungsverwaltung 41.",
        "Eine Behörde sprach am 2. Juni zum 3. Mal.",
        "Las autoridades hablaban de 29.",
        "Según la administración, hubo más.",
    ]


def test_chunks_are_bounded_exact_and_cover_all_kept_text():
    for path in find_files(ROOT / "articles"):
        article = read_article(path, 10**7)
        chunks = chunk_article(article, max_tokens=120, min_tokens=30)
        assert chunks
        for chunk in chunks:
            assert article.text[chunk.start : chunk.end] == chunk.text
            assert count_tokens(chunk.text) <= 120
            for removed in article.removed:
                assert removed.end <= chunk.start or removed.start >= chunk.end, (chunk.text, removed.text)
        covered = "".join(c.text for c in chunks)
        for segment in article.segments:
            for word in article.text[segment.start : segment.end].split():
                assert word in covered


def test_long_paragraph_splits_with_one_sentence_overlap():
    from pathlib import Path

    from assistant.ingest import clean

    sentences = [f"Satz Nummer {i} enthält einige Wörter über den Konflikt in der Region." for i in range(12)]
    article = clean("long.txt", Path("long.txt"), " ".join(sentences), "utf-8")
    chunks = chunk_article(article, max_tokens=60, min_tokens=10)
    assert len(chunks) > 2
    for first, second in zip(chunks, chunks[1:]):
        last_sentence = _sentences(first.text)[-1]
        assert second.text.startswith(last_sentence)


def test_ids_are_content_hashes():
    article = read_article(ROOT / "articles" / "000_0387e041e845605f.txt", 10**7)
    first = chunk_article(article, max_tokens=120, min_tokens=30)
    again = chunk_article(
        read_article(ROOT / "articles" / "000_0387e041e845605f.txt", 10**7), max_tokens=120, min_tokens=30
    )
    assert [c.id for c in first] == [c.id for c in again]
    assert len({c.id for c in first}) == len(first)


def test_a_subheading_is_a_sentence_of_its_own():
    text = (
        "Peacekeepers take up positions\n\nThe force, nearly 2,000 strong, moved in. It set up posts.\n## Next\nMore.\n"
    )
    found = [text[s.start : s.end] for s in split_sentences(text)]
    assert found == [
        "Peacekeepers take up positions",
        "The force, nearly 2,000 strong, moved in.",
        "It set up posts.",
        "## Next",
        "More.",
    ]

from pathlib import Path

from assistant.ingest import Article, Skipped, find_files, read_article
from assistant.settings import ROOT

CORPUS = ROOT / "articles"


def _read(name: str) -> Article:
    article = read_article(CORPUS / name, 10**7)
    assert isinstance(article, Article)
    return article


def _kept(article: Article) -> str:
    return "\n".join(article.text[s.start : s.end] for s in article.segments)


def test_spiegel_paywall_tail_caption_and_credit_are_removed():
    article = _read("003_93abe25851774db3.txt")
    kept = _kept(article)
    for boilerplate in (
        "Die Wiedergabe wurde unterbrochen",
        "Merkliste",
        "SPIEGEL-Konto",
        "Mehrfachnutzung",
        "Foto:",
        "Alexei Druzhinin",
        "mes/dpa/AFP",
        "Zu unseren Angeboten",
    ):
        assert boilerplate not in kept
    # The caption is gone, the same quote in the body text stays.
    assert not any(article.text[s.start : s.end].startswith("Wladimir Putin:") for s in article.segments)
    assert "Ich hoffe sehr, dass unsere amerikanischen Partner" in kept
    assert "874 Soldaten" in kept
    assert article.agencies == ["dpa", "afp"]
    reasons = {r.reason for r in article.removed}
    assert {"paywall/site tail", "photo credit", "repeated caption", "agency tag"} <= reasons


def test_rnd_video_line_is_removed_and_text_kept():
    article = _read("004_dc163207c980f9d6.txt")
    kept = _kept(article)
    assert "1:26 min" not in kept and "© RND" not in kept
    assert kept.startswith("Moskau. Im blutigen Konflikt")
    assert [r.reason for r in article.removed] == ["video player"]


def test_clean_article_loses_nothing():
    article = _read("000_0387e041e845605f.txt")
    assert article.removed == []
    assert _kept(article).replace("\n", "") == article.text.replace("\n", "").strip()


def test_segments_are_exact_offsets_into_the_file():
    for path in find_files(CORPUS):
        article = read_article(path, 10**7)
        original = path.read_text(encoding="utf-8")
        for segment in article.segments:
            assert original[segment.start : segment.end] == article.text[segment.start : segment.end]
            assert original[segment.start : segment.end].strip() == original[segment.start : segment.end]


def test_bad_files_are_skipped_with_a_reason(tmp_path: Path):
    (tmp_path / "empty.txt").write_text("  \n\n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG" * 100)
    (tmp_path / "big.md").write_text("Wort " * 1000)
    (tmp_path / "latin.txt").write_bytes("Die Behörden in Berg-Karabach äußerten sich.".encode("cp1252"))
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    results = {p.name: read_article(p, 2000) for p in find_files(tmp_path)}
    assert set(results) == {"empty.txt", "binary.txt", "big.md", "latin.txt"}
    assert results["empty.txt"].reason == "empty file"
    assert "binary" in results["binary.txt"].reason
    assert "too large" in results["big.md"].reason
    latin = results["latin.txt"]
    assert isinstance(latin, Article) and latin.encoding == "cp1252" and "Behörden" in latin.text
    assert not isinstance(results["empty.txt"], Article) and isinstance(results["empty.txt"], Skipped)

from assistant.text import containment, numbers, shingles, spelled_numbers


def test_numbers_normalise_thousands_separators():
    assert numbers("knapp 5.000 Tote, 874 Soldaten, 30.000 im Krieg") == {"5000", "874", "30000"}
    assert numbers("close to 5,000 dead and 1,5 Prozent") == {"5000", "1.5"}
    assert numbers("Video 1:26 min") == {"1", "26"}


def test_numbers_in_words_count_in_compounds_of_one_number():
    assert spelled_numbers("Hajiyev described the ten-day extension as a gesture.", "en") == {"10"}
    assert spelled_numbers("soixante-dix personnes", "fr") == {"70"}
    # "vingt-deux" is 22, not the 20 of its first part.
    assert spelled_numbers("vingt-deux personnes", "fr") == set()


def test_wire_copy_paragraphs_are_near_duplicates():
    a = "Die Behörden in Bergkarabach teilten mit, dass bislang 874 Soldaten getötet worden seien."
    b = "Die Behörden in Berg-Karabach teilten mit, dass bislang 874 Soldaten getötet worden seien."
    c = "Putin setzt nun auch auf den Einfluss der USA zur friedlichen Lösung des Konflikts."
    assert containment(shingles(a), shingles(b)) > 0.6
    assert containment(shingles(a), shingles(c)) == 0.0


def test_the_two_wire_copies_are_one_story_and_the_third_is_not():
    from assistant.clusters import cluster_articles
    from assistant.ingest import find_files, read_article
    from assistant.settings import ROOT

    articles = [read_article(p, 10**7) for p in find_files(ROOT / "articles")]
    clusters = cluster_articles(articles)
    assert [c.sources for c in clusters] == [
        ("000_0387e041e845605f.txt",),
        ("003_93abe25851774db3.txt", "004_dc163207c980f9d6.txt"),
    ]
    assert clusters[1].is_wire_copy and clusters[1].similarity > 0.5

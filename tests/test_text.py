from assistant.text import containment, numbers, shingles


def test_numbers_normalise_thousands_separators():
    assert numbers("knapp 5.000 Tote, 874 Soldaten, 30.000 im Krieg") == {"5000", "874", "30000"}
    assert numbers("close to 5,000 dead and 1,5 Prozent") == {"5000", "1.5"}
    assert numbers("Video 1:26 min") == {"1", "26"}


def test_wire_copy_paragraphs_are_near_duplicates():
    a = "Die Behörden in Bergkarabach teilten mit, dass bislang 874 Soldaten getötet worden seien."
    b = "Die Behörden in Berg-Karabach teilten mit, dass bislang 874 Soldaten getötet worden seien."
    c = "Putin setzt nun auch auf den Einfluss der USA zur friedlichen Lösung des Konflikts."
    assert containment(shingles(a), shingles(b)) > 0.6
    assert containment(shingles(a), shingles(c)) == 0.0

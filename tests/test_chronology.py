"""The chronology: dated events in the order they happened, each cited, one date (and one year) per entry."""

from datetime import date

from assistant.briefing.chronology import sentence_date

from fakes import indexed_articles

MONDAY = date(2023, 6, 12)


def test_a_sentence_has_one_event_date_or_none():
    assert sentence_date("Am 27. September 2020 brachen die Kämpfe aus.", MONDAY).iso() == "2020-09-27"
    assert sentence_date("Klymenko sagte am Freitag, das Wasser sinke.", MONDAY).iso() == "2023-06-09"
    assert sentence_date("Die Stadt wurde gestern evakuiert.", MONDAY).iso() == "2023-06-11"
    assert sentence_date("Russische Truppen nahmen das Kraftwerk im Februar 2022 ein.", MONDAY).iso() == "2022-02"
    assert sentence_date("Im Jahr 2016 gab es schwere Kämpfe.", MONDAY).iso() == "2016"
    assert sentence_date("Bislang habe es 2000 Todesopfer gegeben.", MONDAY) is None  # a count, not a year
    assert sentence_date("Der Damm wurde ab 1950 errichtet; 1956 ging das Kraftwerk in Betrieb.", MONDAY) is None
    assert sentence_date("Der Krieg von 2020 endete, der von 2023 begann am 19. September.", MONDAY) is None
    assert sentence_date("Klymenko sagte am Freitag, das Wasser sinke.", None) is None  # no article date


def test_the_briefing_lists_events_by_their_date_each_cited(tmp_path):
    assistant, _ = indexed_articles(
        tmp_path,
        {
            "later.md": "---\ndate: 2023-06-12\n---\n# Flut am Dnipro\n\n"
            "Am Freitag erreichte das Wasser in Cherson nach Angaben der Behörden seinen höchsten Stand seit Jahren. "
            "Der Staudamm war am 6. Juni 2023 gebrochen, woraufhin tausende Menschen ihre Häuser verlassen mussten.\n\n"
            "Die Evakuierung von mehr als 3000 Menschen dauert nach Angaben der Behörden weiterhin an.\n",
            "earlier.txt": "Kraftwerk im Süden\n\nRussische Truppen hatten das Kraftwerk bereits im Februar 2022 "
            "eingenommen und seitdem besetzt gehalten. Der Damm wurde ab 1950 errichtet; 1956 ging das Kraftwerk in "
            "Betrieb und versorgte die Region mit Strom.\n",
        },
    )
    briefing = assistant.brief()
    entries = briefing.section("chronology").sentences
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    assert {"2022-02", "2023-06-06", "2023-06-09"} <= {e.date for e in entries}
    assert not any("1956" in e.text for e in entries)  # two years: no entry
    quotes = {c.n: c.quote for c in briefing.citations}
    for entry in entries:
        assert entry.citations and " ".join(entry.text.split()[:4]) in " ".join(quotes[entry.citations[0]].split())
    markdown = briefing.to_markdown()
    assert "## Chronologie" in markdown and "- **6. Juni 2023**: " in markdown and "- **Februar 2022**: " in markdown

"""Dates as the articles print them, in four languages, and relative dates resolved against the article's date."""

from datetime import date

import pytest

from assistant.dates import (
    about_other_years,
    asked_years,
    asks_about_now,
    date_spans,
    dated_years,
    find_dates,
    front_matter_end,
    publication_date,
    spell_date,
    stated_years,
    with_resolved_dates,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Stand: 24.09.2023, 14:32 Uhr", date(2023, 9, 24)),
        ("Published 10 November 2020, 09:12 GMT", date(2020, 11, 10)),
        ("Mis à jour le 21/09/2023", date(2023, 9, 21)),
        ("7. Juni 2023 um 18:05", date(2023, 6, 7)),
        ("Madrid, 7 de junio de 2023", date(2023, 6, 7)),
        ("June 7, 2023", date(2023, 6, 7)),
        ("---\ntitle: X\ndate: 2023-06-07\n---\nHeadline on 1 May 2020", date(2023, 6, 7)),
        ("A headline without any date", None),
    ],
)
def test_publication_dates(text, expected):
    assert publication_date(text) == expected


def test_relative_dates_resolve_against_the_article():
    monday = date(2023, 9, 25)
    friday, yesterday, day_month = (find_dates(t)[0] for t in ("am Freitag", "yesterday", "le 27 septembre"))
    assert friday.resolve(monday) == date(2023, 9, 22)
    assert yesterday.resolve(monday) == date(2023, 9, 24)
    assert day_month.resolve(monday) == date(2023, 9, 27)
    # A day and month weeks after the article belong to the year before.
    assert find_dates("am 20. Dezember")[0].resolve(date(2024, 1, 2)) == date(2023, 12, 20)


def test_a_day_of_the_month_is_part_of_a_date_and_front_matter_is_found():
    (mention,) = find_dates("Am 27. September starben 27 Menschen.")
    assert (mention.month, mention.day, mention.year) == (9, 27, None) and mention.end == len("Am 27. September")
    assert front_matter_end("---\ndate: 2023-06-07\n---\nText") == len("---\ndate: 2023-06-07\n---")
    assert front_matter_end("Text --- more") == 0


def test_relative_dates_get_the_day_they_mean_in_the_readers_language():
    published = date(2023, 9, 28)  # a Thursday
    assert (
        with_resolved_dates("Am Mittwoch forderte sie mehr Hilfe, am Vortag war es ruhig.", published, "de")
        == "Am Mittwoch (27. September 2023) forderte sie mehr Hilfe, am Vortag (27. September 2023) war es ruhig."
    )
    assert with_resolved_dates("Il est arrivé samedi dernier.", published, "en") == (
        "Il est arrivé samedi dernier (23 September 2023)."
    )
    # A weekday the text dates itself, or one with no article date to count from, is left alone.
    assert (
        with_resolved_dates("On Monday, 25 September, it began.", published, "en")
        == "On Monday, 25 September, it began."
    )
    assert with_resolved_dates("Am Mittwoch forderte sie mehr.", None, "de") == "Am Mittwoch forderte sie mehr."
    assert spell_date(published, "es") == "28 de septiembre de 2023" and spell_date(published, "tr") == "2023-09-28"


def test_a_bare_number_is_a_year_only_where_a_word_makes_it_one():
    assert stated_years("Im April 2016 und seit 2014 starben 2000 Menschen.") == {2016, 2014}
    assert stated_years("Knapp 2000 Todesopfer") == set()
    assert date_spans("Knapp 2000 Todesopfer") == [] and date_spans("seit 2014") == [(5, 9)]


def test_a_question_about_now_and_one_looking_back_from_it():
    assert asks_about_now("Wann brachen die aktuellen Kämpfe aus?")
    assert asks_about_now("What is the latest death toll?")
    assert not asks_about_now("Wann gab es vor dem aktuellen Aufflammen zuletzt Kämpfe?")
    assert not asks_about_now("How many people died in the war?")


def test_a_decade_names_its_ten_years_and_a_count_names_none():
    nineties = set(range(1990, 2000))
    for text in (
        "in den 90er Jahren",
        "die 1990er-Jahre",
        "the 1990s",
        "in the '90s",
        "les années 90",
        "los años 1990",
    ):
        assert asked_years(text) == nineties, text
        assert dated_years(text, None) == nineties, text
    assert asked_years("How many died in the 1990s and in April 2016?") == nineties | {2016}
    assert dated_years("Knapp 90 Soldaten und 2000 Todesopfer", None) == set()
    # An age is no decade.
    assert dated_years("Most of the volunteers were in their 20s, one in her early 30s.", None) == set()


def test_dated_years_resolves_dates_without_a_year_against_the_article_date():
    published = date(2023, 1, 3)
    assert dated_years("On Friday the talks ended; in 2020 they had begun.", published) == {2022, 2020}
    assert dated_years("Am 20. September begann die Offensive.", date(2023, 9, 21)) == {2023}
    assert dated_years("On Friday the talks ended.", None) == set()


def test_a_weekday_in_the_future_tense_is_the_coming_one():
    wednesday = date(2022, 9, 28)
    assert find_dates("Der Rest werde voraussichtlich bis Sonntag entweichen.")[0].resolve(wednesday) == date(
        2022, 10, 2
    )
    assert find_dates("Une réunion doit se tenir jeudi à Paris.")[0].resolve(wednesday) == date(2022, 9, 29)
    assert find_dates("The ministers are due to meet later on Wednesday.")[0].resolve(wednesday) == wednesday
    # Past tense, or a future verb in another clause: the last one.
    assert find_dates("Er sagte am Sonntag, man werde helfen.")[0].resolve(wednesday) == date(2022, 9, 25)
    assert find_dates("They will stay. On Monday the port closed.")[0].resolve(wednesday) == date(2022, 9, 26)


def test_a_text_is_about_other_years_where_its_dates_or_else_its_publication_miss_those_wanted():
    assert about_other_years({2023}, {2023}, {2020})
    assert not about_other_years({2020, 2023}, {2023}, {2020})  # "since the war of 2020", in 2023
    assert about_other_years(set(), {2023}, {2020})
    assert not about_other_years(set(), {2020}, {2020})
    assert not about_other_years(set(), set(), {2020})  # nothing says when: kept
    assert not about_other_years({1995}, {2023}, set())  # no years wanted

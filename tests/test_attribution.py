"""Who says what, proposed by a (fake) model and checked field by field in code: what the model says is taken
only where the text bears it out, the rules cross-check it, and each sentence is asked about once."""

from assistant.briefing.attribution import (
    Attributor,
    ReplyCache,
    asking_order,
    context_before,
    merge_speaker,
    verify,
    with_model_figures,
    worth_asking,
)
from assistant.briefing.figures import find_mentions
from assistant.briefing.speakers import find_speakers, speaker_for
from assistant.prompts import load_prompt

from fakes import ScriptedLLM

AFAD = "By Monday evening AFAD said 2,316 people had been killed in Turkey and 13,293 injured."


def _reply(speaker, *figures):
    import json

    keys = ("value", "noun", "counted", "qualifier")
    return json.dumps({"speaker": speaker, "figures": [dict(zip(keys, f)) for f in figures]})


def test_a_speaker_must_be_named_in_the_sentence_or_the_ones_before():
    assert verify(_reply("AFAD"), AFAD, "").speaker.key == "afad"
    assert verify(_reply("AFAD"), AFAD, "").in_sentence
    before = "Interior minister Süleyman Soylu visited Kahramanmaraş."
    from_before = verify(_reply("Süleyman Soylu"), "He said 6 cities were hit.", before)
    assert from_before.speaker.label == "Süleyman Soylu" and not from_before.in_sentence
    for made_up in ("Recep Tayyip Erdogan", "he", "Turkish officials", ""):
        checked = verify(_reply(made_up), AFAD, before)
        assert checked.speaker is None and checked.rejected, made_up


def test_a_sentence_in_the_articles_own_voice_has_no_speaker():
    before = "Präsident Recep Tayyip Erdogan besuchte am Montag die Provinz Hatay."
    narration = verify(_reply("Recep Tayyip Erdogan"), "Es ist das schwerste Beben seit 1999.", before)
    assert narration.speaker is None and "no one's words" in narration.rejected[0]
    # Reported speech in Konjunktiv II, and a count someone made, give words that are someone's.
    for reported in ("70 Länder hätten Hilfe angeboten.", "Neun Stunden zuvor hatte er 13.550 Menschen gezählt."):
        assert verify(_reply("Recep Tayyip Erdogan"), reported, before).speaker.label == "Recep Tayyip Erdogan"
    # A quoted name is no quotation, a motion verb without its particle no view.
    for narrated in (
        "Er hatte in Antakya den Wohnkomplex „Rönesans Rezidans“ gebaut, der 2013 fertig wurde.",
        "1956 ging das Kraftwerk vollständig in Betrieb.",
    ):
        assert verify(_reply("Recep Tayyip Erdogan"), narrated, before).speaker is None, narrated
    for spoken in ("Erdogan geht davon aus, dass 70 Länder helfen.", "„Wir tun alles, was wir können.“"):
        assert verify(_reply("Recep Tayyip Erdogan"), spoken, before).speaker is not None, spoken


def test_who_was_told_is_not_who_spoke():
    for told in (
        '"This is a true miracle," his father told Reuters.',
        "Ein Sprecher sagte der AFP, es gebe 20 Tote.",
        "Un porte-parole a déclaré à l'AFP que 20 personnes étaient mortes.",
        "Ein Sprecher sagte gegenüber der AFP, es gebe 20 Tote.",
        "The ministry, quoted by the state news agency SANA, reported 20 deaths.",
    ):
        agency = next(name for name in ("Reuters", "AFP", "SANA") if name in told)
        checked = verify(_reply(agency), told, "")
        assert checked.speaker is None and "told" in checked.rejected[0], told
    assert verify(_reply("Reuters"), "Reuters reported 20 dead, citing officials.", "").speaker.key == "reuters"


def test_the_model_reads_a_sentence_with_the_two_before_it_in_its_article_but_no_byline():
    texts = ["Erdogan besuchte Hatay.", "9. Februar 2023 um 12:30", "Von Lea Marquardt", "Er sagte, 6 Städte."]
    assert context_before(texts, 3, [0, 0, 0, 0]) == "Erdogan besuchte Hatay."
    texts = ["A sagte etwas.", "B sagte etwas.", "C sagte etwas.", "D sagte etwas."]
    assert context_before(texts, 3, [0, 0, 0, 0]) == "B sagte etwas. C sagte etwas."
    assert context_before(texts, 3, [0, 0, 1, 1]) == "C sagte etwas."


def test_a_name_after_its_description_names_the_speaker():
    said = "105 Menschen würden vermisst, teilte der Ombudsbeauftragte der Republik, Gegham Stepanjan, mit."
    assert verify(_reply("Der Ombudsbeauftragte der Republik, Gegham Stepanjan"), said, "").speaker.key == "stepanjan"
    assert speaker_for("Björn Lund, Head Of Seismology").key == "lund"


def test_whom_reported_speech_is_about_is_not_its_speaker():
    said = "Den Befehl habe General Iwan Petrow selbst gegeben, behauptet der Blogger Oleg Sidorow."
    about = verify(_reply("Iwan Petrow"), said, "")
    assert about.speaker is None and "reported speech is about" in about.rejected[0]
    assert verify(_reply("Oleg Sidorow"), said, "").speaker.key == "sidorow"
    # A name in a clause with a speech verb of its own speaks.
    assert verify(_reply("Iwan Petrow"), "Iwan Petrow sagte, der Befehl sei gegeben.", "").speaker.key == "petrow"


def test_a_figure_needs_its_number_and_noun_in_the_sentence_and_no_date():
    checked = verify(
        _reply(
            "AFAD",
            ("2,316", "people", "people killed", "more_than"),  # no "more than" in the sentence: dropped
            ("13,293", "injured", "people injured", ""),
            ("2,400", "people", "people killed", ""),  # not in the sentence
            ("13,293", "buildings", "buildings collapsed", ""),  # a second use of one number
        ),
        AFAD,
        "",
    )
    assert [(f.value, f.raw, f.noun, f.qualifier) for f in checked.figures] == [
        ("2316", "2,316", "people", ""),
        ("13293", "13,293", "injured", ""),
    ]
    assert len(checked.rejected) == 2
    dated = verify(_reply(None, ("6", "Februar", "day", "")), "Das Beben vom 6. Februar traf 11 Provinzen.", "")
    assert dated.figures == () and "not a count" in dated.rejected[0]
    far = verify(_reply(None, ("11", "Beben", "quakes", "")), "Das Beben vom 6. Februar traf am Ende 11 Provinzen.", "")
    assert far.figures == () and "noun" in far.rejected[0]
    assert verify("{not json", AFAD, "").rejected == ("reply is not JSON",)


def test_qualifier_only_with_its_word():
    sentence = "Nach Angaben der Behörden wurden mehr als 120 Menschen verletzt."
    (figure,) = verify(_reply("Behörden", ("120", "Menschen", "people injured", "")), sentence, "").figures
    assert figure.qualifier == "more_than"


def test_the_model_fills_gaps_and_overrules_the_rules_only_with_a_name_in_the_sentence():
    rules = speaker_for("Kiew")
    said = "Olexander Prokudin schrieb auf Telegram, Kiew sei bereit."
    named = verify(_reply("Olexander Prokudin"), said, "")
    assert merge_speaker(None, named, said).key == "prokudin"
    assert merge_speaker(rules, named, said).key == "prokudin"
    said = "Kiew sei bereit, schrieb er."
    from_before = verify(_reply("Olexander Prokudin"), said, "Olexander Prokudin warnte.")
    assert merge_speaker(rules, from_before, said) is rules  # the sentence names the rules' speaker only
    said = "Das Wasser steige weiter, schrieb er."
    from_before = verify(_reply("Olexander Prokudin"), said, "Olexander Prokudin warnte.")
    assert merge_speaker(speaker_for("Wladimir Leontjew"), from_before, said).key == "prokudin"
    assert merge_speaker(rules, verify(_reply(None), "Kiew sei bereit.", ""), "Kiew sei bereit.") is rules
    assert merge_speaker(rules, None, "Kiew sei bereit.") is rules
    # Reported speech right after the rules' speaker was quoted stays theirs, whoever the model read further back.
    authorities = speaker_for("die Behörden in Bergkarabach")
    said = "Zudem seien mehr als 30 Zivilisten gestorben."
    previous = "Die Behörden in Bergkarabach teilten mit, 874 Soldaten seien getötet worden."
    from_further_back = verify(_reply("Putin"), said, "Putin nannte höhere Zahlen. " + previous)
    assert merge_speaker(authorities, from_further_back, said, previous) is authorities
    assert merge_speaker(authorities, from_further_back, said).key == "putin"
    # A source named outright ("nach Angaben der Polizei") beats a name the words are about.
    said = "Bürgermeister Karl Huber wurde nach Angaben der Polizei leicht verletzt."
    police = find_speakers([said])[0]
    assert police.key == "polizei"
    assert merge_speaker(police, verify(_reply("Karl Huber"), said, ""), said) is police
    said = "Ziel der Reise von Minister Karl Huber ist nach Kreml-Angaben ein Ende der Kämpfe."
    kremlin = find_speakers([said])[0]
    assert merge_speaker(kremlin, verify(_reply("Karl Huber"), said, ""), said) is kremlin


def test_model_figures_join_the_rules_and_only_counts_that_say_what_they_count():
    sentences = ["Die Zahl der Toten sei auf 41 gestiegen, schrieb der Regierungschef Andrej Alexejenko."]
    speakers = find_speakers(sentences)
    mentions = find_mentions(sentences, speakers, [0])
    reply = verify(_reply("Andrej Alexejenko", ("41", "gestiegen", "people dead", "")), sentences[0], "")
    (merged,) = with_model_figures(sentences, mentions, [reply], speakers)
    assert (merged.value, merged.measure, merged.counted_en) == ("41", "killed", "people dead")
    saved = verify(_reply("Andrej Alexejenko", ("41", "Toten", "people saved", "")), sentences[0], "")
    (kept,) = with_model_figures(sentences, mentions, [saved], speakers)
    assert (kept.measure, kept.counted_en) == ("killed", "")  # the model's words count another thing
    extra = ["In der Stadt leben nach seinen Angaben 16.000 Menschen und 30 Ärzte."]
    reply = verify(_reply(None, ("16.000", "Menschen", "people living there", "")), extra[0], "")
    assert with_model_figures(extra, [], [reply], [None]) == []  # it counts no casualties: not a figure of the table
    dead = verify(_reply(None, ("30", "Ärzte", "doctors killed", "")), extra[0], "")
    assert with_model_figures(extra, [], [dead], [None]) == []  # the sentence has no word for anyone killed
    toll = ["Unter den Toten seien nach seinen Angaben 30 Ärzte."]
    (added,) = with_model_figures(
        toll, [], [verify(_reply(None, ("30", "Ärzte", "doctors killed", "")), toll[0], "")], [None]
    )
    assert (added.value, added.noun, added.measure) == ("30", "ärzte", "killed")


def test_the_model_reads_only_sentences_worth_asking_once_each_within_its_budget(tmp_path):
    assert worth_asking(AFAD) and worth_asking("Putin sagte, man sei bereit.")
    assert not worth_asking("Das Beben traf am 6. Februar 2023 die Region.")
    assert not worth_asking("Die Region liegt im Süden.")
    llm = ScriptedLLM(propose=lambda variables: {"speaker": "AFAD", "figures": []})
    path = tmp_path / "replies.jsonl"
    attributor = Attributor(llm, load_prompt("brief_attribute"), ReplyCache(path), limit=2)
    assert attributor.read(AFAD, "").speaker.key == "afad"
    assert attributor.read(AFAD, "").speaker.key == "afad"
    assert attributor.read("Die Region liegt im Süden.", "") is None
    assert attributor.read("Putin sagte, 3 Städte seien betroffen.", "") is not None
    assert attributor.read("Erdogan sagte, 9 Städte seien betroffen.", "") is None  # the budget of 2 is spent
    assert [name for name, _ in llm.json_calls] == ["brief_attribute", "brief_attribute"]
    assert (attributor.asked, attributor.reused) == (2, 1)
    again = Attributor(llm, load_prompt("brief_attribute"), ReplyCache(path), limit=0)
    assert again.read(AFAD, "").speaker.key == "afad" and len(llm.json_calls) == 2  # from the file


def test_the_budget_goes_first_to_counts_no_one_is_credited_with_in_every_article():
    texts = [
        "Putin sagte, man sei bereit.",  # article 0: words the rules credit
        "Bislang gebe es 874 Tote.",  # article 0: a count credited to no one
        "Die Lage sei ernst.",  # article 0: words credited to no one
        "Laut AFAD starben 2316 Menschen.",  # article 1: a count the rules credit
        "Es gab 300 Verletzte.",  # article 1: a count credited to no one
    ]
    order = asking_order(texts, [True, False, False, True, False], [0, 0, 0, 1, 1])
    assert order == [1, 4, 2, 3, 0]

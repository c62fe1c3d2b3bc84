"""Russian events end to end: the multilingual coder over the linked actors of Russian sentences."""
from __future__ import annotations

from datetime import date

from bilat.events.russian import sentence_date
from bilat.model import RawDocument

RELEASE = """Президенты Казахстана и Киргизии провели переговоры в Астане

АСТАНА, 14 марта 2023. /Степной курьер/. Президент Казахстана Касым-Жомарт Токаев и президент Киргизии Садыр Жапаров провели во вторник переговоры в Астане и подписали соглашение о демаркации границы.

Стороны также обсудили поставки электроэнергии и водные ресурсы в летний период.

Читайте также: Курс тенге снова снизился
"""


def test_sentence_dates():
    published = date(2023, 3, 16)
    assert sentence_date("Переговоры прошли 14 марта в Астане.", published) == ("2023-03-14", "day", "explicit")
    assert sentence_date("Стороны встретились 28 декабря.", date(2024, 1, 10))[0] == "2023-12-28"
    assert sentence_date("Вчера министры подписали протокол.", published)[0] == "2023-03-15"
    assert sentence_date("В понедельник делегации встретились.", published)[0] == "2023-03-13"
    assert sentence_date("В 2019 году стороны договорились.", published) == ("2019", "year", "explicit")
    assert sentence_date("Стороны договорились.", published) is None


def test_russian_document_gets_actors_events_and_its_language(pipeline):
    doc = pipeline.clean(RawDocument(doc_id="kz-kg", origin="t", fmt="txt", text=RELEASE))
    assert doc.lang == "ru"
    assert "Читайте также" not in doc.text
    [(done, error)] = list(pipeline.analyse([doc]))
    assert error is None
    people = {m.name for m in done.mentions if m.kind == "person"}
    assert {"Kassym-Jomart Tokayev", "Sadyr Japarov"} <= people
    pairs = {(e.type, frozenset((e.source, e.target))) for e in done.events}
    assert ("CONSULT", frozenset(("KAZ", "KGZ"))) in pairs
    for e in done.events:
        assert e.model and e.model.startswith("coder-e5-")
        assert 0 < e.confidence <= 1
        assert e.evidence == done.text[e.span[0]:e.span[1]]
        assert e.date == "2023-03-14"


def test_code_a_russian_sentence_with_the_multilingual_coder():
    from bilat.events.sentence import code

    answer = code("Киргизия и Таджикистан подписали соглашение о прекращении огня на границе.",
                  source="Киргизия", target="Таджикистан")
    assert answer.model.startswith("coder-e5-")
    assert answer.type == "AGREE"
    assert answer.source_acts == 0.5
    assert abs(sum(answer.probabilities.values()) - 1) < 1e-4


def test_pair_syntax_tells_the_acting_pair_from_a_bystander():
    from bilat.events.multilingual import RELATIONS, pair_syntax
    from bilat.nlp.russian import RussianPipeline

    text = "Казахстан обвинил Киргизию в нарушении договора о границе с Китаем."
    (sent,) = RussianPipeline()(text)

    def span(word: str) -> tuple[int, int]:
        start = text.index(word)
        return start, start + len(word)

    acting = pair_syntax(sent.tokens, span("Казахстан"), span("Киргизию"))
    bystander = pair_syntax(sent.tokens, span("Казахстан"), span("Китаем"))
    assert acting[0] == bystander[0] == 1.0  # both parsed
    assert acting[1 + RELATIONS.index("nsubj")] == 1.0
    assert acting[-2] == 1.0  # both hang from "обвинил"
    assert bystander[-2] == 0.0


def test_a_meeting_beside_an_agreement_is_coded_too(pipeline):
    # the coder ranks the agreement first; the meeting word keeps the talks as an event of their own
    text = "Мирзиёев и Рахмон встретились в пятницу и подписали договор о границе."
    doc = pipeline.clean(RawDocument(doc_id="uz-tj", origin="t", fmt="txt", text=text))
    [(done, error)] = list(pipeline.analyse([doc]))
    assert error is None
    types = {e.type for e in done.events if frozenset((e.source, e.target)) == frozenset(("UZB", "TJK"))}
    assert "CONSULT" in types


def test_a_russian_event_takes_the_city_named_just_before(pipeline):
    # the sentence naming the venue codes no pair; the talks two sentences on happened there
    text = ("Президент Узбекистана Шавкат Мирзиёев прибыл в Бишкек с государственным визитом.\n\n"
            "Его встретили в аэропорту.\n\n"
            "Мирзиёев и президент Киргизии Садыр Жапаров провели переговоры.")
    doc = pipeline.clean(RawDocument(doc_id="uz-kg", origin="t", fmt="txt", text=text))
    [(done, error)] = list(pipeline.analyse([doc]))
    assert error is None
    talks = [e for e in done.events if e.sentence == 2 and frozenset((e.source, e.target)) == {"UZB", "KGZ"}]
    assert talks and all(e.location == "Bishkek" for e in talks)

"""Russian figures: decimal commas, spaced thousands, abbreviated scales and declined units."""
from __future__ import annotations

from bilat.model import DatedValue, Document, Sentence
from bilat.quantities.russian import RussianFigures


def figures(text: str):
    doc = Document("x", "x", "txt", text, published=DatedValue("2024-02-01", "day", "t", "t"))
    doc.sentences = [Sentence(0, len(text), text)]
    return [(q.text, q.value, q.unit, q.bound, q.metric) for q in RussianFigures().extract(doc, [])]


def test_money_scale_and_metric():
    assert figures("Товарооборот двух стран составил 2,4 млрд долларов.") == [
        ("2,4 млрд долларов", 2.4e9, "USD", "exact", "bilateral_trade")]


def test_people_with_a_bound_and_spaced_thousands():
    found = figures("В стране работают более 350 тыс. мигрантов и около 12 500 военнослужащих.")
    assert ("350 тыс. мигрантов", 350_000, "people", "min", "migrants") in found
    assert [f[1:4] for f in found if f[1] == 12_500] == [(12_500, "people", "approx")]


def test_percent_and_bare_numbers():
    found = figures("Экспорт вырос на 17,5% за 11 месяцев.")
    assert found == [("17,5%", 17.5, "percent", "exact", "exports")]


def test_counts_durations_and_spelled_numbers():
    found = figures("Стороны подписали 12 соглашений, эвакуированы более 2 тыс. местных жителей, "
                    "погибли пять пограничников и трое военных; база останется на 25 лет.")
    assert ("12 соглашений", 12, "count", "exact", None) in found
    assert [f[1:3] for f in found if f[2] == "people"][0] == (2000, "people")
    assert (25, "years") in [f[1:3] for f in found]


def test_dates_frames_and_parties_are_no_figures():
    assert figures("В 2023 году стороны договорились продлить соглашение до 2040 года.") == []
    assert figures("Отношения двух стран развивались за последние 10 лет.") == []
    assert [f[2] for f in figures("Мощность станции составит 1200 МВт.")] == ["MW"]

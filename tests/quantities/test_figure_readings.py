"""What a stored figure means, read without changing it: its period length and its kind (reported, target,
forecast), and claims that compare a target with targets only. Sentences written here."""
import pytest

from bilat.quantities import build_claims
from bilat.quantities.kinds import figure_kind
from bilat.quantities.periods import period_length, period_months


@pytest.mark.parametrize(("period", "months", "length"), [
    ("2019", 12, "year"), ("2019-Q2", 3, "quarter"), ("2019-H1", 6, "half-year"), ("2019-04", 1, "month"),
    ("2024-01/2024-08", 8, "8 months"), ("2019/2021", 36, "3 years"), ("2019-03/2020-02", 12, "year"),
    (None, None, None), ("", None, None), ("2019-05/2019-02", None, None), ("2019-Q1/2019-Q3", None, None),
])
def test_period_length(period, months, length):
    assert period_months(period) == months
    assert period_length(period) == length


@pytest.mark.parametrize(("sentence", "figure", "kind"), [
    ("The two ministers set a goal of lifting trade to $3 billion by 2030.", "$3 billion", "target"),
    ("Both sides aim to double turnover to 5 billion dollars.", "5 billion dollars", "target"),
    ("Economists expect remittances to reach about $6 billion next year.", "about $6 billion", "forecast"),
    ("The bank's forecast puts growth at 4 percent.", "4 percent", "forecast"),
    ("Trade rose 8 percent last year to $1.4 billion.", "$1.4 billion", "reported"),
    # a cue in another clause does not reach the figure
    ("Officials expect more, but trade stood at $900 million in May.", "$900 million", "reported"),
    ("Trade reached $1.2 billion last year, and the goal is $2 billion.", "$1.2 billion", "reported"),
    ("Trade reached $1.2 billion last year, and the goal is $2 billion.", "$2 billion", "target"),
    # the nearest cue decides
    ("Analysts expect the target of $2 billion to be met.", "$2 billion", "target"),
    ("Стороны поставили цель довести товарооборот до 2 млрд долларов.", "2 млрд долларов", "target"),
    ("Эксперты ожидают, что объём переводов составит 5 млрд долларов.", "5 млрд долларов", "forecast"),
    (None, "$1", "reported"),
])
def test_figure_kind(sentence, figure, kind):
    assert figure_kind(sentence, figure) == kind


def _row(doc, outlet, value, kind=None, period="2024"):
    row = {"doc_id": doc, "outlet": outlet, "metric": "bilateral_trade", "countries": ["RUS", "TJK"],
           "period": period, "value": value, "unit": "USD", "value_usd": value, "bound": "exact"}
    return {**row, "kind": kind} if kind else row


def test_claims_compare_a_target_with_targets_only():
    claims = build_claims([_row("a", "Oxus Daily", 1.2e9), _row("b", "Steppe Monitor", 1.21e9, "reported"),
                           _row("c", "Oxus Daily", 2e9, "target"), _row("d", "Lowland Times", 1.5e9, "forecast"),
                           _row("e", "Oxus Daily", 3.4e8, period="2024-Q1")],
                          tolerances={}, default_tolerance=0.05)
    shown = [(c["period"], c["period_length"], c["kind"], c["n_sources"], c["disagreement"]) for c in claims]
    assert shown == [("2024", "year", "reported", 2, False), ("2024", "year", "target", 1, False),
                     ("2024", "year", "forecast", 1, False), ("2024-Q1", "quarter", "reported", 1, False)]

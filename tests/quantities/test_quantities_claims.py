"""The claims table: sources side by side per metric, dyad and period."""
from __future__ import annotations

import dataclasses

import pytest

from bilat.model import DatedValue, Document
from bilat.quantities import QuantityExtractor, build_claims
from bilat.quantities.claims import dyad


def row(doc_id: str, value: float, metric: str = "bilateral_trade", countries=("TJK", "RUS"),
        period: str | None = "2022", unit: str = "USD", value_usd: float | None = None, bound: str = "exact",
        outlet: str | None = None) -> dict:
    return {"doc_id": doc_id, "outlet": outlet or f"outlet-{doc_id}", "metric": metric,
            "countries": list(countries), "period": period, "value": value, "unit": unit,
            "value_usd": value if unit == "USD" and value_usd is None else value_usd, "bound": bound}


def test_dyad_is_sorted_pair() -> None:
    assert dyad(["TJK", "RUS"]) == "RUS-TJK"
    assert dyad(["RUS", "RUS", "TJK", "CHN"]) == "RUS-TJK"
    assert dyad(["RUS"]) == "RUS"
    assert dyad([]) == ""


def test_agreeing_sources_are_one_group() -> None:
    claims = build_claims([row("a", 1.00e9), row("b", 1.03e9, countries=("RUS", "TJK"))])
    assert len(claims) == 1
    c = claims[0]
    assert (c["metric"], c["dyad"], c["period"]) == ("bilateral_trade", "RUS-TJK", "2022")
    assert c["n_sources"] == 2
    assert {v["doc_id"] for v in c["values"]} == {"a", "b"}
    assert c["disagreement"] is False
    assert c["spread"] == pytest.approx(0.03 / 1.03)


def test_spread_beyond_tolerance_is_flagged() -> None:
    claims = build_claims([row("a", 1.0e9), row("b", 1.2e9)])
    assert claims[0]["disagreement"] is True
    assert claims[0]["tolerance"] == pytest.approx(0.05)


def test_metric_tolerance_comes_from_metrics_yaml() -> None:
    # trade_growth allows 10%: 50 vs 53 percent agree, 50 vs 60 do not
    ok = build_claims([row("a", 50, "trade_growth", unit="percent"), row("b", 53, "trade_growth", unit="percent")])
    bad = build_claims([row("a", 50, "trade_growth", unit="percent"), row("b", 60, "trade_growth", unit="percent")])
    assert ok[0]["tolerance"] == pytest.approx(0.1)
    assert ok[0]["disagreement"] is False
    assert bad[0]["disagreement"] is True


def test_explicit_tolerances_override() -> None:
    claims = build_claims([row("a", 1.0e9), row("b", 1.2e9)], tolerances={"bilateral_trade": 0.5},
                          default_tolerance=0.05)
    assert claims[0]["disagreement"] is False


def test_groups_split_by_period_and_dyad() -> None:
    claims = build_claims([row("a", 1e9, period="2021"), row("b", 2e9, period="2022"),
                           row("c", 5e8, countries=("KAZ", "RUS"))])
    keys = {(c["dyad"], c["period"]) for c in claims}
    assert keys == {("RUS-TJK", "2021"), ("RUS-TJK", "2022"), ("KAZ-RUS", "2022")}
    assert all(not c["disagreement"] for c in claims)


def test_currencies_compared_in_dollars() -> None:
    claims = build_claims([row("a", 1e9), row("b", 68.49e9, unit="RUB", value_usd=1e9)])
    assert claims[0]["disagreement"] is False
    claims = build_claims([row("a", 1e9), row("b", 90e9, unit="RUB", value_usd=90e9 / 68.49)])
    assert claims[0]["disagreement"] is True


def test_different_units_without_dollars_are_not_compared() -> None:
    claims = build_claims([row("a", 5, "investment", unit="percent", value_usd=None),
                           row("b", 3e9, "investment", unit="RUB", value_usd=None)])
    assert claims[0]["disagreement"] is False
    assert claims[0]["spread"] is None


def test_bounds_are_respected() -> None:
    # "more than $1 billion" agrees with 1.2 billion but not with 0.8 billion
    assert not build_claims([row("a", 1e9, bound="min"), row("b", 1.2e9)])[0]["disagreement"]
    assert build_claims([row("a", 1e9, bound="min"), row("b", 0.8e9)])[0]["disagreement"]
    assert build_claims([row("a", 1e9, bound="max"), row("b", 1.3e9)])[0]["disagreement"]


def test_rows_without_metric_or_not_claims_are_left_out() -> None:
    assert build_claims([row("a", 5, metric=None)]) == []
    assert build_claims([dict(row("a", 500, "weapon_range", unit="km"), is_claim=False)]) == []


def test_claims_from_extracted_documents() -> None:
    ex = QuantityExtractor()
    pub = DatedValue("2012-05-01", "day", "metadata")
    texts = {
        "x1": "Trade between Russia and Tajikistan reached $810 million in 2011.",
        "x2": "In 2011, Russian-Tajik trade totalled 810.4 million dollars.",
        "x3": "Bilateral trade of Tajikistan and Russia was about $950 million in 2011.",
    }
    rows = []
    for doc_id, text in texts.items():
        for q in ex.extract(Document(doc_id, "t", "txt", text, outlet=f"o-{doc_id}", published=pub)):
            rows.append(dict(dataclasses.asdict(q), doc_id=doc_id, outlet=f"o-{doc_id}"))
    claims = build_claims(rows)
    assert len(claims) == 1
    c = claims[0]
    assert (c["metric"], c["dyad"], c["period"]) == ("bilateral_trade", "RUS-TJK", "2011")
    assert c["n_sources"] == 3
    assert c["disagreement"] is True  # 950 is 15% above 810

"""Figure charts of one metric and one period length at a time, targets and forecasts drawn apart (no browser)."""
from bilat.web.charts import figure_points
from bilat.web.figure_view import NO_PERIOD, choose_figures


def _fig(metric, period, length, value, kind="reported", outlet="Oxus Daily"):
    return {"doc_id": f"{metric}-{period}-{value}", "metric": metric, "period": period, "period_length": length,
            "value": value, "value_usd": value, "unit": "USD", "text": f"${value}", "outlet": outlet,
            "published": "2024-05-01", "kind": kind}


ROWS = [_fig("trade", "2023", "year", 1.4e9), _fig("trade", "2024", "year", 1.2e9),
        _fig("trade", "2024", "year", 2e9, "target"), _fig("trade", "2025-Q1", "quarter", 3.4e8),
        _fig("trade", "2024-01/2024-08", "8 months", 9e8), _fig("debt", "2004", "year", 3e8),
        _fig("debt", None, None, 1e8)]


def test_the_busiest_metric_and_its_commonest_length_by_default():
    choice = choose_figures(ROWS, None, None)
    assert (choice.metric, choice.length) == ("trade", "year")
    assert choice.metrics == ["debt", "trade"] and choice.lengths == ["year", "8 months", "quarter"]
    assert [r["period"] for r in choice.rows] == ["2023", "2024", "2024"]
    asked = choose_figures(ROWS, "trade", "quarter")
    assert [r["period"] for r in asked.rows] == ["2025-Q1"]
    assert choose_figures(ROWS, "debt", "month").length == "year"  # a length the metric lacks: its commonest
    assert choose_figures(ROWS, "debt", NO_PERIOD).rows[0]["period"] is None
    assert choose_figures([], None, None).metric is None


def test_one_length_per_chart_targets_apart_and_a_readable_axis():
    fig = figure_points(ROWS, "trade", "year")
    points = [t for t in fig["data"] if t["x"] != [None]]
    assert sum(len(t["x"]) for t in points) == 3  # the quarter and the eight months are not on the axis of years
    assert points[0]["marker"]["symbol"] == ["circle", "circle", "diamond-open"]
    assert [t["name"] for t in fig["data"] if t["x"] == [None]] == ["target (open diamond)"]
    assert fig["layout"]["xaxis"]["title"]["text"] == "period: year"
    one = figure_points(ROWS, "trade", "quarter")
    low, high = one["layout"]["xaxis"]["range"]
    assert low < "2025-02-15" < high and low[:4] == "2024"  # one point still spans months, not a millisecond

"""An undated story's day, and the year its office holders allow (pipeline.refine_date)."""
from __future__ import annotations

from bilat.clean.dates import default_inferrer
from bilat.model import RawDocument


def test_the_day_a_story_names_without_its_year():
    lead = default_inferrer().lead_day
    assert lead("Talks in Minsk\n\nOn March 3 the two ministers met in Minsk.")[:2] == (3, 3)
    assert lead("12 апреля министры двух стран встретились в Бишкеке.")[:2] == (4, 12)
    assert lead("The ministers met on March 3, 2004 in Minsk.") is None  # a full date is read elsewhere
    assert lead("The ministers met in Minsk.") is None


def test_a_tenure_window_of_one_year_dates_the_story(pipeline):
    # an acting prime minister in office for half a year: 20 May can only be 1999
    text = "Minsk talks\n\nOn 20 May Prime Minister Sergei Stepashin held talks with Belarusian officials in Minsk."
    doc = pipeline.clean(RawDocument(doc_id="pm", origin="t", fmt="txt", text=text))
    [(done, error)] = list(pipeline.analyse([doc]))
    assert error is None and done.published is not None
    assert done.published.value == "1999-05-20" and done.published.method == "roles+lead"
    # a window of many years leaves the story undated rather than guessing
    wide = "Minsk talks\n\nOn 20 May President Vladimir Putin held talks with Belarusian officials in Minsk."
    doc = pipeline.clean(RawDocument(doc_id="wide", origin="t", fmt="txt", text=wide))
    [(done, _)] = list(pipeline.analyse([doc]))
    assert done.published is None or done.published.method != "roles+lead"

"""Table-driven figure cases written for bilat: units, qualifiers, periods, metrics and non-claims.

Each case is one sentence and every figure expected in it; a sentence yielding more or fewer
figures fails, so false figures are caught as well as missed ones.
"""
from __future__ import annotations

import math
from typing import Any

import pytest

from bilat.model import DatedValue, Document
from bilat.quantities import QuantityExtractor

PUB = DatedValue("2023-06-15", "day", "metadata")
ANY = object()


def F(value: float, unit: str, bound: str = "exact", metric: Any = ANY, period: Any = ANY,
      claim: Any = ANY, usd: Any = ANY) -> dict[str, Any]:
    return {"value": value, "unit": unit, "bound": bound, "metric": metric, "period": period,
            "claim": claim, "usd": usd}


# (sentence, expected figures in order, publication date or None)
MONEY = [
    ("Trade between Russia and Tajikistan reached $1.5 billion last year.",
     [F(1.5e9, "USD", metric="bilateral_trade", period="2022", usd=1.5e9)]),
    ("Bilateral turnover exceeded 1.2 billion dollars in 2019.",
     [F(1.2e9, "USD", "min", metric="bilateral_trade", period="2019")]),
    ("Moscow lent Dushanbe US$200 million for the project.", [F(2e8, "USD", metric="loan")]),
    ("Russia allocated 1.2 bln rubles to renovate schools in Tajikistan in 2021.",
     [F(1.2e9, "RUB", metric="budget_spending", period="2021", usd=1.2e9 / 73.65)]),
    ("Remittances from Russia to Tajikistan totalled $2.7 billion in 2020.",
     [F(2.7e9, "USD", metric="remittances", period="2020")]),
    ("Russian investment in the Tajik economy is about $1.3bn.",
     [F(1.3e9, "USD", "approx", metric="investment", period="2023")]),
    ("The grant, worth 5 million euros, was signed in March 2022.",
     [F(5e6, "EUR", metric="aid", period="2022-03", usd=5e6 / 0.951)]),
    ("China's exports to Tajikistan amounted to CNY 10 billion.", [F(1e10, "CNY", metric="exports")]),
    ("Kazakhstan will buy 300 million tenge worth of fruit from Tajik farms.", [F(3e8, "KZT", period="2023")]),
    ("Tajikistan owes Russia $30 million.", [F(3e7, "USD", metric="debt")]),
    ("Kyiv received UAH 2.5 billion from the fund in 2022.", [F(2.5e9, "UAH", usd=2.5e9 / 32.34)]),
    ("The programme costs TJS 12 million.", [F(1.2e7, "TJS", metric="budget_spending", usd=1.2e7 / 10.93)]),
    ("Gazprom invested 150 mln USD in exploration.", [F(1.5e8, "USD", metric="investment")]),
    ("A $5m humanitarian grant arrived in Dushanbe.", [F(5e6, "USD", metric="aid")]),
    ("The deal is valued at €1.2bn.", [F(1.2e9, "EUR")]),
    ("Russia provided humanitarian aid worth 2 million US dollars.", [F(2e6, "USD", metric="aid")]),
    ("Uzbekistan's trade with Russia rose to 9.8 billion dollars in 2022.",
     [F(9.8e9, "USD", metric="bilateral_trade", period="2022")]),
    ("The ministry set aside half a billion rubles for the base.", [F(5e8, "RUB")]),
    ("Investment reached 1,250,000 dollars.", [F(1.25e6, "USD", metric="investment")]),
    ("Trade turnover grew to 1,5 billion dollars.", [F(1.5e9, "USD", metric="bilateral_trade")]),
    ("The subscription costs $9.99 per month.", [F(9.99, "USD", metric="subscription_price", claim=False)]),
    ("Readers can support our work with a donation of 100 hryvnias.",
     [F(100, "UAH", metric="subscription_price", claim=False)]),
    ("Russia's trade with Kyrgyzstan reached $3 billion over the first nine months of 2019.",
     [F(3e9, "USD", metric="bilateral_trade", period="2019-01/2019-09")]),
    ("The Kremlin promised Dushanbe a $500 million loan.", [F(5e8, "USD", metric="loan")]),
    ("Exports of Russian wheat to Tajikistan were worth $200 million.", [F(2e8, "USD", metric="exports")]),
    ("Dushanbe imported £3 million of equipment from Britain.", [F(3e6, "GBP", metric="imports")]),
    ("In 2015 the bilateral trade stood at about 900 million dollars.",
     [F(9e8, "USD", "approx", metric="bilateral_trade", period="2015")]),
    ("Tajikistan's debt to China is nearly $1.2 billion.", [F(1.2e9, "USD", "max", metric="debt")]),
    ("Russia will invest no less than 2 trillion rubles.", [F(2e12, "RUB", "min", metric="investment")]),
    ("Moscow offered two billion dollars in credits.", [F(2e9, "USD", metric="loan")]),
    ("The plant was built for one and a half billion rubles.", [F(1.5e9, "RUB")]),
    ("Uzbek banks lent 500 billion soums to farmers.", [F(5e11, "UZS", metric="loan")]),
    ("Bishkek spent KGS 40 million on the road.", [F(4e7, "KGS", metric="budget_spending")]),
    ("Almaty exported goods worth 1.1 billion US dollars to Tajikistan.", [F(1.1e9, "USD", metric="exports")]),
]

PERCENT = [
    ("Trade between the two countries increased by 50 percent in the first five months of this year.",
     [F(50, "percent", metric="trade_growth", period="2023-01/2023-05")]),
    ("Russia accounts for 30% of Tajikistan's foreign trade.",
     [F(30, "percent", metric="trade_share", period="2023")]),
    ("China's share of the trade rose to 25 per cent.", [F(25, "percent", metric="trade_share")]),
    ("Exports grew 12.5% year on year.", [F(12.5, "percent", metric="trade_growth")]),
    ("Remittances make up almost 40 percent of the country's GDP.",
     [F(40, "percent", "max", metric="remittances")]),
    ("Inflation slowed by 2.5 percentage points.", [F(2.5, "percentage_points")]),
    ("Bilateral trade was up 8 pct.", [F(8, "percent", metric="trade_growth")]),
    ("Some 60% of migrant workers in Russia come from Central Asia.",
     [F(60, "percent", "approx", metric="migrants")]),
    ("Turnover jumped 2.5 times over the decade.", [F(2.5, "times", metric="trade_growth")]),
    ("Trade fell by about 10% in 2020.", [F(-10, "percent", "approx", metric="trade_growth", period="2020")]),
    ("Over 90 percent of the gas comes from Russia.", [F(90, "percent", "min")]),
    ("Russia's share in Kazakhstan's imports is 35-40%.",
     [F(35, "percent", "lower", metric="trade_share"), F(40, "percent", "upper", metric="trade_share")]),
    ("Between 5 and 7 percent of the budget goes to defence.",
     [F(5, "percent", "lower"), F(7, "percent", "upper")]),
    ("Growth of around three percent is expected.", [F(3, "percent", "approx")]),
    ("Officials reported a 15% increase in trade with Russia.", [F(15, "percent", metric="trade_growth")]),
    ("Less than 5 percent of the loans were repaid.", [F(5, "percent", "max")]),
    ("No more than 40 percent of the workers are women.", [F(40, "percent", "max")]),
    ("Around 40 per cent of households receive money from Russia.", [F(40, "percent", "approx")]),
    ("Turnover rose 20 percent or so in 2021.", [F(20, "percent", "approx", metric="trade_growth", period="2021")]),
    ("Twenty-five percent of the shares belong to a Russian bank.", [F(25, "percent")]),
    ("The share of Russia in Tajik exports fell by 3 pp.", [F(-3, "percentage_points")]),  # a fall is negative
    ("In the third quarter of 2021, trade rose by 14%.", [F(14, "percent", metric="trade_growth", period="2021-Q3")]),
    ("Exports to Russia rose by 7% last month.", [F(7, "percent", metric="trade_growth", period="2023-05")]),
]

COUNTS = [
    ("About 1.2 million Tajik migrants work in Russia.", [F(1.2e6, "people", "approx", metric="migrants")]),
    ("More than 500,000 Tajik citizens received work permits last year.",
     [F(5e5, "people", "min", metric="migrants", period="2022")]),
    ("Russia keeps about 7,000 troops at the base.", [F(7000, "people", "approx", metric="troops")]),
    ("The delegation included 45 businessmen.", [F(45, "people", metric="delegation_size")]),
    ("Over 30 Russian companies operate in Tajikistan.", [F(30, "count", "min", metric="joint_ventures")]),
    ("The two leaders signed 12 agreements.", [F(12, "count", metric="agreements_signed")]),
    ("Some 200 students from Tajikistan will study in Russia on state quotas.",
     [F(200, "people", "approx", metric="students")]),
    ("Almost 10,000 people were deported from Russia in 2022.",
     [F(1e4, "people", "max", metric="deportations", period="2022")]),
    ("As many as 3 000 servicemen took part in the drills.", [F(3000, "people", "max", metric="troops")]),
    ("Russia supplied 10 helicopters to the Tajik army.", [F(10, "count", metric="military_supplies")]),
    ("The Dushanbe forum brought together 400 participants.", [F(400, "people", claim=True)]),
    ("Up to 1,500 Russian troops could be moved to Tajikistan.", [F(1500, "people", "max", metric="troops")]),
    ("Twenty documents were prepared for signing.", [F(20, "count", metric="agreements_signed")]),
    ("About 70 regions of Russia trade with Kazakhstan.", [F(70, "count", "approx", metric="regions_with_ties")]),
    ("Russia has sent 120 teachers to Tajik schools.", [F(120, "people", metric="schools")]),
    ("Ties link 80+ Russian regions with Tajikistan.", [F(80, "count", "min", metric="regions_with_ties")]),
    ("A total of 15 joint ventures operate in the Tajik free zone.", [F(15, "count", metric="joint_ventures")]),
    ("The summit adopted a declaration of 25 points.", [F(25, "count", metric="document_length", claim=False)]),
    ("The Tajik report on Russia runs to 300 pages.", [F(300, "count", metric="document_length", claim=False)]),
    ("The channel has 50,000 subscribers.", [F(5e4, "count", metric="media_audience", claim=False)]),
    ("There are 1.1 million Uzbek labor migrants in Russia.", [F(1.1e6, "people", metric="migrants")]),
    ("Nearly two million migrants left Russia.", [F(2e6, "people", "max", metric="migrants")]),
    ("Officials exchanged fifteen documents.", [F(15, "count", metric="agreements_signed")]),
    ("A million people in Tajikistan depend on money from Russia.", [F(1e6, "people")]),
    ("At least 300 or more people attended.", [F(300, "people", "min")]),
    ("Upwards of 10,000 migrants queued for permits.", [F(1e4, "people", "min", metric="migrants")]),
    ("An estimated 4 million migrants work abroad.", [F(4e6, "people", "approx", metric="migrants")]),
    ("Roughly 2,500 troops are stationed in Kyrgyzstan.", [F(2500, "people", "approx", metric="troops")]),
    ("Russia deported 8,400 Tajik nationals last year.", [F(8400, "people", metric="deportations", period="2022")]),
    ("The CSTO drills involved more than 3,000 soldiers from six states.", [F(3000, "people", "min", metric="troops")]),
    # spelled small counts are figures in real news, except where they name the parties or a known set
    ("Russia built five schools in Tajikistan.", [F(5, "count")]),
    ("The ministry blacklisted seven shipping firms and three banks.", [F(7, "count"), F(3, "count")]),
    ("Dushanbe barred 14 senior opposition figures from travel.", [F(14, "count")]),
    ("Ankara sent a 1,200-strong contingent to the mission.", [F(1200, "people")]),
]

DISTANCE_AND_DURATION = [
    ("The Tajik-Afghan border is 1,344 km long.", [F(1344, "km", metric="border_length", period=None)]),
    ("The missile can hit targets up to 500 kilometres away.",
     [F(500, "km", "max", metric="weapon_range", claim=False, period=None)]),
    ("The new railway will be 400 kilometers long.", [F(400, "km", metric="infrastructure_length")]),
    ("The pipeline stretches for about 1,000 miles.", [F(1609.344, "km", "approx", metric="infrastructure_length")]),
    ("Russian drones have a range of 120 km.", [F(120, "km", metric="weapon_range", claim=False)]),
    ("The base lies 20 km from Dushanbe.", [F(20, "km")]),
    ("The agreement extends the stay of the Russian base in Tajikistan for 30 years.",
     [F(30, "years", metric="base_lease_term", period=None, claim=True)]),
    ("Russia secured a 49-year lease on its base.", [F(49, "years", metric="base_lease_term")]),
    ("The visit lasted 3 days.", [F(3, "days", period=None)]),
    ("Migrants may stay for up to 90 days without registration.", [F(90, "days", "max")]),
    ("The 70-year-old president met his guest.", [F(70, "years", metric="age", claim=False)]),
    ("The minister is 45 years old.", [F(45, "years", metric="age", claim=False)]),
    ("The treaty was extended for 10 years.", [F(10, "years")]),
    ("The programme runs for 18 months.", [F(18, "months")]),
    ("Permits are issued for 12 months at most.", [F(12, "months", "max")]),
    ("The Russian base may stay in Tajikistan for more than 40 years.",
     [F(40, "years", "min", metric="base_lease_term")]),
    # a deadline is a figure ("within 7 days"), a time frame ("in the past 7 days") is not
    ("Migrants must register within 7 days, and students have 15 days.", [F(7, "days"), F(15, "days")]),
    ("The garrison is to leave within the next nine days.", [F(9, "days")]),
    ("Talks lasted four hours in the capital.", [F(4, "hours")]),
    ("A 250-nautical-mile fishing zone was declared.", [F(250, "nautical_miles")]),
    ("The talks lasted about 4 hours.", [F(4, "hours", "approx")]),
    ("Construction will take 6 weeks.", [F(6, "weeks")]),
]

OTHER_UNITS = [
    ("Russia delivered 2,000 tonnes of flour to Tajikistan.", [F(2000, "tonnes", metric="exports")]),
    ("Tajikistan buys about 1 million tons of fuel from Russia each year.", [F(1e6, "tonnes", "approx")]),
    ("Gazprom supplies 3 bcm of gas a year.", [F(3e9, "cubic_metres", metric="gas_supply")]),
    ("Russia sold 300 million cubic metres of gas to Kyrgyzstan.", [F(3e8, "cubic_metres", metric="gas_supply")]),
    ("The Rogun plant will have a capacity of 3,600 MW.", [F(3600, "MW", metric="energy_capacity")]),
    ("The station sells 1.5 billion kWh of electricity to Uzbekistan.",
     [F(1.5e9, "kWh", metric="electricity_supply")]),
    ("Russians built a 670-megawatt plant.", [F(670, "MW", metric="energy_capacity")]),
    ("The dam will add 3.6 GW of power.", [F(3600, "MW", metric="energy_capacity")]),
    ("The Tajik farm covers 5,000 hectares.", [F(5000, "hectares")]),
    ("In excess of 1 million tonnes of cement went to Afghanistan.", [F(1e6, "tonnes", "min")]),
]

QUALIFIERS_AND_PERIODS = [
    ("Trade between Russia and Kazakhstan topped 1 billion dollars in January.",
     [F(1e9, "USD", "min", period="2023-01")]),
    ("Investment was just under $2 billion.", [F(2e9, "USD", "max", metric="investment")]),
    ("Credits were at least $100 million.", [F(1e8, "USD", "min", metric="loan")]),
    ("Russia approved loans exceeding $500 million.", [F(5e8, "USD", "min", metric="loan")]),
    ("Turnover was close to 3 billion dollars.", [F(3e9, "USD", "max", metric="bilateral_trade")]),
    ("Approximately 80 billion rubles were spent.", [F(8e10, "RUB", "approx", metric="budget_spending")]),
    ("In January-April 2023, turnover reached $800 million.",
     [F(8e8, "USD", metric="bilateral_trade", period="2023-01/2023-04")]),
    ("Trade in 2010-2012 averaged 1 billion dollars a year.",
     [F(1e9, "USD", metric="bilateral_trade", period="2010/2012")]),
    ("Russia plans to lend $100 million this year.", [F(1e8, "USD", metric="loan", period="2023")]),
    ("Kazakhstan expects trade of $30 billion next year.",
     [F(3e10, "USD", metric="bilateral_trade", period="2024")]),
    ("In March, remittances were $300 million.", [F(3e8, "USD", metric="remittances", period="2023-03")]),
    ("Last September the two sides agreed on a loan of $50 million.",
     [F(5e7, "USD", metric="loan", period="2022-09")]),
    ("Trade the year before last was $700 million.", [F(7e8, "USD", metric="bilateral_trade", period="2021")]),
    ("Since 2015 Russia has invested $1 billion in Tajikistan.",
     [F(1e9, "USD", metric="investment", period="2015/2023")]),
    ("In the first half of last year, exports were $2 billion.",
     [F(2e9, "USD", metric="exports", period="2022-H1")]),
    ("Two years ago trade reached $900 million.", [F(9e8, "USD", metric="bilateral_trade", period="2021")]),
    ("Trade was 500 million dollars in 2011 and 700 million dollars in 2012.",
     [F(5e8, "USD", period="2011"), F(7e8, "USD", period="2012")]),
    ("Remittances fell to 3.1 billion dollars, a drop of 20 percent.",
     [F(3.1e9, "USD", metric="remittances"), F(-20, "percent", metric="remittances")]),
    ("Exports slumped by 7 percent, and imports rose 4 percent; a 5% decline in transit followed.",
     [F(-7, "percent"), F(4, "percent"), F(-5, "percent")]),
    ("Now trade is 25%, up from 18% a year earlier.",
     [F(25, "percent", period="2023"), F(18, "percent", period="2022")]),
    ("In 2021 Russia sold Tajikistan goods for $1 billion, and in 2022 it sold goods for $1.2 billion.",
     [F(1e9, "USD", period="2021", usd=1e9), F(1.2e9, "USD", period="2022")]),
]

FORMS = [
    ("Russia will allocate 5 billion roubles ($68 million) for new schools.",
     [F(5e9, "RUB", usd=6.8e7, claim=True), F(6.8e7, "USD", claim=False)]),
    ("Moscow pledged another $25mn to Dushanbe.", [F(2.5e7, "USD")]),
    ("China lent USD 1.2 bn to Tajikistan.", [F(1.2e9, "USD", metric="loan")]),
    ("Turnover reached 1.2 billion USD.", [F(1.2e9, "USD", metric="bilateral_trade")]),
    ("The Russian budget line is RUB 2,5 bln.", [F(2.5e9, "RUB", metric="budget_spending")]),
    ("Growth in Tajikistan was 3,5%.", [F(3.5, "percent")]),
    ("Around 50 thousand migrants returned home.", [F(5e4, "people", "approx", metric="migrants")]),
    ("The 1.5-billion-dollar plant was opened in Dushanbe.", [F(1.5e9, "USD")]),
    ("Russian guards once watched the 1,400-km Tajik-Afghan border.", [F(1400, "km", metric="border_length")]),
    ("Trade grew 2 times more than expected.", [F(2, "times", metric="trade_growth")]),
    ("Dushanbe repaid $240 million of its $300 million debt to Moscow.",
     [F(2.4e8, "USD", metric="debt"), F(3e8, "USD", metric="debt")]),
    ("The number of Tajik students in Russia has reached 30,000.", [F(3e4, "people", metric="students")]),
    ("In the first quarter, trade with Russia grew by 20%.",
     [F(20, "percent", metric="trade_growth", period="2023-Q1")]),
    ("The Kyrgyz-Tajik border is 970 kilometres long, and about 600 km of it has been delimited.",
     [F(970, "km", metric="border_length"), F(600, "km", "approx", metric="border_length")]),
    ("Kazakhstan's trade with Russia fell 2% to $26.3 billion in 2022.",
     [F(-2, "percent", metric="trade_growth", period="2022"),
      F(2.63e10, "USD", metric="bilateral_trade", period="2022")]),
    ("Minsk lent 40 million Belarusian rubles to a Russian firm.", [F(4e7, "BYN", usd=None)]),
    ("Kabul paid 700 million afghanis for Tajik electricity.", [F(7e8, "AFN")]),
    ("India pledged Rs 500 crore to Dushanbe.", [F(5e9, "INR")]),
    ("India pledged INR 2 billion to Dushanbe.", [F(2e9, "INR")]),
    ("Temperatures in Dushanbe reached 45 degrees Celsius.", [F(45, "celsius")]),
    ("Migrant workers from Tajikistan pay 6,000 rubles a month for a patent.", [F(6000, "RUB", metric="migration_fees")]),
    ("In 2022 trade between Russia and Uzbekistan came to $9.3 billion, which is 25% more than in 2021.",
     [F(9.3e9, "USD", metric="bilateral_trade", period="2022"),
      F(25, "percent", metric="trade_growth", period="2022")]),
    ("Some 2.2 million Tajiks entered Russia in 2022, against 1.8 million a year earlier.",
     [F(2.2e6, "people", "approx", period="2022"), F(1.8e6, "count", period="2021")]),
    ("The bridge is 1.5 km long and cost 20 million dollars.",
     [F(1.5, "km", period=None), F(2e7, "USD", metric="budget_spending")]),
    ("Exports from Tajikistan to Russia reached $150 million, while imports from Russia totalled $1.2 billion.",
     [F(1.5e8, "USD", metric="exports"), F(1.2e9, "USD", metric="imports")]),
    ("Russia's share of Tajik trade fell from 30% in 2015 to 20% in 2020.",
     [F(30, "percent", metric="trade_share", period="2015"), F(20, "percent", metric="trade_share", period="2020")]),
    ("Investment will total 2 billion US dollars over five years.", [F(2e9, "USD", metric="investment")]),
    ("The sides agreed to supply 500 thsd tonnes of wheat.", [F(5e5, "tonnes")]),
    ("The volume of investments reached 1 bln USD.", [F(1e9, "USD", metric="investment")]),
    ("In H1 2024, Chinese investment reached $300 million.", [F(3e8, "USD", metric="investment", period="2024-H1")]),
    ("Trade grew 1.5-fold in 2021 compared with 2020.", [F(1.5, "times", metric="trade_growth", period="2021")]),
    ("Tajik migrants transferred about USD 2.5 billion via Russian banks, or 35 per cent of GDP.",
     [F(2.5e9, "USD", "approx", metric="remittances"), F(35, "percent", metric="remittances")]),
    ("Almost 70 percent of Tajik exports go to two countries.", [F(70, "percent", "max", metric="trade_share")]),
    ("Investigators questioned nearly 2,000 Libyans.", [F(2000, "people", "max", metric=None)]),
    ("Donors gave $50,000 worth of medicines to a Dushanbe hospital.", [F(5e4, "USD", claim=True)]),
    ("The two countries aim to lift trade to $2 billion by 2025.",
     [F(2e9, "USD", metric="bilateral_trade", period="2025")]),
]

CASES = [(t, f, PUB) for t, f in MONEY + PERCENT + COUNTS + DISTANCE_AND_DURATION + OTHER_UNITS
         + QUALIFIERS_AND_PERIODS + FORMS]
# Without a publication date, relative periods stay open and foreign money has no dollar value.
CASES += [
    ("Trade last year exceeded $1 billion.", [F(1e9, "USD", "min", period=None, usd=1e9)], None),
    ("Russia lent 3 billion rubles last year.", [F(3e9, "RUB", period=None, usd=None)], None),
    ("Russia lent 3 billion rubles in 2019.", [F(3e9, "RUB", period="2019", usd=3e9 / 64.74)], None),
]

NOT_FIGURES = [
    "The 201st base is located in Tajikistan.",
    "Diplomatic relations were established in 1992.",
    "The 30th anniversary of relations was marked on October 8.",
    "The talks took place on 9 October 2025.",
    "The meeting started at 10:30 local time.",
    "S-400 systems were on the agenda.",
    "Putin visited the two countries.",
    "The visit will last three days.",
    "The plan covers the period until 2030.",
    "1. Russia and Tajikistan agreed to meet again.",
    "The UN decade runs 2018-2028.",
    "Resolution 2231 was mentioned in the talks.",
    "Over the past 20 years relations have grown.",
    "He arrived three days after the summit.",
    "Five countries signed the statement.",
    "Leaders gathered for the 14th summit.",
    "It happened on June 7 in Dushanbe.",
    "From October 8 to 10 the summit is held.",
    "Call the hotline on +992 37 221 1234.",
    "COVID-19 cases rose in the republic.",
    "The two sides agreed to meet again.",
    "Both leaders praised our two nations' friendship.",
    "One official said the talks went well.",
    "He paid a three-day visit to Baku.",
    "The talks were held on February 24, 2022.",
    "The second summit will be held in the 2020s.",
    "The Su-30 jets flew over the border 2 times... twice.",
    "Rahmon and Putin met 15 times last year.",
    "Putin, 71, arrived in Dushanbe.",
    "Only 1 in 5 migrants has a written contract.",
    "Updated 14:35, 10.03.2024",
    "Page 1 of 2",
    "No. 5 on the list was Russia.",
    "Tens of thousands of migrants left Russia.",
    "Relations have existed since 1992, and the treaty runs until 2042.",
    "Russia ranks 1st among the partners, with 2nd place for China.",
]


@pytest.fixture(scope="module")
def extractor() -> QuantityExtractor:
    return QuantityExtractor()


def run(extractor: QuantityExtractor, text: str, published: DatedValue | None = PUB):
    return extractor.extract(Document("t", "test", "txt", text, published=published))


def test_enough_cases() -> None:
    assert sum(len(f) for _, f, _ in CASES) >= 120


@pytest.mark.parametrize(("text", "expected", "published"), CASES, ids=[c[0][:50] for c in CASES])
def test_figure(extractor: QuantityExtractor, text: str, expected: list[dict[str, Any]],
                published: DatedValue | None) -> None:
    found = run(extractor, text, published)
    assert len(found) == len(expected), [(q.text, q.value, q.unit) for q in found]
    for q, e in zip(found, expected, strict=True):
        assert math.isclose(q.value, e["value"], rel_tol=1e-6), (q.text, q.value)
        assert q.unit == e["unit"], q.text
        assert q.bound == e["bound"], q.text
        assert text[q.span[0]:q.span[1]] == q.text
        assert q.evidence == text
        if e["metric"] is not ANY:
            assert q.metric == e["metric"], q.text
        if e["period"] is not ANY:
            assert q.period == e["period"], q.text
        if e["claim"] is not ANY:
            assert q.is_claim == e["claim"], q.text
        if e["usd"] is not ANY:
            if e["usd"] is None:
                assert q.value_usd is None
            else:
                assert q.value_usd is not None and math.isclose(q.value_usd, e["usd"], rel_tol=1e-3)


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_a_figure(extractor: QuantityExtractor, text: str) -> None:
    found = run(extractor, text)
    assert found == [], [(q.text, q.value, q.unit) for q in found]

"""A tiny knowledge base for actor tests, with the same attribute names as bilat.actors.kb_loader.

Facts (offices and dates) are public record; the set is small on purpose so that
tests state exactly what the linker may know.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Country:
    code: str
    name: str
    official_name: str = ""
    aliases: list[str] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)
    capital: str = ""
    metonyms: list[str] = field(default_factory=list)
    un_status: str = "member"


@dataclass
class Org:
    code: str
    name: str
    aliases: list[str] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)
    founded: str | None = None


@dataclass
class Role:
    role: str
    sector: str | None
    start: str | None
    end: str | None
    country: str | None = None  # when held for an organisation


@dataclass
class Person:
    id: str
    name: str
    variants: list[str]
    country: str
    roles: list[Role]

    def roles_on(self, on: date) -> list[Role]:
        iso = on.isoformat()
        return [r for r in self.roles if (r.start or "") <= iso and (r.end is None or iso <= r.end)]


@dataclass
class KnowledgeBase:
    countries: dict[str, Country]
    orgs: dict[str, Org]
    people: list[Person]
    sectors: dict = field(default_factory=dict)

    def people_in_role(self, country: str, role: str, on: date) -> list[Person]:
        return [p for p in self.people if p.country == country
                and any(r.role.lower() == role.lower() for r in p.roles_on(on))]


def _c(code, name, official, aliases, adjectives, capital, metonyms):
    return Country(code, name, official, aliases, adjectives, capital, metonyms)


def _p(pid, name, variants, country, *roles):
    return Person(pid, name, variants, country, [Role(*r) for r in roles])


def tiny_kb() -> KnowledgeBase:
    countries = {c.code: c for c in [
        _c("RUS", "Russia", "Russian Federation", ["Russian Federation", "RF"], ["Russian", "Russians"],
           "Moscow", ["Moscow", "the Kremlin", "Kremlin"]),
        _c("TJK", "Tajikistan", "Republic of Tajikistan", ["Republic of Tajikistan", "Tadzhikistan"],
           ["Tajik", "Tajikistani", "Tajiks"], "Dushanbe", ["Dushanbe"]),
        _c("BLR", "Belarus", "Republic of Belarus", ["Belorussia"], ["Belarusian", "Belarussian"], "Minsk",
           ["Minsk"]),
        _c("KGZ", "Kyrgyzstan", "Kyrgyz Republic", ["Kyrgyz Republic", "Kirghizia"], ["Kyrgyz"], "Bishkek",
           ["Bishkek"]),
        _c("KAZ", "Kazakhstan", "Republic of Kazakhstan", [], ["Kazakh", "Kazakhstani"], "Astana", ["Astana"]),
        _c("UZB", "Uzbekistan", "Republic of Uzbekistan", [], ["Uzbek"], "Tashkent", ["Tashkent"]),
        _c("CHN", "China", "People's Republic of China", ["PRC"], ["Chinese"], "Beijing", ["Beijing"]),
        _c("USA", "United States", "United States of America", ["US", "U.S.", "America"], ["American", "US"],
           "Washington", ["Washington", "the White House", "White House"]),
        _c("AFG", "Afghanistan", "Islamic Republic of Afghanistan", [], ["Afghan"], "Kabul", ["Kabul"]),
        _c("TUR", "Turkey", "Republic of Türkiye", ["Türkiye"], ["Turkish"], "Ankara", ["Ankara"]),
    ]}
    orgs = {o.code: o for o in [
        Org("CIS", "Commonwealth of Independent States", ["CIS", "Commonwealth of the Independent States"]),
        Org("CSTO", "Collective Security Treaty Organization", ["CSTO", "Collective Security Treaty Organisation"]),
        Org("EAEU", "Eurasian Economic Union", ["EAEU", "EEU", "Eurasian Union"]),
        Org("EURASEC", "Eurasian Economic Community", ["EurAsEC", "EURASEC"]),
        Org("SCO", "Shanghai Cooperation Organisation", ["SCO", "Shanghai Cooperation Organization"]),
        Org("UN", "United Nations", ["UN", "U.N."]),
        Org("WHO", "World Health Organization", ["WHO"]),
    ]}
    people = [
        _p("putin", "Vladimir Putin", ["Vladimir Vladimirovich Putin", "V. Putin"], "RUS",
           ("President", "GOV", "2000-05-07", "2008-05-07"), ("Prime Minister", "GOV", "2008-05-08", "2012-05-07"),
           ("President", "GOV", "2012-05-07", None)),
        _p("medvedev", "Dmitry Medvedev", ["Dmitri Medvedev", "Dmitriy Medvedev"], "RUS",
           ("President", "GOV", "2008-05-07", "2012-05-07"), ("Prime Minister", "GOV", "2012-05-08", "2020-01-15")),
        _p("lavrov", "Sergei Lavrov", ["Sergey Lavrov"], "RUS", ("Minister of Foreign Affairs", "GOV", "2004-03-09", None)),
        _p("rahmon", "Emomali Rahmon", ["Emomali Rakhmonov", "Emomalii Rahmon", "Emomali Rakhmon"], "TJK",
           ("President", "GOV", "1994-11-16", None)),
        _p("zarifi", "Khamrokhon Zarifi", ["Hamrokhon Zarifi"], "TJK",
           ("Foreign Minister", "GOV", "2006-01-04", "2013-11-28")),
        _p("mukhriddin", "Sirojiddin Mukhriddin", ["Sirodjidin Aslov", "Sirojiddin Muhriddin"], "TJK",
           ("Foreign Minister", "GOV", "2013-11-28", None)),
        _p("lukashenko", "Alexander Lukashenko", ["Aleksandr Lukashenko", "Alyaksandr Lukashenka"], "BLR",
           ("President", "GOV", "1994-07-20", None)),
        _p("s_ivanov", "Sergei Ivanov", ["Sergey Ivanov"], "RUS", ("Defence Minister", "MIL", "2001-03-28", "2007-02-15"),
           ("First Deputy Prime Minister", "GOV", "2007-02-15", "2011-12-22")),
        _p("i_ivanov", "Igor Ivanov", [], "RUS", ("Foreign Minister", "GOV", "1998-09-11", "2004-03-09"),
           ("Secretary of the Security Council", "GOV", "2004-03-09", "2007-07-09")),
        _p("shoigu", "Sergei Shoigu", ["Sergey Shoygu"], "RUS", ("Defence Minister", "MIL", "2012-11-06", "2024-05-12")),
        _p("belousov", "Andrei Belousov", ["Andrey Belousov"], "RUS", ("Defense Minister", "MIL", "2024-05-14", None)),
        _p("ushakov", "Yuri Ushakov", ["Yury Ushakov", "Yuriy Ushakov"], "RUS",
           ("Presidential Aide", "GOV", "2012-05-21", None)),
        _p("karimov", "Islam Karimov", [], "UZB", ("President", "GOV", "1991-03-24", "2016-09-02")),
        _p("japarov", "Sadyr Japarov", ["Sadyr Zhaparov"], "KGZ", ("President", "GOV", "2021-01-28", None)),
        _p("lebedev", "Sergei Lebedev", ["Sergey Lebedev"], "RUS",
           ("Secretary General", "IGO", "2007-10-05", None, "CIS")),
        _p("tokayev", "Kassym-Jomart Tokayev", ["Kasym-Zhomart Tokaev"], "KAZ", ("President", "GOV", "2019-03-20", None)),
    ]
    return KnowledgeBase(countries, orgs, people)

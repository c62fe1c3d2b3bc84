"""The trained event coder: the shared featuriser, the packaged model, the coder pass and the sentence API."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from bilat import code
from bilat.cli.main import app
from bilat.config import Settings
from bilat.errors import ConfigError, InputError
from bilat.events.classify import CoderPass, CoderPolicy
from bilat.events.coder import LABELS, EventCoder, marker_positions
from bilat.events.featurize import MARKS, mark, mark_row
from bilat.events.ontology import Ontology, RuleSet
from bilat.model import DatedValue, Document, Event, Mention, Sentence


@pytest.fixture(scope="module")
def coder() -> EventCoder:
    return EventCoder()


def test_mark_puts_the_marks_around_both_actors():
    text = "Kenya and Uganda agreed on a joint border commission."
    m = mark(text, (0, 5), (10, 16))
    assert m.text == "[A] Kenya [/A] and [B] Uganda [/B] agreed on a joint border commission."
    assert m.text[m.a_start:].startswith(MARKS[0]) and m.text[m.b_start:].startswith(MARKS[2])
    with pytest.raises(ValueError):
        mark(text, (0, 8), (5, 16))


def test_a_long_sentence_is_cut_to_a_window_that_keeps_both_actors():
    text = "word " * 300 + "Chile thanked Peru for its help." + " word" * 300
    start = text.index("Chile")
    m = mark(text, (start, start + 5), (start + 14, start + 18))
    assert len(m.text) < len(text) / 2
    assert "[A] Chile [/A] thanked [B] Peru [/B]" in m.text


def test_training_rows_and_inference_share_one_featuriser():
    text = "Hanoi protested after Chinese coast guard ships rammed a Vietnamese trawler."
    row = mark_row(text, "Chinese coast guard", "Hanoi")
    assert row is not None and row.a_first_is_source is False  # the target is named first
    first, second = (0, 5), (text.index("Chinese coast guard"), text.index("Chinese coast guard") + 19)
    assert (row.text, row.a_start, row.b_start) == (mark(text, first, second).text, mark(text, first, second).a_start,
                                                    mark(text, first, second).b_start)
    assert mark_row(text, "Laos", "Hanoi") is None


def test_the_packaged_tokenizer_finds_the_marks(coder):
    m = mark("Brazil hosted Argentina's president in Brasilia.", (0, 6), (14, 23))
    enc = coder.tokenizer.encode(m.text)
    pos = marker_positions(enc.offsets, m.a_start, m.b_start)
    assert pos is not None and pos[0] < pos[1]
    assert enc.tokens[pos[0]] == "[" and enc.tokens[pos[1]] == "["


def test_the_model_card_names_version_and_labels(coder):
    assert coder.version.startswith("coder-")
    assert tuple(coder.meta["labels"]) == LABELS


@pytest.mark.parametrize("sentence,source,target,expected", [
    ("Ghana and Togo signed a treaty on the joint management of their shared river basin.", "Ghana", "Togo",
     "AGREE"),
    ("The Dutch foreign minister travelled to Jakarta on Tuesday for talks with his Indonesian counterpart.",
     "Dutch foreign minister", "Jakarta", "CONSULT"),
    ("Ethiopian jets bombed positions inside Eritrea overnight, killing at least twelve soldiers.",
     "Ethiopian jets", "Eritrea", "ASSAULT"),
    ("Canada expelled two Venezuelan diplomats on Friday in a row over the disputed election.", "Canada",
     "Venezuelan diplomats", "SANCTION"),
    ("Norway's national football team beat Denmark 2-1 in Oslo on Saturday.", "Norway", "Denmark", "NONE"),
])
def test_clear_sentences_get_their_type(sentence, source, target, expected):
    assert code(sentence, source=source, target=target).type == expected


def test_direction_follows_the_given_sides():
    sentence = "Pakistan accused India of violating the ceasefire along the Line of Control."
    forward = code(sentence, source="Pakistan", target="India")
    backward = code(sentence, source="India", target="Pakistan")
    assert forward.type == "ACCUSE"
    assert forward.source_acts > 0.5 > backward.source_acts
    assert sum(forward.probabilities.values()) == pytest.approx(1.0, abs=1e-3)


def test_missing_actor_is_a_clear_error():
    with pytest.raises(InputError, match="does not occur"):
        code("Mali and Niger held talks.", source="Chad", target="Niger")


def test_cli_code_prints_json_and_refuses_a_missing_actor():
    runner = CliRunner()
    ok = runner.invoke(app, ["code", "Japan sent relief supplies to Tonga after the eruption.", "--source", "Japan",
                             "--target", "Tonga", "--json"])
    assert ok.exit_code == 0, ok.output
    answer = json.loads(ok.stdout)
    assert answer["type"] == "AID" and answer["model"].startswith("coder-")
    bad = runner.invoke(app, ["code", "Japan sent supplies.", "-s", "Japan", "-t", "Fiji"])
    assert bad.exit_code == 2


# ---------------------------------------------------------------- the coder pass, with a stub model
@dataclass
class StubCoding:
    type: str
    confidence: float
    probabilities: dict
    first_is_source: float
    flags: dict

    @property
    def best_event(self):
        t = max((x for x in self.probabilities if x != "NONE"), key=self.probabilities.__getitem__)
        return t, self.probabilities[t]


class StubCoder:
    version = "coder-stub"

    def __init__(self, answers: dict[str, dict[str, float]]):
        self.answers = answers  # sentence text -> probabilities

    def code_pairs(self, items):
        out = []
        for text, _, _ in items:
            answer = self.answers[text]  # "_planned": 0.9 sets a flag
            probs = {lab: 0.0 for lab in LABELS} | {k: v for k, v in answer.items() if not k.startswith("_")}
            flags = dict.fromkeys(("negated", "planned", "hypothetical", "reported"), 0.0)
            flags |= {k[1:]: v for k, v in answer.items() if k.startswith("_")}
            best = max(probs, key=probs.__getitem__)
            out.append(StubCoding(best, probs[best], probs, 0.9, flags))
        return out


def _doc(sentences: list[str]) -> tuple[Document, list[Mention]]:
    text, sents, mentions, at = "", [], [], 0
    for i, s in enumerate(sentences):
        sents.append(Sentence(at, at + len(s), s))
        for name, code_ in (("Peru", "PER"), ("Chile", "CHL")):
            k = s.find(name)
            if k >= 0:
                mentions.append(Mention(name, (at + k, at + k + len(name)), i, name, code_))
        text += s + " "
        at += len(s) + 1
    return Document("d", "o", "txt", text, sentences=sents), mentions


def _rule_event(doc: Document, i: int, type_: str) -> Event:
    s = doc.sentences[i]
    return Event(type_, None, "PER", "CHL", (s.start, s.end), s.text, i, rule="verbs.test.v1")


def test_the_pass_keeps_agreed_rules_drops_rejected_ones_and_adds_what_rules_missed():
    doc, mentions = _doc(["Peru met Chile.", "Peru praised Chile.", "Peru and Chile played football."])
    stub = StubCoder({doc.sentences[0].text: {"CONSULT": 0.9, "NONE": 0.1},
                      doc.sentences[1].text: {"SUPPORT": 0.85, "NONE": 0.15},
                      doc.sentences[2].text: {"NONE": 0.97, "AGREE": 0.01}})
    rules = [_rule_event(doc, 0, "CONSULT"), _rule_event(doc, 2, "AGREE")]
    words = {1: [("Peru", "Peru", "PROPN"), ("praised", "praise", "VERB"), ("Chile", "Chile", "PROPN")]}
    ontology = Ontology()
    policy = CoderPolicy(add=0.9, add_with_cue=0.6, drop=0.8, retype=0.8)  # the mechanism, not the defaults
    out = CoderPass(stub, ontology, RuleSet(None, ontology), policy=policy).run(
        doc, mentions, rules, tokens=lambda i: words.get(i, []))
    assert [(e.sentence, e.type, e.rule.split(".")[0], e.model) for e in out] == [
        (0, "CONSULT", "verbs", "coder-stub"),  # kept, with the model's confidence
        (1, "SUPPORT", "mode:verbs", "coder-stub"),  # added by the model; its mode from the trigger rule
    ]
    assert out[1].mode == "praise" and out[1].trigger == "praised"
    assert out[0].confidence == 0.9 and out[1].confidence == 0.85
    assert (out[1].source, out[1].target) == ("PER", "CHL")


def test_a_model_event_told_again_in_a_later_sentence_is_coded_once():
    doc, mentions = _doc(["Peru praised Chile.", "Peru also praised Chile warmly."])
    stub = StubCoder({s.text: {"SUPPORT": 0.95, "NONE": 0.05} for s in doc.sentences})
    out = CoderPass(stub, Ontology()).run(doc, mentions, [])
    assert len(out) == 1 and out[0].sentence == 0


def test_a_second_act_of_the_pair_is_coded_beside_the_first_only_when_also_is_on():
    doc, mentions = _doc(["Peru hosted Chile and thanked it for its help.", "Peru and Chile played football."])
    stub = StubCoder({doc.sentences[0].text: {"CONSULT": 0.46, "SUPPORT": 0.44, "NONE": 0.1},
                      doc.sentences[1].text: {"NONE": 0.55, "COOPERATE": 0.25, "AID": 0.2}})
    off = CoderPass(stub, Ontology(), policy=CoderPolicy(add=0.8)).run(doc, mentions, [])
    assert [(e.sentence, e.type) for e in off] == [(0, "CONSULT")]
    assert off[0].confidence == 0.9  # P(an event), the bar the model's first event has to pass
    on = CoderPass(stub, Ontology(), policy=CoderPolicy(add=0.8, also=0.3)).run(doc, mentions, [])
    assert [(e.sentence, e.type, e.confidence) for e in on] == [(0, "CONSULT", 0.9), (0, "SUPPORT", 0.44)]
    # the football sentence has no first event, so no second one (COOPERATE 0.25 is not enough alone);
    # a rule event is a first event too
    rule = [_rule_event(doc, 1, "AGREE")]
    beside_rule = CoderPass(stub, Ontology(), policy=CoderPolicy(add=0.8, also=0.2)).run(doc, mentions, rule)
    assert [(e.sentence, e.type) for e in beside_rule if e.sentence == 1] == [(1, "AGREE"), (1, "COOPERATE"),
                                                                              (1, "AID")]
    plover = CoderPass(stub, Ontology(), policy=CoderPolicy(add=0.8, also=0.3), convention="plover")
    assert [e.type for e in plover.run(doc, mentions, [])] == ["CONSULT"]  # one event a sentence


def test_a_model_event_without_a_date_of_its_own_takes_the_story_date_but_a_plan_does_not():
    doc, mentions = _doc(["Peru met Chile on May 2.", "Peru praised Chile.", "Peru will host Chile."])
    doc.published = DatedValue("2024-05-06", "day", "metadata")
    stub = StubCoder({doc.sentences[0].text: {"CONSULT": 0.95, "NONE": 0.05},
                      doc.sentences[1].text: {"SUPPORT": 0.95, "NONE": 0.05},
                      doc.sentences[2].text: {"AID": 0.95, "NONE": 0.05, "_planned": 0.9}})
    rule = _rule_event(doc, 0, "CONSULT")
    rule.date, rule.date_precision, rule.date_method = "2024-05-02", "day", "explicit"
    out = CoderPass(stub, Ontology(), policy=CoderPolicy(add=0.8)).run(doc, mentions, [rule])
    assert [(e.sentence, e.date, e.date_method) for e in out] == [
        (0, "2024-05-02", "explicit"), (1, "2024-05-02", "previous-event"), (2, "2024-05-06", "document-date")]


def test_a_plan_and_the_act_itself_are_two_events_of_the_pair():
    doc, mentions = _doc(["Peru praised Chile.", "Peru will praise Chile again in May."])
    stub = StubCoder({doc.sentences[0].text: {"SUPPORT": 0.95, "NONE": 0.05},
                      doc.sentences[1].text: {"SUPPORT": 0.95, "NONE": 0.05, "_planned": 0.9}})
    out = CoderPass(stub, Ontology()).run(doc, mentions, [])
    assert [(e.sentence, e.planned) for e in out] == [(0, False), (1, True)]


def test_a_collective_of_the_two_parties_is_a_candidate_read_as_the_two_actors():
    from bilat.events.candidates import coder_input, document_candidates

    text = "Officials said the two leaders agreed to meet again."
    start = text.index("two leaders")
    span = (start, start + len("two leaders"))
    doc = Document("d", "o", "txt", text, sentences=[Sentence(0, len(text), text)])
    mentions = [Mention("two leaders", span, 0, "Ollanta Humala", "PER", kind="person", via="coref"),
                Mention("two leaders", span, 0, "Michelle Bachelet", "CHL", kind="person", via="coref")]
    [cand] = document_candidates(doc, mentions)
    assert cand.shared and cand.codes == {"PER", "CHL"}
    spelled, a, b = coder_input(text, cand)
    assert spelled == "Officials said Michelle Bachelet and Ollanta Humala agreed to meet again."
    assert (spelled[a[0]:a[1]], spelled[b[0]:b[1]]) == ("Michelle Bachelet", "Ollanta Humala")
    # a phrase naming three parties is a list, not a pair
    three = [*mentions, Mention("two leaders", span, 0, "Evo Morales", "BOL", kind="person", via="coref")]
    assert document_candidates(doc, three) == []
    # the pass codes the collective's pair from the spelled-out sentence, with the collective's evidence
    stub = StubCoder({spelled: {"CONSULT": 0.9, "NONE": 0.1, "_planned": 0.9}})
    [ev] = CoderPass(stub, Ontology()).run(doc, mentions, [])
    assert (ev.type, {ev.source, ev.target}, ev.evidence, ev.planned) == ("CONSULT", {"PER", "CHL"}, text, True)


def test_a_model_event_takes_the_mode_of_a_rule_whose_needed_word_the_sentence_has():
    # "spoke with" is a call only where the sentence says by phone: otherwise a meeting, with a venue
    ontology = Ontology()
    modes = []
    for sentence, last in (("Peru spoke with Chile in Lima.", ("Lima", "Lima", "PROPN")),
                           ("Peru spoke with Chile by phone.", ("phone", "phone", "NOUN"))):
        doc, mentions = _doc([sentence])
        stub = StubCoder({sentence: {"CONSULT": 0.95, "NONE": 0.05}})
        words = [("Peru", "Peru", "PROPN"), ("spoke", "speak", "VERB"), ("Chile", "Chile", "PROPN"), last]
        [ev] = CoderPass(stub, ontology, RuleSet(None, ontology)).run(doc, mentions, [], tokens=lambda i, w=words: w)
        modes.append(ev.mode)
    assert modes == ["meet", "phone"]


def test_the_coder_reads_at_most_max_pairs_pairs_of_a_document_and_the_rules_keep_the_rest():
    sentences = [f"Peru signed pact number {i} with Chile." for i in range(5)]
    doc, mentions = _doc(sentences)
    stub = StubCoder({s.text: {"AGREE": 0.95, "NONE": 0.05} for s in doc.sentences})
    seen: list[int] = []
    code_pairs = stub.code_pairs
    stub.code_pairs = lambda items: (seen.append(len(items)), code_pairs(items))[1]
    rule = _rule_event(doc, 4, "SUPPORT")  # the fifth pair, beyond the budget: its rule event stands
    out = CoderPass(stub, Ontology(), policy=CoderPolicy(also=1.1), max_pairs=2).run(doc, mentions, [rule])
    assert seen == [2]
    assert [(e.sentence, e.model) for e in out] == [(0, "coder-stub"), (4, None)]
    with pytest.raises(ConfigError, match="max_coded_pairs"):
        Settings(max_coded_pairs=-1).check()


def test_an_act_answered_in_kind_is_two_events_but_a_joint_act_told_from_both_sides_is_one():
    doc, mentions = _doc(["Peru accused Chile of spying.", "Chile in turn accused Peru.",
                          "Peru met Chile.", "Chile met Peru again."])
    answers = {0: {"ACCUSE": 0.95}, 1: {"ACCUSE": 0.95}, 2: {"CONSULT": 0.95}, 3: {"CONSULT": 0.95}}
    stub = StubCoder({s.text: answers[i] | {"NONE": 0.05} for i, s in enumerate(doc.sentences)})
    # the stub names the first-named actor as the source
    out = CoderPass(stub, Ontology()).run(doc, mentions, [])
    assert [(e.type, e.source, e.target) for e in out] == [
        ("ACCUSE", "PER", "CHL"), ("ACCUSE", "CHL", "PER"), ("CONSULT", "PER", "CHL")]

"""The parsed note: features computed once and shared, values read as one kind, names kept apart."""

from __future__ import annotations

from typing import Any

from holdthread import Linter
from holdthread.linter.hookspecs import hookimpl
from holdthread.linter.models import Ticket
from holdthread.linter.plugins import make_plugin_manager
from holdthread.linter.registry import Registry
from holdthread.linter.rule import Finding, Rule, RuleContext
from holdthread.text import ParsedNote
from holdthread.text.lexicon import expand
from holdthread.text.values import find_values


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(v.kind, v.text) for v in find_values(text)]


def test_nothing_inside_a_link_is_read_as_a_number_id_or_version() -> None:
    text = "See https://web.archive.org/web/20200401225851/https://help.example/v1.2.3/ENG-4411 today"
    assert _kinds(text) == [("url", "https://web.archive.org/web/20200401225851/https://help.example/v1.2.3/ENG-4411")]


def test_a_bare_domain_with_a_path_is_a_link() -> None:
    assert _kinds("profile: medium.com/@lee/4111111111111111")[0] == ("url", "medium.com/@lee/4111111111111111")


def test_an_address_is_one_email_and_its_digits_are_no_number() -> None:
    assert _kinds("write to lee.4242@acme.example.") == [("email", "lee.4242@acme.example")]


def test_each_value_is_read_as_one_kind() -> None:
    text = "Since 2026-03-02 at 10:30 UTC, v4.12.1 fails for 12 invoices (ENG-4411), 3 times in 40 ms."
    assert _kinds(text) == [
        ("date", "2026-03-02"),
        ("time", "10:30 UTC"),
        ("version", "v4.12.1"),
        ("quantity", "12 invoices"),
        ("id", "ENG-4411"),
        ("quantity", "3 times"),
        ("quantity", "40 ms"),
    ]


def test_a_mention_inside_a_link_is_not_a_mention() -> None:
    note = ParsedNote("Ping @lee.park; their post is at https://medium.com/@northwind/outage")
    assert [note.text[s:e] for s, e in note.mentions] == ["@lee.park"]


def test_a_device_is_not_an_operating_system() -> None:
    note = ParsedNote("Crashes on my laptop and on an iPhone 15 with Catalina; Ubuntu precise is fine, Chrome 131 too.")
    assert [(p.kind, p.text) for p in note.platforms] == [
        ("os", "Catalina"),
        ("os", "Ubuntu precise"),
        ("device", "laptop"),
        ("device", "iPhone 15"),
        ("browser", "Chrome 131"),
    ]


def test_an_ambiguous_release_name_alone_is_no_os() -> None:
    assert ParsedNote("Please be precise about the lucid error.").platforms == []


def test_features_are_computed_once_and_shared() -> None:
    note = ParsedNote("Open Settings. Click Export. It hangs.")
    assert note.sentences is note.sentences
    assert note.values is note.values
    assert note.sentences == [(0, 14), (15, 28), (29, 38)]


def test_asking_sentences() -> None:
    note = ParsedNote("Thanks for the details. Could you send the HAR file? Which browser is it")
    assert [note.text[s:e] for s, e in note.asks] == ["Could you send the HAR file?", "Which browser is it"]


def test_lexicon_references_in_rule_patterns_expand_to_the_shared_lists() -> None:
    pattern = expand("{lexicon:browsers}")
    assert "vivaldi" in pattern and "chrome" in pattern and "{" not in pattern


def test_each_earlier_comment_is_parsed_once_per_ticket_for_every_rule() -> None:
    """Two rules reading the same earlier comment on two targets get one ParsedNote."""
    seen: list[Any] = []

    class ReadsThread(Rule):
        id = "test/reads-thread"
        summary = "reads the thread"
        doc = "## What it does\nReads."

        def check(self, context: RuleContext) -> list[Finding]:
            seen.extend((context.note, context.thread_note(c)) for c in context.thread[:1])
            return []

    class ReadsThreadToo(ReadsThread):
        id = "test/reads-thread-too"

    class Plugin:
        @hookimpl
        def holdthread_rules(self) -> list[type[Rule]]:
            return [ReadsThread, ReadsThreadToo]

    manager = make_plugin_manager(load_entry_points=False)
    manager.register(Plugin(), name="test-plugin")
    linter = Linter(
        {"rules": {}}, select=[ReadsThread.id, ReadsThreadToo.id], registry=Registry.from_plugin_manager(manager)
    )
    comments = [
        {"id": str(n), "author": {"role": "agent"}, "body": f"Note {n}: waiting on the customer."} for n in range(3)
    ]
    linter.check(Ticket.model_validate({"id": "T-1", "comments": comments}))
    first_comment_notes = {id(thread) for _, thread in seen}
    targets_by_rule_pair = [target for target, _ in seen]
    assert len(seen) == 4  # two later targets, two rules each
    assert len(first_comment_notes) == 1
    assert targets_by_rule_pair[0] is targets_by_rule_pair[1]  # both rules got the same parse of a target

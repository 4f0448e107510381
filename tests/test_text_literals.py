"""Literals: links, addresses, package versions, IP addresses, paths and marked versions are read
as a whole, so no number inside one is read as a phone, card, id or date by any rule."""

from __future__ import annotations

import pytest

from holdthread.text import ParsedNote
from holdthread.text.values import find_literals, find_values


def _literals(text: str) -> list[tuple[str, str]]:
    return [(v.kind, v.text) for v in find_literals(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("upgrade to react-dom@16.13.1 now", [("package", "react-dom@16.13.1")]),
        ("pin @types/node@^20.1.0-beta.2.", [("package", "@types/node@^20.1.0-beta.2")]),
        ("a pre-release pkg@1.2.3-rc.beta is no mailbox", [("package", "pkg@1.2.3-rc.beta")]),
        ("ping 192.168.1.20, then 10.0.0.0/24", [("ip", "192.168.1.20"), ("ip", "10.0.0.0/24")]),
        ("listen on [::1]:8080 or fe80::1ff:fe23:4567:890a", [("ip", "::1"), ("ip", "fe80::1ff:fe23:4567:890a")]),
        ("see /var/log/syslog.1 and ~/.config/app/42", [("path", "/var/log/syslog.1"), ("path", "~/.config/app/42")]),
        ("open C:\\Users\\dana\\AppData\\x.log today", [("path", "C:\\Users\\dana\\AppData\\x.log")]),
        ("edit src/utils/date.js, then a/b/c", [("path", "src/utils/date.js"), ("path", "a/b/c")]),
        ("update to v2.4.1 and retry", [("version", "v2.4.1")]),
        ("write to dana.lee@northwind.example.", [("email", "dana.lee@northwind.example")]),
    ],
)
def test_each_literal_is_read_as_a_whole(text: str, expected: list[tuple[str, str]]) -> None:
    assert _literals(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "meet at 10:30:00 on 2026-03-02",  # a time is no IPv6 address
        "version 1.2.3.4.5 of the tool",  # five groups are a version, not an IPv4 address
        "yes and/or no, TCP/IP, 04/28",  # one slash between words, or a date, is no path
        "std::vector and a::b",  # letters only around colons are code, not an address
        "user@host:~$ ls",  # a shell prompt has no dotted domain
    ],
)
def test_lookalikes_are_no_literals(text: str) -> None:
    assert [v for v in find_literals(text) if v.kind in ("ip", "path", "email", "package")] == []


def test_an_address_inside_a_link_counts_only_as_a_parameter() -> None:
    download = "https://addons.acme.example/files/helper@acme.example-1.0.4.xpi"
    assert _literals(download) == [("url", download)]
    link = "https://mail.acme.example/u?email=dana@northwind.example&list=7"
    assert ("email", "dana@northwind.example") in _literals(link)


def test_no_value_is_read_inside_a_literal() -> None:
    text = "Proxy 203.0.113.45 logs to /srv/logs/20200401225851/out.txt with left-pad@1.3.0"
    assert [(v.kind, v.text) for v in find_values(text)] == [
        ("ip", "203.0.113.45"),
        ("path", "/srv/logs/20200401225851/out.txt"),
        ("package", "left-pad@1.3.0"),
    ]


def test_the_parsed_note_shares_its_literals() -> None:
    note = ParsedNote("Logs at /var/log/app/4111111111111111.log and 10.1.2.3")
    assert note.literals is note.literals
    assert note.literal_index.covers(note.text.index("4111"), note.text.index("4111") + 16)
    assert not note.literal_index.overlaps(0, 4)

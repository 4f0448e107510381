"""IP addresses in a note, each read as one value.

A support reply or a log line often holds an address ("ping 192.168.1.20", "listen on
[::1]:8080"). Its digits are the address: never a phone number, a card number or a version, so
the address is read first and its span is kept out of every other kind of value. A candidate is
confirmed by the standard library's :mod:`ipaddress`, so "10:30:00" (a time) or "1.2.3.4.5" (a
version) is no address, and an IPv6 address holds a digit ("std::vector" and "a::b" are code).
"""

from __future__ import annotations

import ipaddress
import re

from holdthread.text.spans import Span

#: Four dot-separated numbers, with an optional port or prefix length; not part of a longer
#: dotted run ("1.2.3.4.5") or a word.
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2}|:\d{1,5})?(?![\w:/]|\.\d)")
_DIGIT = re.compile(r"\d")
#: Hex groups joined by colons (bounded), to be confirmed as an IPv6 address.
_IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")


def _is_address(candidate: str) -> bool:
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


def find_ip_addresses(text: str) -> list[Span]:
    """Spans of the IPv4 and IPv6 addresses in ``text`` (with a port or prefix length if given)."""
    found: list[Span] = []
    if "." in text:
        for match in _IPV4.finditer(text):
            address = re.split(r"[/:]", match.group(0), maxsplit=1)[0]
            if _is_address(address):
                found.append(match.span())
    if text.count(":") >= 2:
        # An address has a digit: hex words around colons ("a::b") are code, not an address.
        found += [m.span() for m in _IPV6.finditer(text) if _DIGIT.search(m.group(0)) and _is_address(m.group(0))]
    return sorted(found)

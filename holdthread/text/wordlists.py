"""A rule's word lists (its ``words.yaml``), checked so that no word sits on both sides of a decision.

Word lists are data, not Python: a rule's folder holds them in ``words.yaml``. A file may say
which of its lists are the two sides of one decision::

    disjoint:
      - [owner_verbs, not_owner_verbs]

A word listed on both sides makes the decision depend on which list a pattern tries first (the
owner verbs once had "work", and "Checkout will work again" named Checkout as an owner), so it is
an error that names the file, the line and the word, when the rule is loaded.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML


class WordListError(ValueError):
    """A word list that contradicts itself (a word on both sides of one decision)."""


def _node(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _entries(node: Any) -> list[tuple[str, int]]:
    """(normalised word, 1-based line) of each entry of a list node."""
    entries = []
    for index, word in enumerate(node):
        line = node.lc.item(index)[0] + 1 if hasattr(node, "lc") else 0
        entries.append((" ".join(str(word).lower().split()), line))
    return entries


def parse_words(text: str, source: str) -> dict[str, Any]:
    """The lists of a ``words.yaml`` text, after checking its ``disjoint`` pairs.

    ``source`` names the file in errors. Raises :class:`WordListError` for a word on both sides.
    The file is read again with line numbers only when it declares ``disjoint`` pairs.
    """
    plain: dict[str, Any] = YAML(typ="safe").load(text) or {}
    if plain.get("disjoint"):
        _check_disjoint(YAML(typ="rt").load(text), source)
    return plain


def _check_disjoint(data: Any, source: str) -> None:
    for pair in data.get("disjoint", []):
        if len(pair) != 2:
            raise WordListError(f"{source}: each `disjoint` entry names two lists, got {list(pair)}")
        sides = []
        for name in pair:
            node = _node(data, str(name))
            if not isinstance(node, list):
                raise WordListError(f"{source}: `disjoint` names {name!r}, which is not a list in this file")
            sides.append(_entries(node))
        first = {word: line for word, line in sides[0]}
        for word, line in sides[1]:
            if word in first:
                raise WordListError(
                    f"{source}:{line}: {word!r} is listed both in {pair[0]} (line {first[word]}) and in {pair[1]}; "
                    "a word belongs to one side of a decision: remove it from one list"
                )


@cache
def load_words(package: str) -> dict[str, Any]:
    """The checked word lists of a rule package (``holdthread.rules.missing_owner``), read once."""
    resource = resources.files(package) / "words.yaml"
    return parse_words(resource.read_text(encoding="utf-8"), f"{package.replace('.', '/')}/words.yaml")

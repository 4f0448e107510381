"""JSON from untrusted input (exports, check requests, webhook bodies), parsed within limits.

Python's ``json`` module accepts what no helpdesk sends and fails on what an attacker can: it
reads ``NaN`` and ``Infinity`` (not JSON), turns ``1e400`` into an infinite float, raises
``RecursionError`` on arrays nested a thousand deep and ``ValueError`` on integers of more than
4,300 digits, and returns strings holding lone UTF-16 surrogates (``"\\ud800"``) that no UTF-8
writer (spaCy, the findings store, a terminal) can encode. Every reader of JSON in holdthread goes
through :func:`parse` and :func:`value_problem`, so each of these is one located, plainly worded
error about one record, and the rest of a file or an audit is still read.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

#: Deepest nesting of objects and lists accepted in one record. Helpdesk records nest about ten
#: levels (an Intercom conversation part's author is six down); the cap keeps every recursive
#: step after parsing (validation, copies) far from Python's recursion limit.
MAX_DEPTH = 64
#: Path components shown before a long JSON path is cut short with "…".
_SHOWN_PATH_PARTS = 12

_SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_MESSAGE = (
    "the text holds a lone UTF-16 surrogate (an escape such as \\ud800 without its pair), which is not a character"
)
KEY_SURROGATE_MESSAGE = "a key " + SURROGATE_MESSAGE.removeprefix("the text ")
#: What to do about a surrogate in data (not in a policy).
_FIX_DATA = "; fix the export or the integration that wrote it"
#: JSON tokens that matter for locating a problem: strings (skipped), brackets, numbers, constants.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|NaN|-?Infinity|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?', re.DOTALL)


class JSONLimitError(json.JSONDecodeError):
    """JSON that is well-formed enough to parse but outside what holdthread reads (a subclass of
    ``JSONDecodeError``, so every caller that reports a syntax error reports this one the same way)."""


def has_surrogate(text: str) -> bool:
    """Whether ``text`` holds a lone UTF-16 surrogate, which cannot be written as UTF-8."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def _first_token(text: str, wanted: Any) -> int:
    """Offset of the first token (outside strings) for which ``wanted(token, depth)`` is true, else 0."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
        elif token in ("]", "}"):
            depth -= 1
        if token[0] != '"' and wanted(token, depth):
            return match.start()
    return 0


def _fail(message: str, text: str, wanted: Any) -> JSONLimitError:
    return JSONLimitError(message, text, _first_token(text, wanted))


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _finite(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise ValueError(token)
    return value


def parse(text: str) -> Any:
    """``json.loads`` within limits; every failure is a ``JSONDecodeError`` with a line and column.

    Refused beyond the syntax: ``NaN``, ``Infinity`` and numbers too large for a float (they are
    not JSON numbers any system can store), integers over Python's 4,300-digit limit, and nesting
    too deep for the parser. Nesting deeper than :data:`MAX_DEPTH` within that is left to
    :func:`value_problem`, so that one deep record of a JSON list rejects that record alone.
    """
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise _fail(f"nested more than {MAX_DEPTH} levels deep", text, lambda _t, d: d > MAX_DEPTH) from None
    except ValueError as exc:
        token = str(exc)
        if token in ("NaN", "Infinity", "-Infinity"):
            raise _fail(
                f"{token} is not a JSON number; send null or a number", text, lambda t, _d: t == token
            ) from None
        if "digits" in token:  # Python's "Exceeds the limit (4300 digits) for integer string conversion"
            raise _fail(
                "a number has thousands of digits; no id, count or time is that long", text, lambda t, _d: len(t) > 4300
            ) from None
        raise _fail(f"the number {token[:40]} is too large", text, lambda t, _d: t == token) from None
    return data


@dataclass(frozen=True)
class ValueProblem:
    """Why a parsed value cannot be read, and where: a JSON path such as ``$.comments[2].body``."""

    path: str
    message: str


def path_text(parts: tuple[str | int, ...], root: str = "$") -> str:
    """``("comments", 2, "body")`` as ``$.comments[2].body``; very long paths end in "…"."""
    shown = parts if len(parts) <= _SHOWN_PATH_PARTS else parts[:_SHOWN_PATH_PARTS]
    text = root + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in shown)
    return text + ("…" if len(shown) < len(parts) else "")


def value_problem(data: Any, root: str = "$") -> ValueProblem | None:
    """Why one parsed record cannot be read (nesting over :data:`MAX_DEPTH`, a lone surrogate in
    a string or key), with its JSON path; else None. Walks the value without recursion.

    A surrogate can only come from a ``\\ud800``-style escape (strict UTF-8 decoding refuses
    encoded ones). Found here, it is one rejected record with its path instead of a crash later.
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, parts = stack.pop()
        if len(parts) > MAX_DEPTH:
            return ValueProblem(
                path_text(parts, root),
                f"nested more than {MAX_DEPTH} levels deep; no ticket field is, so the record is not read",
            )
        if isinstance(value, str):
            if has_surrogate(value):
                return ValueProblem(path_text(parts, root), SURROGATE_MESSAGE + _FIX_DATA)
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if isinstance(key, str) and has_surrogate(key):
                    return ValueProblem(
                        path_text(parts, root), "a key " + SURROGATE_MESSAGE.removeprefix("the text ") + _FIX_DATA
                    )
                stack.append((item, (*parts, key)))
        elif isinstance(value, list):
            stack.extend((item, (*parts, index)) for index, item in reversed(list(enumerate(value))))
    return None


def expanded_sizes(data: Any) -> dict[int, int]:
    """How many values (mappings, lists, scalars) each mapping or list holds, by ``id()``, once
    shared references are expanded: YAML aliases (``*name``) make one small file stand for
    hundreds of millions of values, and anything that walks it (validation, copies, conversion)
    pays for each. Each shared value is counted once, so this costs what the file costs.
    Raises ``ValueError`` for a value that contains itself.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, finished = stack.pop()
        if not isinstance(node, dict | list) or (not finished and id(node) in sizes):
            continue
        children = list(node.values()) if isinstance(node, dict) else node
        if finished:
            sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in children)
            open_nodes.discard(id(node))
            continue
        if id(node) in open_nodes:
            raise ValueError("a value contains itself")
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children)
    return sizes

"""missing-repro-steps on the shapes steps take outside a tidy numbered list.

Bug trackers and mail-style escalations write steps as hard-wrapped prose, "#1"/"(1" lists,
shell transcripts and test cases; they also paste things that look like lists or steps and are
not (patches, code comments, "configure:" output, names in a series). Each shape has a case
that must count and, where one exists, a look-alike that must not.
"""

from __future__ import annotations

from typing import Any

import pytest

from holdthread import Linter
from holdthread.text.code import count_test_case_lines
from holdthread.text.sentences import split_sentences
from holdthread.text.steps import ordered_actions

AGENT = {"id": "a1", "name": "Sam Ortiz", "role": "agent"}
TICKET: dict[str, Any] = {"id": "T-7", "subject": "Proxy returns 502", "type": "bug"}


def fires(linter: Linter, body: str) -> bool:
    draft = {"author": AGENT, "public": False, "kind": "escalation", "body": body}
    return any(a.rule == "missing-repro-steps" for a in linter.check(TICKET, draft).annotations)


def actions(text: str) -> int:
    return ordered_actions(text, split_sentences(text))


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter("recommended")


# --- shapes that are steps --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        # prose hard-wrapped at 80 columns by a mail client: one sentence over three lines
        "For acme.example, the customer opened the gateway console in the admin area and\n"
        "switched the upstream to the new pool; every request to /export now gets a 502\n"
        "from the edge. @edge-oncall",
        # "#1" and "(1" numbering
        "#1 Create the folder /foo on the server\n#2 Connect with nc to port 80\n#3 Send GET /foo\n@edge-oncall",
        "(1 Set the cache TTL to 0\n(2 Invoke the purge endpoint twice\nThe second purge returns 502. @edge-oncall",
        # a leading place before the action
        "1. In the Event Monitor toolbar, select the menu.\n2. In the pulldown menu, select Columns.\n"
        "Dialog closes with an error. @desktop-oncall",
        # a shell transcript: each prompt line is a command run in order
        "Customer's session:\n$ ./configure --with-pcre=/usr/local\n$ make\n"
        "make fails with 'void * smaller than long'. @build-oncall",
    ],
)
def test_these_shapes_count_as_steps(linter: Linter, body: str) -> None:
    assert actions(body) >= 2, body
    assert not fires(linter, body), body


def test_a_wrapped_sentence_is_read_as_one() -> None:
    body = (
        "For acme.example, the customer opened the gateway console in the admin area and\n"
        "switched the upstream to the new pool; every request now gets a 502."
    )
    assert actions(body) == 2
    assert actions(body.replace("and\n", "and.\n")) == 1


@pytest.mark.parametrize(
    "body",
    [
        # JavaScript the customer runs on their page
        "Share button never renders for acme.example. Their embed:\n"
        "var button = document.createElement('div');\n"
        "button.className = 'share';\n"
        "document.body.appendChild(button);\n"
        "Widget.render(button, {size: 'large'});\n"
        "@widgets-oncall",
        # an Apache-style configuration that triggers the failure
        "After this config the server will not start:\n"
        '<Directory "/srv/www">\n'
        "    AllowOverride All\n"
        "    Options +ExecCGI\n"
        "    ScriptInterpreterSource registry\n"
        "</Directory>\n"
        "@hosting-oncall",
    ],
)
def test_a_test_case_counts_instead_of_steps(linter: Linter, body: str) -> None:
    assert count_test_case_lines(body) >= 4
    assert not fires(linter, body), body


def test_a_test_case_can_be_turned_off() -> None:
    body = "Widget broken. Embed:\nvar a = 1;\nvar b = 2;\nWidget.render(a, b);\ndocument.close();\n@widgets-oncall"
    strict = Linter({"extends": "recommended", "rules": {"missing-repro-steps": {"accept_test_case": False}}})
    assert fires(strict, body)
    shorter = Linter({"extends": "recommended", "rules": {"missing-repro-steps": {"test_case_lines": 5}}})
    assert fires(shorter, body)


# --- look-alikes that are not steps -----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        # a stack trace and log lines show the failure, not how to get there
        "Crash on save.\n"
        "java.lang.NullPointerException\n"
        "    at com.example.Editor.save(Editor.java:88)\n"
        "    at com.example.Editor.run(Editor.java:12)\n"
        "2026-11-20 10:42:01 ERROR save failed\n"
        "2026-11-20 10:42:07 ERROR retry failed\n"
        "@desktop-oncall",
        # a Python traceback echoes a source line under each frame: still output
        "Sync worker crashes for ws_5510:\n"
        "Traceback (most recent call last):\n"
        '  File "/app/sync/worker.py", line 88, in run\n'
        "    result = self.client.post(url, json=payload)\n"
        '  File "/app/sync/client.py", line 41, in post\n'
        "    return self._send(request)\n"
        '  File "/app/sync/client.py", line 77, in _send\n'
        "    response = session.request(method, url)\n"
        '  File "/app/sync/retry.py", line 12, in wrap\n'
        "    value = fn(*args)\n"
        "TimeoutError: gave up after 3 tries\n"
        "@sync-oncall",
        # what a program dumped: print_r arrays and registers
        "API returns an error:\n[result] => Array\n[code] => 101\n[msg] => Invalid API key\n[uid] => 5674\n@api-oncall",
        # a patch: its "+" and "-" lines are a fix, and are not bullets either
        "Proposed fix attached, crash in the cache cleanup:\n"
        "--- a/cache.c\n+++ b/cache.c\n@@ -10,3 +10,4 @@\n"
        "- free(node);\n+ if (node) free(node);\n+ node = NULL;\n+ return;\n@cache-oncall",
    ],
)
def test_output_and_patches_are_not_a_test_case(linter: Linter, body: str) -> None:
    assert count_test_case_lines(body) < 4, body
    assert actions(body) < 2, body
    assert fires(linter, body), body


@pytest.mark.parametrize(
    "body",
    [
        # names in a series, not a chain of actions
        "The dom.popup_allowed_events pref allows popups for change, click, dblclick, reset and submit. @web-oncall",
        "The Edit menu items Cut, Copy, Paste are greyed out in the terminal view. @desktop-oncall",
        # labels: a word right before ":" or "[" names a line of output
        "Build fails.\nconfigure: loading cache\nconfigure: error: CFLAGS changed\nmake[1]: Leaving directory\n"
        "@build-oncall",
        # "/" joins control names
        "The Check/Uncheck toggle and the Select/Clear buttons do nothing in the tree. @desktop-oncall",
        # a code comment's "*" lines are not bullets
        "Crash in the selection code:\n/**\n * Changes the selection\n * Clears the old one\n */\n@desktop-oncall",
        # a short line followed by a capitalised line is a real break, not a wrapped sentence
        "Opened the export\nIt hangs. @data-oncall",
    ],
)
def test_look_alikes_are_not_steps(linter: Linter, body: str) -> None:
    assert actions(body) < 2, body
    assert fires(linter, body), body


def test_terse_past_tense_steps_in_a_series_still_count(linter: Linter) -> None:
    body = "Reinstalled, rebooted, same crash on launch of 3.8.0. @desktop-oncall"
    assert actions(body) >= 2
    assert not fires(linter, body)


def test_wrapping_needs_a_long_line_and_a_lower_case_continuation() -> None:
    wrapped = "x" * 70 + " and\nthen more"
    assert split_sentences(wrapped) == [(0, len(wrapped))]
    short = "Short line\nthen more"
    assert len(split_sentences(short)) == 2
    ended = "x" * 70 + ".\nthen more"
    assert len(split_sentences(ended)) == 2


def test_a_list_marker_or_a_title_does_not_end_a_sentence() -> None:
    text = "Hi Dr. Brooks,\nPlease send:\n1. Your practice ID\n2. The exact error message"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Hi Dr. Brooks,",
        "Please send:",
        "1. Your practice ID",
        "2. The exact error message",
    ]

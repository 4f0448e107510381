"""Fuzzing every reader of untrusted input with hypothesis, a bounded number of examples per run.

``python benchmarks/fuzz.py --minutes N`` runs the same strategies and properties for longer and
prints the figures (tests/fuzz_strategies.py has both). Inputs a property refuses to accept are
documented refusals (InputError, PolicyError, a rejected record, a 4xx answer); anything else
fails. Speed is not asserted here: benchmarks/fuzz.py fails inputs slower than 1 s per 100 KB.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_strategies import (
    check_property,
    check_text_property,
    export_cases,
    export_property,
    note_cases,
    policy_cases,
    policy_property,
    request_cases,
    request_property,
    signed_post,
    ticket_cases,
    warm_up,
)
from hypothesis import HealthCheck, given, settings
from server_helpers import in_process_client
from starlette.testclient import TestClient


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_up()


#: Notes in the test run stay small, so the run adds seconds, not minutes; benchmarks/fuzz.py
#: goes up to 100 KB.
CI_MAX_CHARS = 4_000
CI = settings(
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)


@settings(CI, max_examples=300)
@given(note_cases(CI_MAX_CHARS))
def test_check_text_never_crashes_or_stalls(case: tuple[str, str]) -> None:
    check_text_property(case)


@settings(CI, max_examples=300)
@given(ticket_cases(CI_MAX_CHARS))
def test_check_of_any_ticket_structure_answers_a_report_or_an_input_error(case: tuple[str, object]) -> None:
    check_property(case)


@settings(CI, max_examples=400)
@given(policy_cases())
def test_the_policy_loader_answers_a_policy_or_located_problems(case: tuple[str, str]) -> None:
    policy_property(case)


@settings(CI, max_examples=400)
@given(export_cases())
def test_every_source_reads_any_file_to_its_end(tmp_path: Path, case: tuple[str, bytes]) -> None:
    export_property(case, tmp_path)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with in_process_client(tmp_path_factory.mktemp("fuzz-service")) as test_client:
        warm_up(signed_post(test_client))
        yield test_client


@settings(CI, max_examples=300)
@given(request_cases(CI_MAX_CHARS))
def test_the_service_answers_any_body_without_a_500(client: TestClient, case: tuple[str, tuple[str, bytes]]) -> None:
    request_property(case, signed_post(client))

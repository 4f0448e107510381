"""--engine dask on a real LocalCluster gives the same findings.jsonl, byte for byte, as the local engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from holdthread.audit.pipeline import AuditOptions, run_audit
from holdthread.audit.synthetic import write_jsonl

distributed = pytest.importorskip(
    "distributed", reason="dask[distributed] is not installed (pip install 'holdthread[dask]')"
)


def test_dask_engine_matches_the_local_engine(tmp_path: Path) -> None:
    export = write_jsonl(tmp_path / "tickets.jsonl", 600, seed=13)
    local = run_audit(AuditOptions(paths=[export], out=tmp_path / "local", jobs=1, cache=False, chunk_size=100))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_audit(
            AuditOptions(
                paths=[export],
                out=tmp_path / "dask",
                engine="dask",
                scheduler=cluster.scheduler_address,
                cache=False,
                chunk_size=100,
            )
        )
        with distributed.Client(cluster) as client:
            # every worker ran chunks with the Linter its plugin built once
            assert len(client.scheduler_info()["workers"]) == 2
    assert (tmp_path / "dask" / "findings.jsonl").read_bytes() == (tmp_path / "local" / "findings.jsonl").read_bytes()
    assert (tmp_path / "dask" / "scores.csv").read_bytes() == (tmp_path / "local" / "scores.csv").read_bytes()
    assert remote.summary_json["counts"] == local.summary_json["counts"] == {"read": 600, "linted": 600, "rejected": 0}

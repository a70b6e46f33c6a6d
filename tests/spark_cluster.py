"""A real Spark standalone cluster on this machine for the tests: one master and two worker
processes started from the PySpark distribution's own ``bin/spark-class`` (the deploy
classes Spark's ``sbin/start-master.sh`` and ``start-worker.sh`` run), on 127.0.0.1 with free
ports, each in its own process group, stopped (with the executors they launched) when the
test ends."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def spark_class() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent / "bin" / "spark-class"


def _wait_for(log: Path, text: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text("utf-8", errors="replace"):
            return
        if process.poll() is not None:
            raise RuntimeError(f"{log.name} exited: {log.read_text('utf-8', errors='replace')}")
        time.sleep(0.2)
    raise TimeoutError(f"{log.name}: no '{text}' after {seconds} s")


@contextmanager
def standalone_cluster(folder: Path, workers: int = 2) -> Iterator[str]:
    """Start the cluster; yield its ``spark://`` URL; stop every process it started."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "SPARK_LOG_DIR": str(folder),
        "SPARK_WORKER_DIR": str(folder / "work"),
        "PYSPARK_PYTHON": sys.executable,
        "SPARK_LOCAL_IP": "127.0.0.1",
    }
    port = free_port()
    url = f"spark://127.0.0.1:{port}"
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str, args: list[str]) -> tuple[subprocess.Popen[bytes], Path]:
        log = folder / f"{name}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [str(spark_class()), *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # its own process group: stopped with its executors
            )
        started.append(process)
        return process, log

    try:
        master, log = start(
            "master",
            [
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--webui-port",
                str(free_port()),
            ],
        )
        _wait_for(log, "I have been elected leader", master, 90)
        for i in range(workers):
            worker, wlog = start(
                f"worker-{i + 1}",
                [
                    "org.apache.spark.deploy.worker.Worker",
                    "--host",
                    "127.0.0.1",
                    "--cores",
                    "1",
                    "--memory",
                    "1g",
                    "--webui-port",
                    str(free_port()),
                    "--work-dir",
                    str(folder / f"work-{i + 1}"),
                    url,
                ],
            )
            _wait_for(wlog, "Successfully registered with master", worker, 90)
        yield url
    finally:
        for process in reversed(started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

"""``stateyard_worker.supervisor`` restarts a worker that dies and stops everything on SIGTERM.

The programs here are tiny Python processes that write their pid and sleep,
so the test needs no broker; ``test_runtime_chaos`` supervises real workers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.designer.processes import REPO, wait_for

SLEEPER = "import os, time; time.sleep(300)"


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text())
    except (FileNotFoundError, ValueError):
        return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is not alive
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_a_killed_program_is_restarted_and_sigterm_stops_all(tmp_path: Path) -> None:
    supervisor = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stateyard_worker.supervisor",
            f"sleeper={sys.executable} -c '{SLEEPER}'",
            f"other={sys.executable} -c '{SLEEPER}'",
            "--backoff=0.1",
            f"--pid-dir={tmp_path}",
            "--grace=5",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        first = wait_for(lambda: read_pid(tmp_path / "sleeper.pid"))
        other = wait_for(lambda: read_pid(tmp_path / "other.pid"))
        os.kill(first, signal.SIGKILL)
        second = wait_for(
            lambda: (
                (read_pid(tmp_path / "sleeper.pid") or first) != first
                and read_pid(tmp_path / "sleeper.pid")
            )
        )
        assert alive(second) and not alive(first)
        assert read_pid(tmp_path / "other.pid") == other and alive(other)  # left alone
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=20) == 0
        assert not alive(second) and not alive(other)
        output = supervisor.stdout.read().decode() if supervisor.stdout else ""
        assert "sleeper exited with signal 9; restarting" in output
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
            supervisor.wait()

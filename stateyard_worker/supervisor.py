"""Keep worker processes running: restart any that dies, with backoff (standard library only).

    python -m stateyard_worker.supervisor \\
        "advance=python -m celery -A stateyard worker --queues=celery --beat" \\
        "calls=python -m celery -A stateyard worker --queues=calls --pool=threads"

Each ``name=command`` runs in a process group of its own. When one exits for
any reason (killed, crashed, gave up on a broker) its whole group is killed
(pool processes it may have left behind) and it is started again after a
pause that doubles with each quick death (``--backoff`` up to
``--max-backoff`` seconds) and starts over once a run lasted ``--stable``
seconds. SIGTERM or SIGINT stops every program (SIGTERM to its group, SIGKILL
after ``--grace`` seconds) and then the supervisor. ``--pid-dir`` writes
``<name>.pid`` at every start (for operators and tests). ``scripts/worker.sh``
(``make worker``) runs the two Stateyard workers this way.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

log = logging.getLogger("stateyard_worker.supervisor")


@dataclass
class Program:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    restart_at: float = 0.0
    quick_deaths: int = 0
    starts: int = 0
    exits: list[int] = field(default_factory=list)


class Supervisor:
    def __init__(
        self,
        programs: list[Program],
        *,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        stable: float = 30.0,
        grace: float = 30.0,
        pid_dir: Path | None = None,
        poll: float = 0.2,
    ) -> None:
        self.programs = programs
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.stable = stable
        self.grace = grace
        self.pid_dir = pid_dir
        self.poll = poll
        self.stopping = False

    def run(self) -> int:
        for program in self.programs:
            self._start(program)
        while not self.stopping:
            now = time.monotonic()
            for program in self.programs:
                if program.process is None:
                    if now >= program.restart_at:
                        self._start(program)
                elif program.process.poll() is not None:
                    self._died(program, now)
            time.sleep(self.poll)
        self._stop_all()
        return 0

    def stop(self, *_: object) -> None:
        self.stopping = True

    def _start(self, program: Program) -> None:
        program.process = subprocess.Popen(program.argv, start_new_session=True)
        program.started = time.monotonic()
        program.starts += 1
        log.info("started %s (pid %s)", program.name, program.process.pid)
        if self.pid_dir is not None:
            target = self.pid_dir / f"{program.name}.pid"
            target.with_suffix(".tmp").write_text(f"{program.process.pid}\n")
            target.with_suffix(".tmp").replace(target)

    def _died(self, program: Program, now: float) -> None:
        assert program.process is not None
        code = program.process.returncode
        program.exits.append(code)
        _kill_group(program.process.pid, signal.SIGKILL)  # what it leaves behind goes too
        program.process = None
        if now - program.started >= self.stable:
            program.quick_deaths = 0
        pause = min(self.max_backoff, self.backoff * 2**program.quick_deaths)
        program.quick_deaths += 1
        program.restart_at = now + pause
        how = f"signal {-code}" if code < 0 else f"code {code}"
        log.warning("%s exited with %s; restarting in %.1fs", program.name, how, pause)

    def _stop_all(self) -> None:
        running = [p.process for p in self.programs if p.process is not None]
        for process in running:
            _kill_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for process in running:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("pid %s did not stop within %.0fs: killing it", process.pid, self.grace)
            _kill_group(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)


def _kill_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def parse_program(text: str) -> Program:
    name, sep, command = text.partition("=")
    if not sep or not name.strip() or not command.strip():
        raise argparse.ArgumentTypeError(f"expected name=command, got {text!r}")
    return Program(name.strip(), shlex.split(command))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stateyard_worker.supervisor")
    parser.add_argument("programs", nargs="+", type=parse_program, metavar="name=command")
    parser.add_argument("--backoff", type=float, default=1.0, help="first restart pause (s)")
    parser.add_argument("--max-backoff", type=float, default=30.0, help="longest pause (s)")
    parser.add_argument("--stable", type=float, default=30.0, help="a run this long resets it")
    parser.add_argument("--grace", type=float, default=30.0, help="SIGTERM to SIGKILL (s)")
    parser.add_argument("--pid-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="[%(asctime)s: %(levelname)s/supervisor] %(message)s"
    )
    supervisor = Supervisor(
        args.programs,
        backoff=args.backoff,
        max_backoff=args.max_backoff,
        stable=args.stable,
        grace=args.grace,
        pid_dir=args.pid_dir,
    )

    def on_signal(signum: int, frame: FrameType | None) -> None:
        supervisor.stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return supervisor.run()


if __name__ == "__main__":
    sys.exit(main())

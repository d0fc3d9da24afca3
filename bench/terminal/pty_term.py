"""A program under a pseudo-terminal, its screen kept by a terminal emulator.

Two threads: the reader only `os.read`s the pty and stamps each chunk with the
time it arrived (so a slow parse never delays a timestamp); the parser feeds
chunks to a `pyte` screen and checks the waiters registered with `expect`
after every chunk. The terminal answers Textual's DECRQM query for
synchronized output (mode 2026), so every frame arrives between
`ESC[?2026h` and `ESC[?2026l` and frames can be counted where they reach the
terminal.
"""

from __future__ import annotations

import fcntl
import os
import queue
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pyte

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"  # "supported, currently reset"
SYNC_END = b"\x1b[?2026l"


@dataclass
class Waiter:
    test: Callable[[Screen], bool]
    at: float | None = None  # arrival time of the chunk that made `test` true
    event: threading.Event = field(default_factory=threading.Event)


class Screen:
    """What the parser thread exposes to tests: the display as text lines."""

    def __init__(self, emulator: pyte.Screen) -> None:
        self._emu = emulator

    @property
    def lines(self) -> list[str]:
        return self._emu.display

    def text(self) -> str:
        return "\n".join(self._emu.display)

    def contains(self, needle: str) -> bool:
        return any(needle in line for line in self._emu.display)


class Terminal:
    def __init__(self, argv: list[str], *, cols: int = 120, rows: int = 40,
                 env: dict[str, str] | None = None, cwd: str | None = None) -> None:
        self.cols, self.rows = cols, rows
        self._emu = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self._emu)
        self.screen = Screen(self._emu)
        self.frames: list[float] = []  # arrival time of each frame's end
        self.chunks = 0
        self._waiters: list[Waiter] = []
        # Called with (screen, arrival time) after every chunk, under the lock.
        self.observers: list[Callable[[Screen, float], None]] = []
        self._lock = threading.Lock()
        self._chunks: queue.Queue[tuple[float, bytes] | None] = queue.Queue()
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = dict(os.environ if env is None else env)
        full_env.update(TERM="xterm-256color", COLORTERM="truecolor",
                        COLUMNS=str(cols), LINES=str(rows))
        full_env.pop("TEXTUAL", None)
        self.started = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=full_env,
                                     cwd=cwd, start_new_session=True, close_fds=True)
        os.close(slave)
        self.fd = master
        self._tail = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._parser = threading.Thread(target=self._parse, daemon=True)
        self._reader.start()
        self._parser.start()

    # -- input -------------------------------------------------------------
    def send(self, data: bytes | str) -> float:
        if isinstance(data, str):
            data = data.encode()
        at = time.monotonic()
        os.write(self.fd, data)
        return at

    # -- waiting -------------------------------------------------------------
    def expect(self, test: Callable[[Screen], bool]) -> Waiter:
        """Register a condition; it is checked after every chunk from now on
        (and once at once, against the current screen)."""
        waiter = Waiter(test)
        with self._lock:
            if test(self.screen):
                waiter.at = time.monotonic()
                waiter.event.set()
            else:
                self._waiters.append(waiter)
        return waiter

    def wait(self, test: Callable[[Screen], bool], timeout: float) -> float:
        waiter = self.expect(test)
        if not waiter.event.wait(timeout):
            with self._lock:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
            raise TimeoutError(f"screen condition not met in {timeout} s:\n{self.screen.text()}")
        assert waiter.at is not None
        return waiter.at

    # -- threads -------------------------------------------------------------
    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                data = b""
            if not data:
                self._chunks.put(None)
                return
            at = time.monotonic()
            if SYNC_QUERY in self._tail[-16:] + data:
                os.write(self.fd, SYNC_REPLY)
            self._tail = data[-16:]
            self._chunks.put((at, data))

    def _parse(self) -> None:
        tail = b""
        while (chunk := self._chunks.get()) is not None:
            at, data = chunk
            window = tail + data
            ends = window.count(SYNC_END) - tail.count(SYNC_END)
            tail = data[-16:]
            with self._lock:
                self._stream.feed(data)
                self.chunks += 1
                self.frames.extend([at] * ends)
                for observer in self.observers:
                    observer(self.screen, at)
                for waiter in list(self._waiters):
                    if waiter.test(self.screen):
                        waiter.at = at
                        waiter.event.set()
                        self._waiters.remove(waiter)

    # -- end -------------------------------------------------------------------
    def close(self, grace: float = 3.0) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        try:
            os.close(self.fd)
        except OSError:
            pass
        self._reader.join(2)
        self._parser.join(2)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

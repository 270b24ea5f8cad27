"""Loopback ports: finding free ones and waiting for a listener."""

from __future__ import annotations

import socket
import subprocess
import time


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def accepts_connections(port: int, host: str = "127.0.0.1") -> bool:
    """True when a TCP connect to host:port succeeds."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_for_listener(port: int, process: subprocess.Popen[bytes] | None, timeout_s: float) -> bool:
    """Wait until the port accepts connections; False on timeout or if the process exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if accepts_connections(port):
            return True
        if process is not None and process.poll() is not None:
            return False
        time.sleep(0.1)
    return False

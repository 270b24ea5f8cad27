"""Builders of valid test objects: defaults declared once, overridden per test."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def arguments(**defaults: Any) -> Callable[..., dict[str, Any]]:
    """`(**overrides) -> dict`: a deep copy of the defaults (a test may mutate it), overridden."""
    return lambda **overrides: copy.deepcopy(defaults) | overrides


def builder(factory: Callable[..., T], **defaults: Any) -> Callable[..., T]:
    """`(**overrides) -> T`: factory called with a deep copy of the defaults, some overridden."""
    make = arguments(**defaults)
    return lambda **overrides: factory(**make(**overrides))

"""Test builders: defaults once, overrides per call, and no state shared between calls."""

from llmops_testing.builders import arguments, builder


def test_overrides_replace_defaults_and_mutations_do_not_leak() -> None:
    make = arguments(name="a", tags=["x"])
    first = make(name="b")
    first["tags"].append("y")
    assert first == {"name": "b", "tags": ["x", "y"]}
    assert make() == {"name": "a", "tags": ["x"]}


def test_a_builder_calls_its_factory_with_the_merged_arguments() -> None:
    pair = builder(lambda left, right: (left, right), left=1, right=2)
    assert pair(right=3) == (1, 3)

"""Benchmarks of the runtime against the local stack (not timed tests)."""

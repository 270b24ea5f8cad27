"""Scoring automated runs: the metrics, the bounded file reader, and the worker."""

"""The cost service."""

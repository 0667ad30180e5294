"""Benchmarks: each script prints its figures and the ratio to a floor measured in the same run."""

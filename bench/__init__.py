"""Benchmarks: figures printed and saved by `make bench`, never pass/fail tests."""

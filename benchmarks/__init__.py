"""pytest-benchmark files (``bench_*.py``); see benchmarks/conftest.py."""

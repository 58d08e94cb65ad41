"""Benchmarks for StoryLoom: dataset loaders with fixed splits, metrics, and scripts.

Not part of the installed package. Run the scripts from the repository root, e.g.
``.venv/bin/python bench/evaluate.py --split dev`` or ``python -m bench.evaluate``.
"""

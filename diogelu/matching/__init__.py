"""Person record linkage: a library with no Django imports.

The Django side (``adapter.py``) keeps the index in step with ``people/``; everything else here is
plain Python so it can run in batch jobs and benchmarks.
"""

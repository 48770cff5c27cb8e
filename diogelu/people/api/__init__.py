"""The people app's part of ``/api/v1/``."""

"""The sharing app's part of ``/api/v1/``."""

"""The plans app's part of ``/api/v1/``."""

"""The accounts app's part of ``/api/v1/``."""

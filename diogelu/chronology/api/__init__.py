"""The chronology app's part of ``/api/v1/``."""

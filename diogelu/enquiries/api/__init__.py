"""The enquiries app's part of ``/api/v1/``."""

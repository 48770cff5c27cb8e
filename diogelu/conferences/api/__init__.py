"""The conferences app's part of ``/api/v1/``."""

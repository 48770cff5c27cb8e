"""The referrals app's part of ``/api/v1/``."""

"""Browser tests (Playwright + chromium); run with ``pytest tests/e2e``."""

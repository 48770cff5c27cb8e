"""Diogelu: children's safeguarding case management for Wales."""

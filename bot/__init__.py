"""Mutual: a calm, private Discord companion for peer-support servers."""

__version__ = "0.1.0"

"""Cramp Coach: first aid and guided stretching for night leg cramps."""

__version__ = "0.1.0"
APP_NAME = "Cramp Coach"

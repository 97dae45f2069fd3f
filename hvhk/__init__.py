"""Shared core of the Huis van het Kind toolkit: CLI, reference data, paths and user errors."""

from importlib.metadata import version

__version__ = version("hvhk")

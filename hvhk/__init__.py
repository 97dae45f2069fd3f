"""The Huis van het Kind toolkit: its base layer (`hvhk.base`), screens (`hvhk.apps`) and commands."""

from importlib.metadata import version

__version__ = version("hvhk")

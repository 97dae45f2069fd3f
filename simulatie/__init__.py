"""Simulation of the lokaal loket kinderopvang with SimPy."""

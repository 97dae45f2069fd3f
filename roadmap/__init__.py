"""Roadmap self-assessment: definition, store, analysis and charts."""

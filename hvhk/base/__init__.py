"""The base layer: errors, files, formatting, figures, paths, reference data. It imports nothing of the project."""

"""The words that mark fictitious demo data wherever it is shown.

The demo generator sits on top of the layers, but screens and reports below it must say when they
show its data, so the label lives here rather than with the generator.
"""

DEMO_LABEL = "fictieve demogegevens"

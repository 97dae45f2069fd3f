"""Reports per Huis and gemeente, rendered from template notebooks with papermill."""

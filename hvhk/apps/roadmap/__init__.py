"""The workshop app's screens (ipywidgets); notebooks only call these."""

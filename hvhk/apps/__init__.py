"""The screens (ipywidgets) that the servers, the notebooks and JupyterLab show; nothing below imports them."""

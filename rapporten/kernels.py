"""Warm kernels: one Jupyter kernel runs many reports, each from an empty namespace.

Starting a kernel and importing pandas, matplotlib and the toolkit costs more than drawing a
report, so a batch keeps one kernel per worker process. Before each report the kernel forgets
every name the previous report defined (IPython's reset), so no report sees another's data; modules
stay imported, which is the point.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

RESET = "get_ipython().reset(new_session=False)"  # what %reset -f does, without the magic
KERNEL_ARGUMENTS = [
    "--IPKernelApp.log_level=CRITICAL",  # kernel log lines are noise for a user
    # No output cache (Out, _1, ...): a report displays, it keeps no results. Without it the reset has
    # no cache to flush, and that flush ran gc.collect over the whole kernel, 0.15 s a report.
    "--InteractiveShell.cache_size=0",
    "--HistoryManager.enabled=False",  # nobody reads a report kernel's input history back
]


class IpcKernelManager(AsyncKernelManager):
    """A kernel reached through socket files in a folder of its own rather than TCP ports.

    Reports render in parallel; with TCP each kernel picks "free" ports that another starting
    kernel may take first ("Address already in use"), and kernels started by two threads of one
    process (a Dask worker) picked the same socket files in a shared folder ("Invalid Signature").
    """

    def __init__(self, **kwargs):
        folder = tempfile.mkdtemp(prefix="hvhk-kernel-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        super().__init__(transport="ipc", ip=str(Path(folder) / "kernel"), **kwargs)


class WarmeKernel:
    """A running python3 kernel that executes notebooks one after the other."""

    def __init__(self, timeout: int = 600):
        self.client = NotebookClient(
            nbformat.v4.new_notebook(), kernel_name="python3", timeout=timeout,
            kernel_manager_class=IpcKernelManager, extra_arguments=KERNEL_ARGUMENTS,
            # A report kernel holds nothing worth a clean exit: asked to stop, it took 0.7 to 5 s,
            # and the program waited for it at its end; killed, it takes a tenth of a second.
            shutdown_kernel="immediate",
        )
        self.client.km = self.client.create_kernel_manager()
        # The kernel works in its own folder: in the caller's working folder, a folder named
        # `rapporten` (a user's output folder) would shadow the package of that name in the kernel.
        self.client.resources = {"metadata": {"path": str(Path(self.client.km.ip).parent)}}
        self.client.start_new_kernel()
        self.client.start_new_kernel_client()

    def run_notebook(self, notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
        """Execute every code cell of `notebook` in place, after clearing the previous one's names.

        A failing cell raises nbclient's CellExecutionError, naming the error.
        """
        reply = run_sync(self.client.kc.execute_interactive)(RESET, store_history=False, timeout=60)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"de kernel kon niet leeggemaakt worden: {reply['content'].get('evalue', '')}")
        self.client.nb = notebook
        self.client.reset_execution_trackers()
        for index, cell in enumerate(notebook.cells):
            self.client.execute_cell(cell, index)
        return notebook

    def stop(self) -> None:
        self.client._cleanup_kernel()

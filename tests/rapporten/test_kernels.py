"""A warm kernel runs report after report, and no report sees what the one before it defined."""

from pathlib import Path

import nbformat

from rapporten import batch
from rapporten.kernels import WarmeKernel
from rapporten.render import render
from roadmap import store


def _notebook(*sources: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return notebook


def test_names_of_one_notebook_are_gone_in_the_next():
    kernel = WarmeKernel()
    try:
        kernel.run_notebook(_notebook("geheim = 42", "import json\nrapport = 'Huis A'"))
        second = kernel.run_notebook(_notebook("print(sorted(n for n in ('geheim', 'json', 'rapport') if n in globals()))"))
    finally:
        kernel.stop()
    assert second.cells[0].outputs[0]["text"] == "[]\n"


def test_a_report_after_another_equals_the_same_report_on_a_fresh_kernel(tmp_path, demo_database):
    connection = store.connect(demo_database)
    huizen = store.huizen(connection).head(2)
    connection.close()
    first, second = batch.huis_opdrachten(huizen, demo_database, tmp_path / "geen.csv", tmp_path / "warm")
    warm, fresh = WarmeKernel(), WarmeKernel()
    try:
        render(batch.HUIS_TEMPLATE, first.parameters, first.bestand, "A", warm)
        render(batch.HUIS_TEMPLATE, second.parameters, second.bestand, "B", warm)
        alone = tmp_path / "vers" / second.bestand.name
        render(batch.HUIS_TEMPLATE, second.parameters, alone, "B", fresh)
    finally:
        warm.stop()
        fresh.stop()
    assert second.bestand.read_text() == alone.read_text()
    assert first.naam not in second.bestand.read_text()


def test_kernels_of_one_process_never_share_socket_files():
    """Two threads of a Dask worker each start a kernel: in a shared folder both chose the same files."""
    from rapporten.kernels import IpcKernelManager

    first, second = IpcKernelManager(), IpcKernelManager()
    assert Path(first.ip).parent != Path(second.ip).parent

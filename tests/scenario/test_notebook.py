"""notebooks/what_if.ipynb runs top to bottom (so it cannot rot) and draws its chart."""

from __future__ import annotations

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from tests.scenario.conftest import ROOT


def test_what_if_notebook_executes_and_plots(monkeypatch):
    if "python3" not in KernelSpecManager().find_kernel_specs():
        pytest.fail("no python3 kernel: run `.venv/bin/python -m ipykernel install --sys-prefix`")
    monkeypatch.setenv("VASTAFF_NOTEBOOK_TIME_LIMIT", "10")
    nb = nbformat.read(ROOT / "notebooks" / "what_if.ipynb", as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=180,
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    tables = "\n".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "grade9-plus-300 vs baseline" in tables and "OPTIMAL" in tables

"""Both notebooks execute top to bottom on a real (tiny) run and draw their plots."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from cli.tiny_run import REPO_ROOT, TinyRun, make_tiny_run

NOTEBOOKS = {"inspect_metrics": 5, "curation_report": 4}  # name -> plots it draws


@pytest.fixture(scope="module")
def run_for_notebooks(tmp_path_factory: pytest.TempPathFactory) -> TinyRun:
    return make_tiny_run(tmp_path_factory.mktemp("notebook-run"))


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_takes_the_run_directory_as_a_papermill_parameter(name: str) -> None:
    notebook = nbformat.read(REPO_ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].source.startswith("run_dir = ")
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_executes_on_a_real_run_and_draws_its_plots(
    name: str, run_for_notebooks: TinyRun, tmp_path: Path
) -> None:
    papermill = pytest.importorskip("papermill")
    output = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(
        str(REPO_ROOT / "notebooks" / f"{name}.ipynb"),
        str(output),
        parameters={"run_dir": str(run_for_notebooks.run_dir)},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    executed = nbformat.read(output, as_version=4)
    outputs = [output for cell in executed.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    plots = [output for output in outputs if "image/png" in output.get("data", {})]
    assert len(plots) == NOTEBOOKS[name]

"""Jupyter notebooks decoded to scripts: code as code, markdown as comments, outputs dropped."""

from __future__ import annotations

import json
import sqlite3
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from litcode.sources.notebooks import NotebookError, notebook_to_script

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def notebook(cells: list[dict[str, Any]], **metadata: Any) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells})


def code(source: str | list[str], outputs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "source": source,
        "outputs": outputs or [],
        "execution_count": 1,
        "metadata": {},
    }


def markdown(source: str | list[str]) -> dict[str, Any]:
    return {"cell_type": "markdown", "source": source, "metadata": {}}


PYTHON = {"kernelspec": {"name": "python3", "language": "python"}}


def test_code_cells_stay_code_and_markdown_becomes_comments() -> None:
    text = notebook([markdown(["# Title\n", "Some *prose*."]), code(["x = 1\n", "print(x)"])], **PYTHON)
    assert notebook_to_script(text).content == "# # Title\n# Some *prose*.\n\nx = 1\nprint(x)\n"


def test_outputs_are_dropped() -> None:
    image = {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo" * 100}}
    text = notebook(
        [code("plot()", outputs=[image, {"output_type": "stream", "text": "SECRET-OUTPUT"}])], **PYTHON
    )
    assert notebook_to_script(text).content == "plot()\n"


@pytest.mark.parametrize(
    ("metadata", "language", "comment"),
    [
        ({"kernelspec": {"language": "R"}}, "r", "# "),
        ({"kernelspec": {"language": "javascript"}}, "javascript", "// "),
        ({"language_info": {"name": "julia"}}, "julia", "# "),
        ({"kernelspec": {"language": "scala"}}, "scala", "// "),
        ({}, "python", "# "),
    ],
)
def test_markdown_is_commented_in_the_kernel_language(metadata, language, comment) -> None:
    script = notebook_to_script(notebook([markdown("Explain."), code("run()")], **metadata))
    assert (script.language, script.content) == (language, f"{comment}Explain.\n\nrun()\n")


def test_nbformat_3_worksheets_are_read() -> None:
    text = json.dumps(
        {"nbformat": 3, "worksheets": [{"cells": [{"cell_type": "code", "input": ["a = 2\n"]}]}]}
    )
    assert notebook_to_script(text).content == "a = 2\n"


@pytest.mark.parametrize(
    "text", ["{not json", "[1, 2]", json.dumps({"nbformat": 4}), json.dumps({"cells": [{"source": 3}]})]
)
def test_a_broken_notebook_is_a_notebook_error(text) -> None:
    with pytest.raises(NotebookError):
        notebook_to_script(text)


@pytest.fixture(scope="module")
def curated_notebooks(tmp_path_factory) -> Path:
    """A repository with a real module turned into a notebook, a broken notebook and an R notebook."""
    from litcode.curation import CurationConfig, curate

    root = tmp_path_factory.mktemp("notebooks")
    repo = root / "repos" / "analysis"
    repo.mkdir(parents=True)
    module = (STDLIB / "json" / "decoder.py").read_text()
    (repo / "explore.ipynb").write_text(
        notebook([markdown("# JSON decoding\nThe stdlib decoder, cell by cell."), code(module)], **PYTHON)
    )
    (repo / "broken.ipynb").write_text('{"cells": [')
    (repo / "stats.ipynb").write_text(
        notebook(
            [markdown("Fit a model."), code((STDLIB / "statistics.py").read_text())],
            kernelspec={"language": "R"},
        )
    )
    curate(root / "repos", root / "out", CurationConfig(licenses="off", near_dedup=False), num_workers=0)
    return root / "out"


def manifest_rows(out: Path) -> dict[str, tuple[str, str, str | None]]:
    with sqlite3.connect(out / "manifest.sqlite") as db:
        rows = db.execute("SELECT sample_id, language, decision, reason FROM samples").fetchall()
    return {sample_id: (language, decision, reason) for sample_id, language, decision, reason in rows}


def test_a_broken_notebook_is_a_recorded_unreadable_drop(curated_notebooks) -> None:
    assert manifest_rows(curated_notebooks)["analysis/broken.ipynb"][1:] == ("dropped", "unreadable")


def test_notebooks_are_counted_as_their_kernel_language(curated_notebooks) -> None:
    rows = manifest_rows(curated_notebooks)
    assert rows["analysis/explore.ipynb"] == ("python", "kept", None)
    assert rows["analysis/stats.ipynb"][0] == "r"


def test_the_kept_content_is_the_script_not_the_json(curated_notebooks) -> None:
    import pyarrow.parquet as pq

    kept = {row["sample_id"]: row["content"] for row in pq.read_table(curated_notebooks / "kept").to_pylist()}
    script = kept["analysis/explore.ipynb"]
    assert script.startswith("# # JSON decoding\n# The stdlib decoder, cell by cell.\n\n")
    assert '"cell_type"' not in script

"""Scripts without an ``if __name__ == "__main__":`` guard work, whatever starts them (DESIGN's rules).

Each script runs as a real subprocess under a time limit: a hang fails the test
instead of the suite. Each run of the script's top level appends a line to
``runs.txt``, so a worker that re-ran the script would show as a second line.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from litcode.curation.executors.start_method import main_module_reimport_is_unsafe, worker_context

STDLIB = Path(textwrap.__file__).parent
CORPUS_FILES = ("textwrap.py", "colorsys.py", "bisect.py", "heapq.py", "keyword.py", "fnmatch.py")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus" / "stdlib-repo"
    root.mkdir(parents=True)
    for name in CORPUS_FILES:
        (root / name).write_bytes((STDLIB / name).read_bytes())
    return tmp_path / "corpus"


def curate_script(corpus: Path, out: Path, runs: Path) -> str:
    return textwrap.dedent(
        f"""
        from litcode.curation import CurationConfig, curate

        with open({str(runs)!r}, "a") as handle:
            handle.write("ran\\n")
        result = curate({str(corpus)!r}, {str(out)!r}, CurationConfig(licenses="off"), num_workers=2)
        print("inputs", result.inputs)
        """
    )


def manifest_rows(out: Path) -> int:
    with sqlite3.connect(out / "manifest.sqlite") as connection:
        return connection.execute("SELECT COUNT(*) FROM samples").fetchone()[0]


def test_unguarded_script_curates_with_two_workers_and_runs_its_top_level_once(corpus, tmp_path):
    script = tmp_path / "unguarded.py"
    runs = tmp_path / "runs.txt"
    script.write_text(curate_script(corpus, tmp_path / "out", runs))
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"inputs {len(CORPUS_FILES)}" in done.stdout
    assert manifest_rows(tmp_path / "out") == len(CORPUS_FILES)
    assert runs.read_text().splitlines() == ["ran"]


def test_script_read_from_stdin_curates_with_two_workers(corpus, tmp_path):
    runs = tmp_path / "runs.txt"
    done = subprocess.run(
        [sys.executable, "-"],
        input=curate_script(corpus, tmp_path / "out", runs),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert manifest_rows(tmp_path / "out") == len(CORPUS_FILES)
    assert runs.read_text().splitlines() == ["ran"]


def _main(tmp_path: Path, source: str | None, name: str = "script.py") -> types.ModuleType:
    module = types.ModuleType("__main__")
    if source is not None:
        path = tmp_path / name
        path.write_text(source)
        module.__file__ = str(path)
    return module


@pytest.mark.parametrize(
    ("source", "unsafe"),
    [
        ("import litcode\nprint('work at top level')\n", True),
        ("def main():\n    pass\n\nif __name__ == '__main__':\n    main()\n", False),
        ('if "__main__" == __name__:\n    pass\n', False),
        ("if __name__ == '__main__' or True:\n    pass\n", True),  # not a guard: runs on import
        ("def f():\n    if __name__ == '__main__':\n        pass\n", True),  # nested: not top level
        ("this is not python (\n", True),
    ],
)
def test_reimport_safety_reads_the_main_files_top_level(tmp_path, source, unsafe):
    assert main_module_reimport_is_unsafe(_main(tmp_path, source)) is unsafe


def test_a_main_without_a_file_on_disk_is_unsafe(tmp_path):
    module = types.ModuleType("__main__")
    module.__file__ = "<stdin>"
    assert main_module_reimport_is_unsafe(module) is True


def test_an_interactive_main_is_safe():
    assert main_module_reimport_is_unsafe(types.ModuleType("__main__")) is False


def test_unguarded_main_forks_and_guarded_main_spawns(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "__main__", _main(tmp_path, "x = 1\n", "unguarded.py"))
    context = worker_context()
    assert context is not None and context.get_start_method() == "fork"
    monkeypatch.setitem(sys.modules, "__main__", _main(tmp_path, "if __name__ == '__main__':\n    x = 1\n"))
    context = worker_context()
    assert context is not None and context.get_start_method() == "spawn"


def test_without_fork_an_unguarded_main_curates_in_process_with_a_warning(tmp_path, monkeypatch):
    import multiprocessing

    from litcode.curation.executors import LocalExecutor

    monkeypatch.setitem(sys.modules, "__main__", _main(tmp_path, "x = 1\n", "unguarded.py"))
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with pytest.warns(RuntimeWarning, match="guard"):
        executor = LocalExecutor(num_workers=2)
    assert executor.in_process
    with executor:
        assert list(executor.map(abs, [-1, -2])) == [1, 2]


def ddp_training_script(corpus: Path, tmp_path: Path, runs: Path) -> str:
    return textwrap.dedent(
        f"""
        import os
        import pytorch_lightning as pl
        from litcode.curation import CurationConfig
        from litcode.data import CodeDataModule
        from litcode.models import CodeLM

        with open({str(runs)!r}, "a") as handle:
            handle.write(os.environ.get("LOCAL_RANK", "0") + "\\n")
        data = CodeDataModule(
            source={str(corpus)!r}, cache_dir={str(tmp_path / "cache")!r}, seq_len=32, batch_size=4,
            val_fraction=0.0, curation=CurationConfig(licenses="off", near_dedup=False), curation_workers=2,
        )
        model = CodeLM(
            vocab_size=data.vocab_size, block_size=32, n_layer=1, n_head=2, n_embd=16, warmup_steps=1
        )
        trainer = pl.Trainer(
            accelerator="cpu", devices=2, strategy="ddp", max_steps=2, logger=False,
            enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
            default_root_dir={str(tmp_path / "run")!r}, limit_val_batches=0,
        )
        trainer.fit(model, datamodule=data)
        print("fitted", trainer.global_step)
        """
    )


@pytest.mark.slow
@pytest.mark.ddp
def test_unguarded_ddp_training_script_with_curation_workers_finishes(corpus, tmp_path):
    script = tmp_path / "train_unguarded.py"
    runs = tmp_path / "runs.txt"
    script.write_text(ddp_training_script(corpus, tmp_path, runs))
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "fitted 2" in done.stdout
    # Lightning re-runs the script once per extra rank; curation workers never re-run it.
    assert sorted(runs.read_text().split()) == ["0", "1"]

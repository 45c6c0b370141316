"""Language names: by extension, by file name, by #! line, and from The Stack's lang values."""

from __future__ import annotations

import pytest

from litcode.quality import detect_language, normalize_language
from litcode.quality.languages import EXTENSION_TO_LANGUAGE, language_from_shebang


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("pkg/module.py", "python"),
        ("src/main.rs", "rust"),
        ("cmd/server/main.go", "go"),
        ("web/app.js", "javascript"),
        ("web/App.tsx", "typescript"),
        ("src/Main.java", "java"),
        ("lib/list.c", "c"),
        ("lib/vector.hpp", "cpp"),
        ("lib/Vector.CPP", "cpp"),  # extensions are case-insensitive
        ("Program.cs", "c-sharp"),
        ("app/models/user.rb", "ruby"),
        ("index.php", "php"),
        ("scripts/build.sh", "shell"),
        ("App.kt", "kotlin"),
        ("View.swift", "swift"),
        ("Main.scala", "scala"),
        ("init.lua", "lua"),
        ("analysis.R", "r"),
        ("solve.jl", "julia"),
        ("Main.hs", "haskell"),
        ("schema.sql", "sql"),
        ("index.html", "html"),
        ("style.css", "css"),
        ("README.md", "markdown"),
        ("config.yaml", "yaml"),
        ("package.json", "json"),
        ("pyproject.toml", "toml"),
        ("Dockerfile", "dockerfile"),
        ("Makefile", "makefile"),
        ("windows\\path\\tool.py", "python"),
    ],
)
def test_detect_language_by_extension_or_name(path, language):
    assert detect_language(path) == language


@pytest.mark.parametrize(
    ("first_line", "language"),
    [
        ("#!/usr/bin/env python3", "python"),
        ("#!/usr/bin/python3.11 -u", "python"),
        ("#!/bin/bash", "shell"),
        ("#!/bin/sh -e", "shell"),
        ("#!/usr/bin/env node", "javascript"),
        ("#!/usr/bin/env -S deno run", "typescript"),
        ("#!/usr/bin/env ruby", "ruby"),
        ("#!/usr/bin/perl -w", "perl"),
        ("#!/usr/bin/env Rscript", "r"),
    ],
)
def test_detect_language_by_shebang_when_extension_is_missing(first_line, language):
    assert detect_language("bin/tool", first_line + "\nbody\n") == language


def test_extension_wins_over_shebang():
    assert detect_language("tool.py", "#!/bin/bash\n") == "python"


@pytest.mark.parametrize(
    "first_line", ["#!", "#!/usr/bin/env", "#!/opt/unknown-interpreter", "# not a shebang"]
)
def test_unrecognised_shebang_gives_none(first_line):
    assert language_from_shebang(first_line) is None


def test_unknown_extension_without_shebang_gives_none():
    assert detect_language("data/blob.bin", "\x00\x01") is None
    assert detect_language("notes") is None


@pytest.mark.parametrize(
    ("stack_lang", "language"),
    [
        ("Python", "python"),
        ("C++", "cpp"),
        ("C#", "c-sharp"),
        ("F#", "f-sharp"),
        ("Go", "go"),
        ("JavaScript", "javascript"),
        ("Jupyter Notebook", "jupyter-notebook"),
        ("Visual Basic", "visual-basic"),
        ("Shell", "shell"),
        ("  rust ", "rust"),
    ],
)
def test_normalize_language_maps_the_stacks_names(stack_lang, language):
    assert normalize_language(stack_lang) == language


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_normalize_language_of_blank_is_none(blank):
    assert normalize_language(blank) is None


def test_extension_table_speaks_the_same_names_as_normalize_language():
    for language in set(EXTENSION_TO_LANGUAGE.values()):
        assert normalize_language(language) == language

"""Framework detection: each framework from how code imports it, several at once, any case."""

from __future__ import annotations

import pytest

from litcode.quality import FRAMEWORK_LANGUAGES, QualityChecker, detect_frameworks

IMPORT_EXAMPLES = [
    ("fastapi", "python", "from fastapi import FastAPI\n\napp = FastAPI()\n"),
    ("django", "python", "from django.db import models\n"),
    ("django", "python", "import django\n"),
    ("flask", "python", "from flask import Flask, request\n"),
    ("pytorch", "python", "import torch\nimport torch.nn as nn\n"),
    ("pytorch", "python", "from torch.utils.data import DataLoader\n"),
    ("pytorch", "python", "import numpy as np, torch\n"),
    ("tensorflow", "python", "import tensorflow as tf\n"),
    ("tensorflow", "python", "from tensorflow import keras\n"),
    ("actix", "rust", "use actix_web::{web, App, HttpServer};\n"),
    ("actix", "rust", "#[actix_web::main]\nasync fn main() {}\n"),
    ("rocket", "rust", "#[macro_use] extern crate rocket;\n"),
    ("rocket", "rust", "use rocket::get;\n"),
    ("tokio", "rust", "#[tokio::main]\nasync fn main() {}\n"),
    ("tokio", "rust", "fn main() {\n    tokio::spawn(work());\n}\n"),
    ("gin", "go", 'import "github.com/gin-gonic/gin"\n'),
    ("gin", "go", 'import (\n\t"net/http"\n\n\t"github.com/gin-gonic/gin"\n)\n'),
    ("echo", "go", 'import (\n\t"github.com/labstack/echo/v4"\n)\n'),
    ("fiber", "go", 'import fiber "github.com/gofiber/fiber/v2"\n'),
]


@pytest.mark.parametrize(("framework", "language", "content"), IMPORT_EXAMPLES)
def test_detects_framework_from_its_import(framework, language, content):
    assert detect_frameworks(content, language) == [framework]


def test_every_framework_has_an_example():
    assert {framework for framework, _, _ in IMPORT_EXAMPLES} == set(FRAMEWORK_LANGUAGES)


def test_detects_several_frameworks_sorted():
    content = "import tensorflow as tf\nimport torch\nfrom fastapi import FastAPI\nfrom flask import Flask\n"
    assert detect_frameworks(content, "python") == ["fastapi", "flask", "pytorch", "tensorflow"]


def test_detects_several_rust_frameworks():
    content = "use actix_web::App;\nuse tokio::sync::Mutex;\n"
    assert detect_frameworks(content, "rust") == ["actix", "tokio"]


def test_detects_several_go_frameworks():
    content = 'import (\n\t"github.com/gofiber/fiber/v2"\n\t"github.com/labstack/echo/v4"\n)\n'
    assert detect_frameworks(content, "go") == ["echo", "fiber"]


@pytest.mark.parametrize(
    "content",
    ["IMPORT TORCH\n", "From FastAPI Import FastAPI\n", "import Django\n", "from Flask import Flask\n"],
)
def test_detection_is_case_insensitive(content):
    assert len(detect_frameworks(content, "python")) == 1


def test_case_insensitive_rust_and_go():
    assert detect_frameworks("USE Tokio::spawn;\n", "rust") == ["tokio"]
    assert detect_frameworks('import "GitHub.com/Gin-Gonic/Gin"\n', "go") == ["gin"]


@pytest.mark.parametrize(
    ("language", "content"),
    [
        ("python", "# We used to depend on torch and flask here.\nx = 1\n"),
        ("python", "print('fastapi and django are both frameworks')\n"),
        ("python", "import torchvision\nimport flask_cors_like\n"),
        ("rust", "// switched from tokio::spawn to threads\nfn main() {}\n"),
        ("go", '// see "github.com/gin-gonic/gin" for the old router\nfunc main() {}\n'),
        ("go", 'msg := "echo fiber gin"\n'),
    ],
)
def test_mentions_in_prose_or_comments_do_not_count(language, content):
    assert detect_frameworks(content, language) == []


def test_known_language_only_looks_for_its_own_frameworks():
    assert detect_frameworks("use tokio::spawn;\n", "python") == []


def test_unknown_language_looks_for_every_framework():
    assert detect_frameworks("import torch\nuse tokio::spawn;\n", None) == ["pytorch", "tokio"]


def test_checker_delegates_framework_detection():
    assert QualityChecker().detect_frameworks("import torch\n", "python") == ["pytorch"]

"""Which programming language a file is written in, named the way The Stack names them.

Names are The Stack's ``lang`` values lowercased with spaces as hyphens, except the
three whose symbols make poor identifiers: ``C++`` is ``cpp``, ``C#`` is ``c-sharp``
(The Stack's own folder name) and ``F#`` is ``f-sharp``. Sources that carry a
``lang`` column pass it through :func:`normalize_language`; sources that only have a
path use :func:`detect_language` (extension first, then the ``#!`` line).
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

# Extension (lowercase, with the dot) -> language. Covers The Stack's languages that
# people train code models on; an extension missing here yields None, never a guess.
EXTENSION_TO_LANGUAGE: dict[str, str] = {
    ".py": "python", ".pyi": "python", ".pyw": "python", ".pyx": "cython", ".pxd": "cython",
    ".ipynb": "jupyter-notebook",
    ".rs": "rust", ".go": "go",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "typescript", ".tsx": "typescript", ".mts": "typescript", ".cts": "typescript",
    ".java": "java", ".kt": "kotlin", ".kts": "kotlin", ".scala": "scala", ".sc": "scala",
    ".groovy": "groovy", ".gradle": "groovy", ".clj": "clojure", ".cljs": "clojure",
    ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".c++": "cpp",
    ".hh": "cpp", ".hpp": "cpp", ".hxx": "cpp", ".h++": "cpp", ".ino": "cpp", ".cu": "cuda",
    ".cuh": "cuda", ".m": "objective-c", ".mm": "objective-cpp",
    ".cs": "c-sharp", ".fs": "f-sharp", ".fsx": "f-sharp", ".vb": "visual-basic",
    ".rb": "ruby", ".rake": "ruby", ".gemspec": "ruby", ".php": "php", ".phtml": "php",
    ".sh": "shell", ".bash": "shell", ".zsh": "shell", ".ksh": "shell", ".fish": "fish",
    ".ps1": "powershell", ".psm1": "powershell", ".bat": "batchfile", ".cmd": "batchfile",
    ".swift": "swift", ".dart": "dart", ".lua": "lua", ".pl": "perl", ".pm": "perl",
    ".r": "r", ".jl": "julia", ".hs": "haskell", ".lhs": "literate-haskell",
    ".ml": "ocaml", ".mli": "ocaml", ".ex": "elixir", ".exs": "elixir", ".erl": "erlang",
    ".hrl": "erlang", ".el": "emacs-lisp", ".lisp": "common-lisp", ".scm": "scheme",
    ".rkt": "racket", ".zig": "zig", ".nim": "nim", ".v": "verilog", ".sv": "systemverilog",
    ".vhd": "vhdl", ".vhdl": "vhdl", ".f": "fortran", ".f90": "fortran", ".f95": "fortran",
    ".asm": "assembly", ".s": "assembly", ".sol": "solidity", ".pas": "pascal",
    ".ada": "ada", ".adb": "ada", ".tcl": "tcl", ".awk": "awk", ".mat": "matlab",
    ".sql": "sql", ".html": "html", ".htm": "html", ".css": "css", ".scss": "scss",
    ".sass": "sass", ".less": "less", ".vue": "vue", ".svelte": "svelte",
    ".md": "markdown", ".markdown": "markdown", ".rst": "restructuredtext",
    ".tex": "tex", ".adoc": "asciidoc", ".yaml": "yaml", ".yml": "yaml", ".json": "json",
    ".toml": "toml", ".xml": "xml", ".ini": "ini", ".cfg": "ini", ".proto": "protocol-buffer",
    ".cmake": "cmake", ".mk": "makefile", ".dockerfile": "dockerfile", ".tf": "hcl",
    ".hcl": "hcl", ".graphql": "graphql", ".glsl": "glsl", ".wat": "webassembly",
}  # fmt: skip

# Files whose name, not extension, says what they are.
FILENAME_TO_LANGUAGE: dict[str, str] = {
    "dockerfile": "dockerfile", "containerfile": "dockerfile", "makefile": "makefile",
    "gnumakefile": "makefile", "cmakelists.txt": "cmake", "rakefile": "ruby", "gemfile": "ruby",
    "vagrantfile": "ruby", "jenkinsfile": "groovy", "build": "starlark", "build.bazel": "starlark",
}  # fmt: skip

# Interpreter named on a ``#!`` line (version digits stripped) -> language.
INTERPRETER_TO_LANGUAGE: dict[str, str] = {
    "python": "python", "pypy": "python", "sh": "shell", "bash": "shell", "zsh": "shell",
    "ksh": "shell", "dash": "shell", "ash": "shell", "fish": "fish", "node": "javascript",
    "nodejs": "javascript", "deno": "typescript", "ts-node": "typescript", "bun": "javascript",
    "ruby": "ruby", "perl": "perl", "php": "php", "lua": "lua", "luajit": "lua", "rscript": "r",
    "julia": "julia", "runghc": "haskell", "runhaskell": "haskell", "stack": "haskell",
    "scala": "scala", "kotlin": "kotlin", "swift": "swift", "tclsh": "tcl", "wish": "tcl",
    "pwsh": "powershell", "powershell": "powershell", "awk": "awk", "gawk": "awk",
    "elixir": "elixir", "escript": "erlang", "make": "makefile", "osascript": "applescript",
}  # fmt: skip

# The Stack's ``lang`` values (and common nicknames) that do not map by lowercasing alone.
_LANGUAGE_ALIASES: dict[str, str] = {
    "c++": "cpp", "c#": "c-sharp", "csharp": "c-sharp", "f#": "f-sharp", "fsharp": "f-sharp",
    "objective-c++": "objective-cpp", "objective-c": "objective-c", "objc": "objective-c",
    "py": "python", "python3": "python", "golang": "go", "js": "javascript", "node": "javascript",
    "ts": "typescript", "sh": "shell", "bash": "shell", "zsh": "shell", "yml": "yaml",
    "rs": "rust", "rb": "ruby", "kt": "kotlin", "md": "markdown", "jsx": "javascript",
    "tsx": "typescript", "cc": "cpp", "cxx": "cpp", "hpp": "cpp", "h": "c", "cs": "c-sharp",
    "jupyter": "jupyter-notebook", "ipynb": "jupyter-notebook", "vb": "visual-basic",
    "batch": "batchfile", "dockerfile": "dockerfile", "make": "makefile",
}  # fmt: skip


@lru_cache(maxsize=1024)
def normalize_language(name: str | None) -> str | None:
    """Map a language name from any source onto litcode's names; None for a blank name.

    >>> [normalize_language(n) for n in ("Python", "C++", "C#", "Jupyter Notebook", " ")]
    ['python', 'cpp', 'c-sharp', 'jupyter-notebook', None]
    """
    if name is None:
        return None
    key = name.strip().lower()
    if not key:
        return None
    return _LANGUAGE_ALIASES.get(key, key.replace(" ", "-"))


def language_from_shebang(first_line: str) -> str | None:
    """The language of a ``#!`` interpreter line, e.g. ``#!/usr/bin/env python3`` -> python.

    >>> language_from_shebang("#!/usr/bin/env -S node --harmony")
    'javascript'
    """
    if not first_line.startswith("#!"):
        return None
    words = first_line[2:].split()
    if not words:
        return None
    program = posixpath.basename(words[0])
    if program == "env":
        # `env [-S] [VAR=value ...] program args`: the program is the first plain word.
        rest = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        if not rest:
            return None
        program = posixpath.basename(rest[0])
    # python3.11 -> python, perl5 -> perl; keep names such as ts-node whole.
    program = program.lower().rstrip("0123456789.")
    return INTERPRETER_TO_LANGUAGE.get(program)


def detect_language(path: str, content: str | None = None) -> str | None:
    """The language of the file at ``path``: by extension, by file name, then by ``#!`` line.

    The extension wins over the ``#!`` line because it is what The Stack used; the
    ``#!`` line only decides for files without a known extension (``bin/tool``).

    >>> detect_language("src/lib.rs"), detect_language("bin/tool", "#!/bin/bash\\necho hi\\n")
    ('rust', 'shell')
    >>> detect_language("notes.unknown") is None
    True
    """
    name = posixpath.basename(path.replace("\\", "/")).lower()
    by_name = FILENAME_TO_LANGUAGE.get(name)
    if by_name is not None:
        return by_name
    _, extension = posixpath.splitext(name)
    by_extension = EXTENSION_TO_LANGUAGE.get(extension)
    if by_extension is not None:
        return by_extension
    if content and content.startswith("#!"):
        end = content.find("\n", 0, 512)
        return language_from_shebang(content[: end if end >= 0 else 512])
    return None

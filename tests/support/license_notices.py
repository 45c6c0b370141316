"""Notices as source files and package metadata write them, each with the SPDX id it means.

Written for the tests and the benchmark, in the wordings found in the wild: the
canonical GNU notices and the variants the issue quotes ("under the terms version 2
of the GNU General Public License", "the GNU General Public License, v2", "version
2.1 of the GNU Lesser General Public License"), Apache/ASF headers, MPL, EPL, CDDL,
Boost, zlib, the MIT/X11/ISC/HPND family, ``SPDX-License-Identifier:`` tags and dual
licenses. ``None`` means no license is stated and detection must say so.
"""

from __future__ import annotations

GPL_WARRANTY = (
    "This program is distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; "
    "without even the implied warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. "
    "See the GNU General Public License for more details."
)
APACHE_HEADER = """Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License."""
ZLIB_TEXT = """This software is provided 'as-is', without any express or implied
warranty.  In no event will the authors be held liable for any damages
arising from the use of this software.

Permission is granted to anyone to use this software for any purpose,
including commercial applications, and to alter it and redistribute it
freely, subject to the following restrictions:

1. The origin of this software must not be misrepresented; you must not
   claim that you wrote the original software. If you use this software
   in a product, an acknowledgment in the product documentation would be
   appreciated but is not required.
2. Altered source versions must be plainly marked as such, and must not be
   misrepresented as being the original software.
3. This notice may not be removed or altered from any source distribution."""
ISC_TEXT = """Permission to use, copy, modify, and/or distribute this software for any
purpose with or without fee is hereby granted, provided that the above
copyright notice and this permission notice appear in all copies.

THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE."""
MIT_SELL_VARIANT = """Permission to use, copy, modify, distribute, and sell this software and its
documentation for any purpose is hereby granted without fee, provided that
the above copyright notice appear in all copies and that both that
copyright notice and this permission notice appear in supporting
documentation, and that the name of the author not be used in advertising or
publicity pertaining to distribution of the software without specific,
written prior permission.  The author makes no representations about the
suitability of this software for any purpose.  It is provided "as is"
without express or implied warranty."""
HPND_TEXT = """Permission to use, copy, modify, and distribute this software and its
documentation for any purpose and without fee is hereby granted,
provided that the above copyright notice appear in all copies and that
both that copyright notice and this permission notice appear in
supporting documentation, and that the name of the author not be
used in advertising or publicity pertaining to distribution of the
software without specific, written prior permission.

THE AUTHOR DISCLAIMS ALL WARRANTIES WITH REGARD TO THIS SOFTWARE,
INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS, IN NO
EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, INDIRECT OR
CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF
USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR
OTHER TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR
PERFORMANCE OF THIS SOFTWARE."""

# (notice, SPDX expression or None)
NOTICES: list[tuple[str, str | None]] = [
    (
        "# This program is free software; you can redistribute it and/or modify\n"
        "# it under the terms of the GNU General Public License as published by\n"
        "# the Free Software Foundation; either version 2 of the License, or\n"
        "# (at your option) any later version.\n#\n# " + GPL_WARRANTY,
        "GPL-2.0-or-later",
    ),
    (
        "This program is free software: you can redistribute it and/or modify it under the terms of "
        "the GNU General Public License as published by the Free Software Foundation, either version 3 "
        "of the License, or (at your option) any later version.",
        "GPL-3.0-or-later",
    ),
    (
        " * This file is part of Frobnicator.\n *\n * Frobnicator is free software: you can redistribute it "
        "and/or modify\n * it under the terms of the GNU General Public License as published by\n * the Free "
        "Software Foundation, either version 3 of the License, or\n * (at your option) any later version.\n",
        "GPL-3.0-or-later",
    ),
    (
        "This program is free software; you can redistribute it and/or modify it under the terms of the "
        "GNU General Public License version 2 as published by the Free Software Foundation.",
        "GPL-2.0-only",
    ),
    (
        "This program is free software; you can redistribute it and/or modify it under the terms "
        "version 2 of the GNU General Public License as published by the Free Software Foundation.",
        "GPL-2.0-only",
    ),
    ("This package is licensed under the GNU General Public License, v2.", "GPL-2.0-only"),
    ("Licensed under the GNU General Public License version 3.", "GPL-3.0-only"),
    (
        "This library is free software; you can redistribute it and/or modify it under the terms of the "
        "GNU Lesser General Public License as published by the Free Software Foundation; either version "
        "2.1 of the License, or (at your option) any later version.",
        "LGPL-2.1-or-later",
    ),
    (
        "This library is free software; you can redistribute it and/or modify it under the terms of "
        "version 2.1 of the GNU Lesser General Public License as published by the Free Software Foundation.",
        "LGPL-2.1-only",
    ),
    (
        "This library is free software; you can redistribute it and/or modify it under the terms of the "
        "GNU Library General Public License as published by the Free Software Foundation; either version 2 "
        "of the License, or (at your option) any later version.",
        "LGPL-2.0-or-later",
    ),
    (
        "This program is free software: you can redistribute it and/or modify it under the terms of the "
        "GNU Lesser General Public License as published by the Free Software Foundation, either version 3 "
        "of the License, or (at your option) any later version.",
        "LGPL-3.0-or-later",
    ),
    (
        "This program is free software: you can redistribute it and/or modify it under the terms of the "
        "GNU Affero General Public License as published by the Free Software Foundation, either version 3 "
        "of the License, or (at your option) any later version.",
        "AGPL-3.0-or-later",
    ),
    (
        "This program is free software: you can redistribute it and/or modify it under the terms of the "
        "GNU Affero General Public License version 3 as published by the Free Software Foundation.",
        "AGPL-3.0-only",
    ),
    ("# " + APACHE_HEADER.replace("\n", "\n# "), "Apache-2.0"),
    (
        "Licensed to the Apache Software Foundation (ASF) under one or more contributor license "
        "agreements.  See the NOTICE file distributed with this work for additional information "
        "regarding copyright ownership.  The ASF licenses this file to You under the Apache License, "
        'Version 2.0 (the "License"); you may not use this file except in compliance with the License.',
        "Apache-2.0",
    ),
    ('// Licensed under the Apache License, Version 2.0 (the "License");', "Apache-2.0"),
    (
        "This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0. If a copy "
        "of the MPL was not distributed with this file, You can obtain one at http://mozilla.org/MPL/2.0/.",
        "MPL-2.0",
    ),
    (
        'The contents of this file are subject to the Mozilla Public License Version 1.1 (the "License"); '
        "you may not use this file except in compliance with the License. You may obtain a copy of the "
        "License at http://www.mozilla.org/MPL/",
        "MPL-1.1",
    ),
    (
        "All rights reserved. This program and the accompanying materials are made available under the "
        "terms of the Eclipse Public License v1.0 which accompanies this distribution, and is available "
        "at http://www.eclipse.org/legal/epl-v10.html",
        "EPL-1.0",
    ),
    (
        "This program and the accompanying materials are made available under the terms of the Eclipse "
        "Public License 2.0 which is available at https://www.eclipse.org/legal/epl-2.0/",
        "EPL-2.0",
    ),
    (
        "//  Distributed under the Boost Software License, Version 1.0.\n//  (See accompanying file "
        "LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)",
        "BSL-1.0",
    ),
    (ZLIB_TEXT, "Zlib"),
    (ISC_TEXT, "ISC"),
    ("Released under the MIT license.", "MIT"),
    ("This project is licensed under the terms of the MIT license.", "MIT"),
    (
        "# Use of this source code is governed by a BSD-style license that can be found in the LICENSE file.",
        "BSD-3-Clause",
    ),
    ("// SPDX-License-Identifier: MIT OR Apache-2.0\nfn main() {}", "MIT OR Apache-2.0"),
    ("/* SPDX-License-Identifier: GPL-2.0+ */", "GPL-2.0-or-later"),
    (
        "/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */",
        "GPL-2.0-only WITH Linux-syscall-note",
    ),
    ("# SPDX-License-Identifier: BSD-3-Clause", "BSD-3-Clause"),
    ("<!-- SPDX-License-Identifier: CC-BY-4.0 -->", "CC-BY-4.0"),
    (
        "Licensed under either of\n\n * Apache License, Version 2.0, (LICENSE-APACHE or "
        "http://www.apache.org/licenses/LICENSE-2.0)\n * MIT license (LICENSE-MIT or "
        "http://opensource.org/licenses/MIT)\n\nat your option.",
        "Apache-2.0 OR MIT",
    ),
    ("Copyright (c) 2020 Frobnicator Authors. All rights reserved.", None),
    ("def main():\n    return 0\n", None),
    ("", None),
    ("import os\n\n# read the license key from the environment\nKEY = os.environ['LICENSE_KEY']\n", None),
]
# Texts whose exact id is disputed between data sets but whose class is not: permissive.
PERMISSIVE_VARIANTS: list[str] = [
    MIT_SELL_VARIANT,
    HPND_TEXT,  # HPND or MIT-CMU depending on the advertising clause
    "This is free and unencumbered software released into the public domain.",  # Unlicense's first line
]
# Texts whose exact id depends on a version they do not state, but whose class is not: copyleft.
NON_PERMISSIVE_VARIANTS: list[str] = [
    "The contents of this file are subject to the terms of the Common Development and Distribution "
    'License (the "License").  You may not use this file except in compliance with the License.',
    "This file may be redistributed under the terms of the GNU General Public License.",
]

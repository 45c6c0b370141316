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
    # Headers of widely copied projects and tools, as they appear in source files.
    ("// Copyright (c) Microsoft Corporation.\n// Licensed under the MIT License.", "MIT"),
    (
        "Licensed under the MIT License. See License.txt in the project root for license information.",
        "MIT",
    ),
    (
        "Use of this source code is governed by an MIT-style license that can be\n"
        "found in the LICENSE file at https://angular.io/license",
        "MIT",
    ),
    (
        " * This source code is licensed under the MIT license found in the\n"
        " * LICENSE file in the root directory of this source tree.",
        "MIT",
    ),
    ("#  Distributed under the terms of the Modified BSD License.", "BSD-3-Clause"),
    ("/**\n * @license MIT\n */\nexport const x = 1;", "MIT"),
    ("__license__ = 'BSD-3-Clause'\n__version__ = '1.0'", "BSD-3-Clause"),
    ("Released under the Apache 2.0 license.", "Apache-2.0"),
    (
        "Licensed under the Universal Permissive License v 1.0 as shown at "
        "https://oss.oracle.com/licenses/upl.",
        "UPL-1.0",
    ),
    ("This work is licensed under a Creative Commons Attribution 4.0 International License.", "CC-BY-4.0"),
    (
        "To the extent possible under law, the author(s) have dedicated all copyright and related and\n"
        "neighboring rights to this software to the public domain worldwide. This software is distributed\n"
        "without any warranty.\n\nYou should have received a copy of the CC0 Public Domain Dedication along\n"
        "with this software. If not, see <http://creativecommons.org/publicdomain/zero/1.0/>.",
        "CC0-1.0",
    ),
    (
        "This file is part of GNU Emacs.\n\nGNU Emacs is free software: you can redistribute it and/or "
        "modify\nit under the terms of the GNU General Public License as published by\nthe Free Software "
        "Foundation, either version 3 of the License, or\n(at your option) any later version.",
        "GPL-3.0-or-later",
    ),
    (
        "This program is free software; you can redistribute it and/or modify it under the terms of the\n"
        "GNU General Public License as published by the Free Software Foundation; version 2 of the License.",
        "GPL-2.0-only",
    ),
    (
        "This library is free software; you can redistribute it and/or modify it under the terms of the "
        "GNU\nLesser General Public License version 2.1 as published by the Free Software Foundation.",
        "LGPL-2.1-only",
    ),
    (
        "Licensed under the EUPL, Version 1.2 or - as soon they will be approved by the European "
        'Commission -\nsubsequent versions of the EUPL (the "Licence");\nYou may not use this work except '
        "in compliance with the Licence.",
        "EUPL-1.2",
    ),
    (
        "This Source Code Form is subject to the terms of the Mozilla Public\nLicense, v. 2.0. If a copy of "
        "the MPL was not distributed with this\nfile, You can obtain one at http://mozilla.org/MPL/2.0/.\n\n"
        'This Source Code Form is "Incompatible With Secondary Licenses", as\ndefined by the Mozilla Public '
        "License, v. 2.0.",
        "MPL-2.0-no-copyleft-exception",
    ),
    ("// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)", "GPL-2.0-only OR BSD-2-Clause"),
    ("# SPDX-License-Identifier: LGPL-2.1-or-later", "LGPL-2.1-or-later"),
    (
        "Licensed under the Apache License, Version 2.0 <LICENSE-APACHE or\n"
        "http://www.apache.org/licenses/LICENSE-2.0> or the MIT license\n<LICENSE-MIT or "
        "http://opensource.org/licenses/MIT>, at your\noption. This file may not be copied, modified, or "
        "distributed\nexcept according to those terms.",
        "Apache-2.0 OR MIT",
    ),
    (
        "This program is free software: you can redistribute it and/or modify\nit under the terms of the GNU "
        "Affero General Public License as\npublished by the Free Software Foundation, either version 3 of the"
        "\nLicense, or (at your option) any later version.",
        "AGPL-3.0-or-later",
    ),
    (
        "This program is free software. It comes without any warranty, to the extent permitted by\n"
        "applicable law. You can redistribute it and/or modify it under the terms of the Do What The Fuck\n"
        "You Want To Public License, Version 2, as published by Sam Hocevar. See http://www.wtfpl.net/ for"
        "\nmore details.",
        "WTFPL",
    ),
    ("Licensed under the Eclipse Public License - v 2.0 (https://www.eclipse.org/legal/epl-2.0/)", "EPL-2.0"),
    ("This file is licensed under the Artistic License 2.0.", "Artistic-2.0"),
    ("Licensed under the Academic Free License version 3.0", "AFL-3.0"),
    (
        "This library is free software; you can redistribute it and/or modify it under the same terms as "
        "Perl itself.",
        "Artistic-1.0-Perl OR GPL-1.0-or-later",
    ),
    ("Licensed under the BSD 2-Clause License; see LICENSE for details.", "BSD-2-Clause"),
    ("This software is released under the ISC License.", "ISC"),
    ("See the LICENSE file for the terms of use.", None),
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

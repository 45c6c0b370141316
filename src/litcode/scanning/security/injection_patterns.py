"""Injection families by regex, for languages without a parser here: code, shell, SQL, markup, objects.

Regexes read lines, not syntax, so they are tuned to the idioms that matter
(``child_process.exec(`...${x}`)``, ``"select ... " + id`` in Java) and
accept a rare hit in a comment over a missed one in code. A call whose
argument is one plain string literal runs nothing computed and is not flagged.
"""

# ruff: noqa: E501  (a table of regexes and fixtures reads best one row per line)

from __future__ import annotations

from litcode.scanning.security.pattern_rule import C_FAMILY, JS, JVM, SQL_START, PatternSecurityRule, rule

_NOT_A_LITERAL = r"(?![\"'`][^\"'`$#{}]*[\"'`]\s*[,)])"  # the argument is not one plain string
_CSHARP = {"c-sharp"}

INJECTION_RULES: tuple[PatternSecurityRule, ...] = (
    # Code evaluation on computed input
    rule("eval_exec", "medium", JS, r"\beval\s*\(\s*" + _NOT_A_LITERAL + r"[^\s)]", "eval() on a computed value"),
    rule("eval_exec", "medium", JS, r"\bnew\s+Function\s*\(", "new Function() compiles strings to code"),
    rule("eval_exec", "medium", JS, r"\bvm\.runIn(?:New|This)?Context\s*\(\s*" + _NOT_A_LITERAL, "vm.runInContext on code"),
    rule("eval_exec", "high", {"php"}, r"\b(?:include|require)(?:_once)?\s*\(?\s*\$_(?:GET|POST|REQUEST|COOKIE)\b",
         "file inclusion from request data"),
    rule("eval_exec", "medium", JS, r"\bset(?:Timeout|Interval)\s*\(\s*[\"'`]", "timer with a code string"),
    rule("eval_exec", "medium", {"php"}, r"\b(?:eval|assert|create_function)\s*\(\s*[^)]*\$", "eval() on a variable"),
    rule("eval_exec", "medium", {"php"}, r"\bpreg_replace\s*\(\s*[\"'](.).*\1[a-z]*e[a-z]*[\"']", "preg_replace /e"),
    rule("eval_exec", "medium", {"ruby"}, r"\b(?:eval|instance_eval|class_eval|module_eval)\s*\(?\s*[a-z_@\"]",
         "eval on a computed value"),
    rule("eval_exec", "medium", {"shell"}, r"\beval\s+[\"']?\$", "eval of an expanded variable"),
    rule("eval_exec", "medium", JVM, r"\b(?:ScriptEngine\w*|engine)\s*\.\s*eval\s*\(\s*" + _NOT_A_LITERAL,
         "ScriptEngine.eval() on a computed value"),
    rule("eval_exec", "medium", _CSHARP, r"CSharpScript\.(?:Evaluate|Run)Async\s*\(", "C# script evaluation"),
    # Shell command execution with computed input
    rule("subprocess_shell_true", "high", JS,
         r"\b(?:exec|execSync)\s*\(\s*(?:`[^`]*\$\{|[\"'][^\"']*[\"']\s*\+|[A-Za-z_$][\w.$]*\s*[,)])",
         "child_process.exec with computed input"),
    rule("subprocess_shell_true", "high", JS, r"\bspawn(?:Sync)?\s*\([^;]*shell\s*:\s*true", "spawn with shell: true"),
    rule("subprocess_shell_true", "medium", {"go"},
         r"exec\.Command(?:Context)?\s*\([^)]*\"(?:ba|z)?sh\"\s*,\s*\"-c\"", 'exec.Command("sh", "-c", ...)'),
    rule("subprocess_shell_true", "medium", {"go"}, r"exec\.Command(?:Context)?\s*\(\s*(?:ctx\s*,\s*)?[A-Za-z_]\w*\s*[,)]",
         "exec.Command on a computed program"),
    rule("subprocess_shell_true", "medium", {"rust"},
         r"Command::new\s*\(\s*\"(?:ba|z)?sh\"\s*\)\s*\.arg\s*\(\s*\"-c\"", 'Command::new("sh").arg("-c")'),
    rule("os_system", "medium", JVM, r"Runtime\.getRuntime\(\)\.exec\s*\(\s*" + _NOT_A_LITERAL,
         "Runtime.exec() on a computed command"),
    rule("os_system", "medium", JVM, r"new\s+ProcessBuilder\s*\([^)]*\"(?:ba|z)?sh\"\s*,\s*\"-c\"\s*,\s*[^\")]",
         "ProcessBuilder running sh -c with input"),
    rule("os_system", "medium", _CSHARP, r"Process\.Start\s*\(\s*" + _NOT_A_LITERAL + r"[^)]",
         "Process.Start on a computed command"),
    rule("os_system", "medium", _CSHARP, r"\"cmd(?:\.exe)?\"\s*,\s*\"/c\s[^\"]*\"\s*\+", "cmd.exe /c with input"),
    rule("os_system", "high", {"php"},
         r"\b(?:system|shell_exec|passthru|exec|popen|proc_open|pcntl_exec)\s*\(\s*[^)]*\$", "shell call with a variable"),
    rule("os_system", "high", {"php"}, r"`[^`\n]*\$\w+[^`\n]*`", "backtick shell command with a variable"),
    rule("os_system", "medium", C_FAMILY, r"\b(?:system|popen)\s*\(\s*[^\"\s)]", "system() on a computed command"),
    rule("os_system", "medium", {"ruby"},
         r"(?:\b(?:system|exec|spawn)\s*\(?\s*\"[^\"]*#\{|`[^`]*#\{|%x\(|\bIO\.popen\s*\(\s*[^\"'\[]"
         r"|\bOpen3\.\w+\s*\(\s*\"[^\"]*#\{)", "shell command with interpolation"),
    rule("os_system", "medium", {"shell"}, r"\b(?:ba|z)?sh\s+-c\s+[\"']?\$", "sh -c on an expanded variable"),
    # SQL assembled from strings (lowercase SQL included)
    rule("sql_string_formatting", "medium", JS, r"`" + SQL_START + r"[^`]*\$\{", "SQL template literal with interpolation"),
    rule("sql_string_formatting", "medium", JS | JVM | _CSHARP | {"go", "c", "cpp", "rust"},
         r"(?:\"" + SQL_START + r"[^\"\n]*\"|'" + SQL_START + r"[^'\n]*')\s*\+\s*[A-Za-z_(]",
         "SQL concatenated with input"),
    rule("sql_string_formatting", "medium", JVM | _CSHARP | {"go", "c", "cpp", "ruby"},
         r"(?:String\.format|fmt\.Sprintf|s?n?printf|formatted|format)\s*\(\s*(?:[\w&]+\s*,\s*(?:\w+\s*,\s*)?)?\""
         + SQL_START + r"[^\"]*%[sdv]", "SQL built with a format string"),
    rule("sql_string_formatting", "medium", _CSHARP, r"\$@?\"" + SQL_START + r"[^\"]*\{", "SQL in an interpolated string"),
    rule("sql_string_formatting", "medium", {"kotlin", "scala"}, r"s?\"" + SQL_START + r"[^\"\n]*\$\{?[A-Za-z_]",
         "SQL in a string template"),
    rule("sql_string_formatting", "medium", {"rust"}, r"format!\s*\(\s*\"" + SQL_START, "SQL built with format!"),
    rule("sql_string_formatting", "high", {"php"},
         r"(?:\"" + SQL_START + r"[^\"\n]*(?:\$[A-Za-z_{]|\"\s*\.\s*\$)|'" + SQL_START + r"[^'\n]*'\s*\.\s*\$)",
         "SQL built from a variable"),
    rule("sql_string_formatting", "medium", {"ruby"}, r"\"" + SQL_START + r"[^\"\n]*#\{|\.where\s*\(\s*\"[^\"]*#\{",
         "SQL with interpolation"),
    rule("sql_string_formatting", "medium", {"shell"}, r"(?:mysql|psql|sqlite3)\b[^\n]*\"" + SQL_START + r"[^\"]*\$",
         "SQL on the command line with a variable"),
    # Markup built from input
    rule("cross_site_scripting", "medium", JS, r"\.(?:innerHTML|outerHTML)\s*[+]?=\s*(?![\"'`][^\"'`$]*[\"'`]\s*;?$)",
         "innerHTML from a computed value"),
    rule("cross_site_scripting", "medium", JS, r"\bdocument\.write(?:ln)?\s*\(\s*" + _NOT_A_LITERAL + r"|dangerouslySetInnerHTML",
         "document.write / dangerouslySetInnerHTML"),
    rule("cross_site_scripting", "medium", {"php"}, r"\b(?:echo|print)\s*\(?\s*\$_(?:GET|POST|REQUEST|COOKIE)\b",
         "request data echoed unescaped"),
    rule("cross_site_scripting", "medium", {"go"}, r"\btemplate\.(?:HTML|JS|URL)\s*\(\s*[A-Za-z_]",
         "template.HTML on a computed value skips escaping"),
    rule("cross_site_scripting", "medium", JS, r"\bres\.send\s*\(\s*req\.(?:query|params|body)\b",
         "request data sent back unescaped"),
    # Unsafe deserialization
    rule("unsafe_deserialization", "medium", {"php"}, r"\bunserialize\s*\(\s*[^)]*\$", "unserialize() on input"),
    rule("unsafe_deserialization", "medium", JVM,
         r"\bnew\s+(?:ObjectInputStream|XMLDecoder)\s*\(|\bXStream\b[^;\n]*\.fromXML\s*\(|enableDefaultTyping\s*\(",
         "Java deserialization of a stream"),
    rule("unsafe_deserialization", "medium", JVM, r"new\s+Yaml\s*\(\s*\)\s*(?:;|\.load)", "SnakeYAML without SafeConstructor"),
    rule("unsafe_deserialization", "medium", {"ruby"}, r"\bMarshal\.(?:load|restore)\b|\b(?:YAML|Psych)\.(?:unsafe_)?load\s*\(",
         "Marshal/YAML.load constructs objects"),
    rule("unsafe_deserialization", "medium", _CSHARP,
         r"\b(?:BinaryFormatter|NetDataContractSerializer|SoapFormatter|LosFormatter|ObjectStateFormatter)\s*\("
         r"|TypeNameHandling\.(?:All|Auto|Objects|Arrays)|new\s+JavaScriptSerializer\s*\(\s*new\s+SimpleTypeResolver",
         "type-resolving deserialization"),
    rule("unsafe_deserialization", "medium", JS, r"\b(?:serialize|serialize_js|nodeSerialize)\.unserialize\s*\(",
         "node-serialize unserialize() runs code"),
    rule("yaml_unsafe_load", "medium", JS, r"\byaml\.load\s*\([^)]*(?:DEFAULT_FULL_SCHEMA|unsafe)", "js-yaml unsafe schema"),
)  # fmt: skip

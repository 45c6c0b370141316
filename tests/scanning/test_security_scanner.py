"""SecurityScanner: one true positive and one true negative per rule, per language family."""

from __future__ import annotations

from pathlib import Path

import pytest

from litcode.scanning import SecurityScanner, highest_severity, severity_rank
from litcode.scanning.security.finding import SecurityFinding

SCANNER = SecurityScanner()

PYTHON_RULES = [
    # (rule_id, insecure code, the safe counterpart)
    ("eval_exec", "eval(input('expr: '))", "import ast\nast.literal_eval(text)"),
    ("eval_exec", "exec(code_from_user)", "exec('x = 1')"),
    (
        "subprocess_shell_true",
        "import subprocess\nsubprocess.run(cmd, shell=True)",
        "import subprocess\nsubprocess.run(['ls', path])",
    ),
    (
        "subprocess_shell_true",
        "import subprocess as sp\nsp.check_output(cmd, shell=True)",
        "import subprocess as sp\nsp.check_output(cmd, shell=False)",
    ),
    ("os_system", "import os\nos.system('rm -rf ' + path)", "import shutil\nshutil.rmtree(path)"),
    ("os_system", "from os import popen\npopen(command)", "import os\nos.getcwd()"),
    (
        "unsafe_deserialization",
        "import pickle\nobj = pickle.loads(blob)",
        "import pickle\nblob = pickle.dumps(obj)",
    ),
    ("unsafe_deserialization", "from marshal import load\nload(handle)", "import json\njson.loads(text)"),
    (
        "yaml_unsafe_load",
        "import yaml\nyaml.load(stream)",
        "import yaml\nyaml.load(stream, Loader=yaml.SafeLoader)",
    ),
    ("yaml_unsafe_load", "import yaml\nyaml.unsafe_load(stream)", "import yaml\nyaml.safe_load(stream)"),
    (
        "sql_string_formatting",
        "cur.execute(f'SELECT * FROM users WHERE id = {uid}')",
        "cur.execute('SELECT * FROM users WHERE id = ?', (uid,))",
    ),
    (
        "sql_string_formatting",
        "db.cursor().execute('DELETE FROM t WHERE k = %s' % key)",
        "db.cursor().execute('DELETE FROM t WHERE k = %s', (key,))",
    ),
    (
        "sql_string_formatting",
        "conn.execute('UPDATE t SET a = {}'.format(v))",
        "conn.execute('UPDATE t SET a = :v', {'v': v})",
    ),
    (
        "tls_verification_disabled",
        "import requests\nrequests.get(url, verify=False)",
        "import requests\nrequests.get(url, verify=True)",
    ),
    (
        "tls_verification_disabled",
        "import ssl\nctx = ssl._create_unverified_context()",
        "import ssl\nctx = ssl.create_default_context()",
    ),
    (
        "tls_verification_disabled",
        "import ssl\nctx.verify_mode = ssl.CERT_NONE",
        "import ssl\nctx.verify_mode = ssl.CERT_REQUIRED",
    ),
    ("tls_verification_disabled", "ctx.check_hostname = False", "ctx.check_hostname = True"),
    ("hardcoded_password", "db_password = 'Zq8v9rT2!'", "db_password = os.environ['DB_PASSWORD']"),
    (
        "hardcoded_password",
        "connect(host='db', password='Zq8v9rT2!')",
        "connect(host='db', password=secret_from_vault())",
    ),
    ("hardcoded_password", "settings = {'password': 'Zq8v9rT2!'}", "settings = {'password': ''}"),
    (
        "weak_password_hash",
        "import hashlib\nhashlib.md5(password.encode()).hexdigest()",
        "import hashlib\nhashlib.md5(file_bytes).hexdigest()",
    ),
    (
        "weak_password_hash",
        "import hashlib\nhashlib.new('sha1', user_password)",
        "import hashlib\nhashlib.scrypt(password, salt=salt, n=2**14, r=8, p=1)",
    ),
]


def rules_of(findings: list[SecurityFinding]) -> list[str]:
    return [finding.rule_id for finding in findings]


@pytest.mark.parametrize(("rule_id", "insecure", "safe"), PYTHON_RULES)
def test_python_rule_flags_the_insecure_form(rule_id: str, insecure: str, safe: str) -> None:
    assert rule_id in rules_of(SCANNER.scan(insecure, "python"))


@pytest.mark.parametrize(("rule_id", "insecure", "safe"), PYTHON_RULES)
def test_python_rule_passes_the_safe_form(rule_id: str, insecure: str, safe: str) -> None:
    assert rule_id not in rules_of(SCANNER.scan(safe, "python"))


OTHER_LANGUAGE_RULES = [
    # (language, rule_id, insecure, safe)
    ("javascript", "eval_exec", "eval(req.query.code)", "JSON.parse(req.body)"),
    ("javascript", "subprocess_shell_true", "exec(`ls ${dir}`)", "execFile('ls', [dir])"),
    (
        "javascript",
        "sql_string_formatting",
        "db.query(`SELECT * FROM users WHERE id = ${id}`)",
        "db.query('SELECT * FROM users WHERE id = $1', [id])",
    ),
    (
        "typescript",
        "tls_verification_disabled",
        "const agent = new https.Agent({ rejectUnauthorized: false })",
        "const agent = new https.Agent({ rejectUnauthorized: true })",
    ),
    (
        "go",
        "tls_verification_disabled",
        "cfg := &tls.Config{InsecureSkipVerify: true}",
        "cfg := &tls.Config{MinVersion: tls.VersionTLS12}",
    ),
    ("go", "subprocess_shell_true", 'exec.Command("sh", "-c", userInput)', 'exec.Command("ls", "-l", dir)'),
    (
        "go",
        "sql_string_formatting",
        'db.Query(fmt.Sprintf("SELECT * FROM t WHERE id = %s", id))',
        'db.Query("SELECT * FROM t WHERE id = $1", id)',
    ),
    (
        "go",
        "weak_password_hash",
        "sum := md5.Sum([]byte(password))",
        "hash, _ := bcrypt.GenerateFromPassword([]byte(password), 12)",
    ),
    (
        "rust",
        "tls_verification_disabled",
        "Client::builder().danger_accept_invalid_certs(true)",
        "Client::builder().use_rustls_tls()",
    ),
    ("rust", "subprocess_shell_true", 'Command::new("sh").arg("-c").arg(cmd)', 'Command::new("ls").arg(dir)'),
    (
        "rust",
        "sql_string_formatting",
        'conn.execute(&format!("DELETE FROM t WHERE id = {}", id), [])',
        'conn.execute("DELETE FROM t WHERE id = ?1", [id])',
    ),
    (
        "java",
        "os_system",
        "Runtime.getRuntime().exec(cmd);",
        'new ProcessBuilder(List.of("ls", dir)).start();',
    ),
    (
        "java",
        "unsafe_deserialization",
        "ObjectInputStream in = new ObjectInputStream(socket.getInputStream());",
        "DataInputStream in = new DataInputStream(stream);",
    ),
    (
        "java",
        "sql_string_formatting",
        'stmt.executeQuery("SELECT * FROM t WHERE name = \'" + name + "\'");',
        'conn.prepareStatement("SELECT * FROM t WHERE name = ?");',
    ),
    (
        "java",
        "weak_hash",
        'MessageDigest.getInstance("MD5")',
        'MessageDigest.getInstance("SHA-256")',
    ),
    (
        "php",
        "unsafe_deserialization",
        "$obj = unserialize($_POST['data']);",
        "$obj = json_decode($_POST['data']);",
    ),
    ("php", "os_system", "system('ping ' . $host);", "system('uptime');"),
    (
        "php",
        "tls_verification_disabled",
        "curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);",
        "curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);",
    ),
    ("c", "unsafe_c_function", "gets(buffer);", "fgets(buffer, sizeof buffer, stdin);"),
    ("cpp", "os_system", "system(command.c_str());", 'system("clear");'),
    (
        "shell",
        "tls_verification_disabled",
        "curl -k https://internal/api",
        "curl --cacert ca.pem https://internal/api",
    ),
    ("ruby", "unsafe_deserialization", "data = Marshal.load(payload)", "data = JSON.parse(payload)"),
    ("csharp", "unsafe_deserialization", "var f = new BinaryFormatter();", "var s = new JsonSerializer();"),
]


@pytest.mark.parametrize(("language", "rule_id", "insecure", "safe"), OTHER_LANGUAGE_RULES)
def test_pattern_rule_flags_the_insecure_form(language: str, rule_id: str, insecure: str, safe: str) -> None:
    assert rule_id in rules_of(SCANNER.scan(insecure, language))


@pytest.mark.parametrize(("language", "rule_id", "insecure", "safe"), OTHER_LANGUAGE_RULES)
def test_pattern_rule_passes_the_safe_form(language: str, rule_id: str, insecure: str, safe: str) -> None:
    assert rule_id not in rules_of(SCANNER.scan(safe, language))


def test_hard_coded_password_is_found_in_any_language() -> None:
    assert rules_of(SCANNER.scan('const dbPassword = "Zq8v9rT2!";', "javascript")) == ["hardcoded_password"]
    assert rules_of(SCANNER.scan('password = "Zq8v9rT2!"', "some-config-format")) == ["hardcoded_password"]


@pytest.mark.parametrize("source", ["def broken(:\n    pass", "x = 'unterminated", "a = 1\x00"])
def test_unparsable_python_is_a_low_parse_error_finding(source: str) -> None:
    (finding,) = SCANNER.scan(source, "python")

    assert (finding.rule_id, finding.severity) == ("parse_error", "low")


def test_parse_error_points_at_the_broken_line() -> None:
    (finding,) = SCANNER.scan("x = 1\ny = 2\ndef broken(:\n", "python")

    assert finding.line == 3


def test_finding_reports_the_line_of_the_call() -> None:
    findings = SCANNER.scan("import os\n\n\nos.system(cmd)\n", "python")

    assert [(f.rule_id, f.line, f.severity) for f in findings] == [("os_system", 4, "high")]


def test_eval_of_user_input_is_high_and_of_other_values_medium() -> None:
    assert [f.severity for f in SCANNER.scan("eval(input())", "python")] == ["high"]
    assert [f.severity for f in SCANNER.scan("eval(expression)", "python")] == ["medium"]


def test_language_names_are_case_and_alias_insensitive() -> None:
    code = "cfg := &tls.Config{InsecureSkipVerify: true}"

    assert rules_of(SCANNER.scan(code, "Golang")) == rules_of(SCANNER.scan(code, "go")) != []


def test_min_severity_leaves_out_weaker_findings() -> None:
    code = "import os\nos.system('ls')\nos.system(cmd)\n"

    assert [f.severity for f in SecurityScanner(min_severity="high").scan(code, "python")] == ["high"]


def test_unknown_min_severity_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="severity must be one of"):
        SecurityScanner(min_severity="critical")


def test_highest_severity_orders_low_medium_high() -> None:
    findings = [
        SecurityFinding("a", "low", 1, ""),
        SecurityFinding("b", "high", 2, ""),
        SecurityFinding("c", "medium", 3, ""),
    ]

    assert highest_severity(findings) == "high"
    assert highest_severity([]) is None
    assert severity_rank("medium") == 1


def test_real_stdlib_module_scans_without_error(stdlib_copy: Path) -> None:
    findings = SCANNER.scan(stdlib_copy.read_text("utf-8"), "python")

    assert all(f.rule_id != "parse_error" for f in findings)


def test_large_generated_module_is_parsed_and_gc_left_enabled() -> None:
    import gc

    source = "".join(f"VALUE_{i} = {i}\n" for i in range(30_000))  # > 200,000 characters

    assert SCANNER.scan(source, "python") == []
    assert gc.isenabled()

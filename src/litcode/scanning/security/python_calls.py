"""Which Python calls are dangerous, by fully qualified name (after import aliases are resolved).

Tables, not code: bandit's families that matter for a training set, each a set
of names. A call whose arguments are all constants (``subprocess.call("echo hi",
shell=True)``, ``pickle.loads(b"...")``) runs nothing an attacker chose, so
the rules in :mod:`.python_rules` skip it.
"""

from __future__ import annotations


def _names(prefixes: tuple[str, ...], functions: str) -> frozenset[str]:
    return frozenset(f"{prefix}.{function}" for prefix in prefixes for function in functions.split())


SUBPROCESS_CALLS = _names(("subprocess",), "run call check_call check_output Popen")
# Calls that hand their argument to a shell.
SHELL_CALLS = (
    _names(("os",), "system popen popen2 popen3 popen4")
    | _names(("popen2",), "popen2 popen3 popen4 Popen3 Popen4")
    | _names(("commands", "subprocess"), "getoutput getstatusoutput")
    | _names(("asyncio",), "create_subprocess_shell")
)
DESERIALIZERS = (
    _names(("pickle", "cPickle", "_pickle", "dill", "cloudpickle", "joblib"), "load loads Unpickler")
    | _names(("marshal",), "load loads")
    | _names(("shelve",), "open DbfilenameShelf Shelf")
    | _names(("jsonpickle", "jsonpickle.unpickler"), "decode loads")
    | _names(("pandas", "pd"), "read_pickle")
)
UNSAFE_YAML = _names(("yaml",), "unsafe_load unsafe_load_all full_load full_load_all")
YAML_LOADERS = _names(("yaml",), "load load_all")
SAFE_YAML_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")
UNTRUSTED_SOURCES = frozenset(
    {"input", "raw_input", "sys.argv", "sys.stdin", "request", "flask.request", "os.environ"}
)
UNVERIFIED_CONTEXTS = frozenset({"ssl._create_unverified_context", "ssl._create_stdlib_context"})
WEAK_TLS_VERSIONS = frozenset(
    f"ssl.{name}" for name in ("PROTOCOL_SSLv2", "PROTOCOL_SSLv3", "PROTOCOL_TLSv1", "PROTOCOL_TLSv1_1")
) | frozenset({"OpenSSL.SSL.SSLv2_METHOD", "OpenSSL.SSL.SSLv3_METHOD", "OpenSSL.SSL.TLSv1_METHOD"})
SSH_AUTO_ACCEPT = frozenset(
    {"paramiko.AutoAddPolicy", "paramiko.WarningPolicy", "paramiko.client.AutoAddPolicy"}
)
WEAK_HASHES = frozenset({"md4", "md5", "sha", "sha1", "ripemd160"})
FAST_HASHES = WEAK_HASHES | frozenset(
    {"sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s", "sha3_256"}
)
WEAK_HASH_CALLS = (
    _names(("hashlib",), "md4 md5 sha1")
    | _names(("Crypto.Hash.MD2", "Crypto.Hash.MD4", "Crypto.Hash.MD5", "Crypto.Hash.SHA"), "new")
    | _names(("Cryptodome.Hash.MD5", "Cryptodome.Hash.SHA"), "new")
    | frozenset({"cryptography.hazmat.primitives.hashes.MD5", "cryptography.hazmat.primitives.hashes.SHA1"})
)
WEAK_CIPHERS = (
    _names(
        tuple(f"{package}.Cipher.{cipher}" for package in ("Crypto", "Cryptodome")
              for cipher in ("DES", "DES3", "ARC2", "ARC4", "Blowfish", "XOR")),
        "new",
    )
    | _names(
        ("cryptography.hazmat.primitives.ciphers.algorithms",), "ARC4 Blowfish IDEA TripleDES CAST5 SEED"
    )
    | frozenset({"cryptography.hazmat.primitives.ciphers.modes.ECB"})
)  # fmt: skip
HTTP_MODULES = frozenset({"requests", "httpx", "aiohttp", "urllib3", "httplib2", "treq", "niquests"})
HTTP_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "urlopen"}
)
TEMP_FILE_NAMES = frozenset({"tempfile.mktemp", "os.tempnam", "os.tmpnam"})
TEMPLATE_ENGINES = frozenset({"jinja2.Environment", "jinja2.Template", "mako.template.Template"})
MARKUP_BYPASS = frozenset({"django.utils.safestring.mark_safe", "django.utils.html.mark_safe", "mark_safe"})
XML_PARSERS = (
    _names(
        ("xml.etree.ElementTree", "xml.etree.cElementTree", "lxml.etree"),
        "parse fromstring iterparse XML XMLParser",
    )
    | _names(("xml.dom.minidom", "xml.dom.pulldom", "xml.dom.expatbuilder"), "parse parseString")
    | _names(("xml.sax",), "parse parseString make_parser")
)
FILE_OPENERS = frozenset({"open", "io.open", "os.open", "pathlib.Path", "Path", "os.makedirs", "os.mkdir",
                          "shutil.copy", "shutil.move", "codecs.open"})  # fmt: skip
EVALUATORS = frozenset({"eval", "exec", "builtins.eval", "builtins.exec"})

# Every rule needs one of these (lowercased) literals in the source; a module
# with none is only parsed (for the parse_error check), never walked.
TRIGGER_LITERALS = (
    "eval", "exec", "shell", "system", "popen", "commands", "pickle", "marshal", "shelve", "dill",
    "yaml", "verify", "cert_none", "unverified", "check_hostname", "hashlib", "assw", "pwd", "execute",
    "getoutput", "select", "insert", "update", "delete", "drop", "alter", "truncate", "mktemp",
    "tempnam", "crypto", "md5", "sha1", "protocol_", "autoaddpolicy", "warningpolicy", "chmod",
    "0.0.0.0", "debug", "jinja2", "torch", "ssl", "_method", "/tmp/", "/var/tmp", "/dev/shm", "exec_command",
    "mako", "mark_safe", "etree", "minidom", "pulldom", "expatbuilder", "xml.sax", "s_iwoth", "s_irwxo",
)  # fmt: skip

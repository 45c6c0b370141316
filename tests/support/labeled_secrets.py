"""A labeled set for secret scanners: live-looking credentials and the look-alikes that are not.

Positives are credentials in the formats providers document (prefix, length,
alphabet), with fresh random bodies, written in the syntax of many languages
and file formats; negatives are the conventions people use for fakes
(placeholders, templates, documented example keys), values that look random
but are not secrets (hashes, UUIDs, integrity strings), and names that only
describe a secret. ``benchmarks/bench_secrets.py`` scores litcode and
detect-secrets on it per family; tests check litcode's verdicts.

>>> snippets = labeled_secrets()
>>> len([s for s in snippets if s.is_secret]) > 150, len([s for s in snippets if not s.is_secret]) > 80
(True, True)
"""

# ruff: noqa: E501  (a table of regexes and fixtures reads best one row per line)

from __future__ import annotations

import random
import string
from dataclasses import dataclass

_UPPER_DIGITS = string.ascii_uppercase + string.digits
_LOWER_DIGITS = string.ascii_lowercase + string.digits
_ALNUM = string.ascii_letters + string.digits
_URLSAFE = _ALNUM + "-_"
_BASE64 = _ALNUM + "+/"
_HEX = "0123456789abcdef"
_SEED = 20261207


@dataclass(frozen=True)
class LabeledSnippet:
    """``text`` (one file's worth), whether it holds a live secret, and the family it stands for."""

    text: str
    is_secret: bool
    family: str
    extension: str = ".txt"


def _r(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _password(rng: random.Random) -> str:
    body = _r(rng, _ALNUM, rng.randrange(8, 13))
    return body[:4] + rng.choice("!#%*+^") + body[4:] + _r(rng, string.digits, 2)


def _provider_tokens(rng: random.Random) -> list[tuple[str, str]]:
    """(family, token) in documented provider formats."""
    r = lambda alphabet, n: _r(rng, alphabet, n)  # noqa: E731
    uuid = f"{r(_HEX, 8)}-{r(_HEX, 4)}-4{r(_HEX, 3)}-a{r(_HEX, 3)}-{r(_HEX, 12)}"
    return [
        ("cloud", "AKIA" + r(_UPPER_DIGITS, 16)),
        ("cloud", "ASIA" + r(_UPPER_DIGITS, 16)),
        ("cloud", "AIza" + r(_URLSAFE, 35)),
        ("cloud", "GOCSPX-" + r(_URLSAFE, 28)),
        ("cloud", "ya29." + r(_URLSAFE, 60)),
        ("cloud", "dop_v1_" + r(_HEX, 64)),
        ("cloud", "LTAI" + r(_ALNUM, 20)),
        ("cloud", "HRKU-AA" + r(_URLSAFE, 58)),
        ("cloud", "hvs." + r(_URLSAFE, 95)),
        ("cloud", f"{r(_LOWER_DIGITS, 14)}.atlasv1.{r(_LOWER_DIGITS, 67)}"),
        ("cloud", "sbp_" + r(_HEX, 40)),
        ("cloud", "pscale_tkn_" + r(_URLSAFE, 43)),
        ("cloud", f"tskey-auth-{r(_ALNUM, 12)}-{r(_ALNUM, 30)}"),
        ("cloud", f"{r(_ALNUM, 3)}8Q~{r(_ALNUM, 34)}"),
        ("cloud", "dapi" + r(_HEX, 32)),
        ("vcs_ci", "ghp_" + r(_ALNUM, 36)),
        ("vcs_ci", "gho_" + r(_ALNUM, 36)),
        ("vcs_ci", f"github_pat_{r(_ALNUM, 22)}_{r(_ALNUM, 59)}"),
        ("vcs_ci", "glpat-" + r(_URLSAFE, 20)),
        ("vcs_ci", "gldt-" + r(_URLSAFE, 20)),
        ("vcs_ci", "glrt-" + r(_URLSAFE, 20)),
        ("vcs_ci", "GR1348941" + r(_URLSAFE, 20)),
        ("vcs_ci", "ATBB" + r(_ALNUM, 32)),
        ("vcs_ci", "ATATT3" + r(_URLSAFE, 186)),
        ("vcs_ci", f"CCIPAT_{r(_ALNUM, 22)}_{r(_HEX, 40)}"),
        ("vcs_ci", "bkua_" + r(_HEX, 40)),
        ("vcs_ci", "npm_" + r(_ALNUM, 36)),
        ("vcs_ci", "pypi-AgEIcHlwaS5vcmc" + r(_URLSAFE, 70)),
        ("vcs_ci", "rubygems_" + r(_HEX, 48)),
        ("vcs_ci", "dckr_pat_" + r(_URLSAFE, 27)),
        ("vcs_ci", "oy2" + r(_LOWER_DIGITS, 43)),
        ("vcs_ci", "sqp_" + r(_HEX, 40)),
        ("vcs_ci", "glsa_" + r(_ALNUM, 32) + "_" + r(_HEX, 8)),
        ("vcs_ci", "lin_api_" + r(_ALNUM, 40)),
        ("vcs_ci", "PMAK-" + r(_HEX, 24) + "-" + r(_HEX, 34)),
        ("chat", f"xoxb-{r(string.digits, 12)}-{r(string.digits, 13)}-{r(_ALNUM, 24)}"),
        ("chat", f"xoxp-{r(string.digits, 12)}-{r(string.digits, 12)}-{r(string.digits, 13)}-{r(_HEX, 32)}"),
        ("chat", f"xapp-1-A{r(_UPPER_DIGITS, 10)}-{r(string.digits, 13)}-{r(_HEX, 64)}"),
        (
            "chat",
            f"https://hooks.slack.com/services/T{r(_UPPER_DIGITS, 8)}/B{r(_UPPER_DIGITS, 10)}/{r(_ALNUM, 24)}",
        ),
        ("chat", f"https://discord.com/api/webhooks/{r(string.digits, 18)}/{r(_URLSAFE, 68)}"),
        ("chat", f"{r(string.digits, 10)}:AA{r(_URLSAFE, 33)}"),
        ("payment", "sk_live_" + r(_ALNUM, 24)),
        ("payment", "rk_live_" + r(_ALNUM, 24)),
        ("payment", "whsec_" + r(_ALNUM, 32)),
        ("payment", "sq0atp-" + r(_URLSAFE, 22)),
        ("payment", "shpat_" + r(_HEX, 32)),
        ("payment", f"access_token$production${r(_LOWER_DIGITS, 16)}${r(_HEX, 32)}"),
        ("payment", "rzp_live_" + r(_ALNUM, 14)),
        ("payment", f"access-production-{uuid}"),
        ("ai", "sk-proj-" + r(_URLSAFE, 64)),
        ("ai", f"sk-{r(_ALNUM, 20)}T3BlbkFJ{r(_ALNUM, 20)}"),
        ("ai", "sk-ant-api03-" + r(_URLSAFE, 93)),
        ("ai", "hf_" + r(string.ascii_uppercase, 2) + r(string.ascii_letters, 32)),
        ("ai", "api_org_" + r(string.ascii_uppercase, 2) + r(string.ascii_letters, 32)),
        ("ai", "gsk_" + r(_ALNUM, 52)),
        ("ai", "r8_" + r(_ALNUM, 37)),
        ("ai", "pplx-" + r(_ALNUM, 48)),
        ("ai", "xai-" + r(_ALNUM, 80)),
        ("ai", f"lsv2_pt_{r(_HEX, 32)}_{r(_HEX, 10)}"),
        ("ai", "sk-or-v1-" + r(_HEX, 64)),
        ("email_sms", f"SG.{r(_URLSAFE, 22)}.{r(_URLSAFE, 43)}"),
        ("email_sms", f"xkeysib-{r(_HEX, 64)}-{r(_ALNUM, 16)}"),
        ("email_sms", "key-" + r(_HEX, 32)),
        ("email_sms", "SK" + r(_HEX, 32)),
        ("email_sms", f"{r(_HEX, 32)}-us{rng.randrange(1, 21)}"),
        ("email_sms", "EAAC" + r(_ALNUM, 120)),
        ("email_sms", "AAAAAAAAAAAAAAAAAAAAA" + r(_ALNUM, 60)),
        ("jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1aWQiOiI" + r(_URLSAFE, 30) + "." + r(_URLSAFE, 43)),
    ]


# Where a token appears: the name around it is neutral, so the format must carry the finding.
_TOKEN_CONTEXTS = (
    ('CLIENT = Client("{v}")', ".py"),
    ("const client = new Client('{v}');", ".js"),
    ('client := api.New("{v}")', ".go"),
    ('headers.put("X-Auth", "{v}");', ".java"),
    ("auth: {v}", ".yaml"),
    ('{{"auth": "{v}"}}', ".json"),
    ("AUTH={v}", ".env"),
    ("deploy --auth {v} --region eu", ".sh"),
    ('<setting name="auth" value="{v}"/>', ".xml"),
    ('$client = new Client("{v}");', ".php"),
)
# Secrets recognised by their name: (family, template, extension); {pw} a password, {key} a random key.
_ASSIGNMENTS = (
    ("assignment_python", 'db_password = "{pw}"', ".py"),
    ("assignment_python", 'self.secret_key = "{key}"', ".py"),
    ("assignment_python", 'engine = connect(host="db", password="{pw}")', ".py"),
    ("assignment_js_ts", 'const dbPassword = "{pw}";', ".js"),
    ("assignment_js_ts", "  apiKey: '{key}',", ".ts"),
    ("assignment_js_ts", 'let clientSecret: string = "{key}";', ".ts"),
    ("assignment_go", 'password := "{pw}"', ".go"),
    ("assignment_go", 'var apiToken string = "{key}"', ".go"),
    ("assignment_go", '\tPassword: "{pw}",', ".go"),
    ("assignment_jvm", 'String password = "{pw}";', ".java"),
    ("assignment_jvm", 'System.setProperty("db.password", "{pw}");', ".java"),
    ("assignment_jvm", 'val apiSecret: String = "{key}"', ".kt"),
    ("assignment_csharp", 'var conn = "Server=db;User Id=sa;Password={pw};";', ".cs"),
    ("assignment_csharp", 'private const string ApiKey = "{key}";', ".cs"),
    ("assignment_php", "$password = '{pw}';", ".php"),
    ("assignment_php", "define('DB_PASSWORD', '{pw}');", ".php"),
    ("assignment_php", '$pass .= "{pw}";', ".php"),
    ("assignment_php", "    'secret' => '{key}',", ".php"),
    ("assignment_ruby", 'config.secret_key_base = "{key}"', ".rb"),
    ("assignment_ruby", '  :api_key => "{key}",', ".rb"),
    ("assignment_ruby", '  password: "{pw}"', ".rb"),
    ("assignment_shell", 'export DB_PASSWORD="{pw}"', ".sh"),
    ("assignment_shell", "PGPASSWORD={pw} psql -h db -U app", ".sh"),
    ("config_yaml", "  password: {pw}", ".yaml"),
    ("config_yaml", '  client_secret: "{key}"', ".yaml"),
    ("config_toml", 'password = "{pw}"', ".toml"),
    ("config_json", '{{"user": "app", "password": "{pw}"}}', ".json"),
    ("config_xml", '<add key="ClearTextPassword" value="{pw}" />', ".config"),
    ("config_xml", "<password>{pw}</password>", ".xml"),
    ("config_xml", '<property name="db.password" value="{pw}"/>', ".xml"),
    ("config_xml", '<entry key="api_secret">{key}</entry>', ".xml"),
    ("config_env_ini", "SECRET_KEY={key}", ".env"),
    ("config_env_ini", "password = {pw}", ".ini"),
    ("config_env_ini", "API_TOKEN ?= {key}", ".mk"),
    ("config_env_ini", "TOKEN ::= {key}", ".mk"),
    ("dockerfile", "ENV DB_PASSWORD {pw}", ".dockerfile"),
    ("dockerfile", "ARG NPM_TOKEN={key}", ".dockerfile"),
    ("command_line", "curl -u admin:{pw} https://api.internal/v1/items", ".sh"),
    ("command_line", "mysql -h db -u root -p{pw} app < dump.sql", ".sh"),
    ("command_line", "sshpass -p '{pw}' ssh deploy@build01", ".sh"),
    ("command_line", "docker login -u ci -p {pw} registry.internal", ".sh"),
    ("command_line", 'curl -H "Authorization: Bearer {key}" https://api.internal/', ".sh"),
    ("assignment_python", 'password = "Zx{{9}}q${{w{pw}"', ".py"),
    ("database_url", 'DATABASE_URL = "postgres://app:{pw}@db.internal:5432/app"', ".py"),
    ("database_url", "MONGO_URI=mongodb+srv://admin:{pw}@cluster0.ab1cd.mongodb.net/prod", ".env"),
    ("database_url", 'redis_url: "redis://:{pw}@cache.internal:6379/0"', ".yaml"),
    ("database_url", "jdbc.url=jdbc:mysql://app:{pw}@db:3306/shop", ".properties"),
)


def _private_keys(rng: random.Random) -> list[LabeledSnippet]:
    body = "\n".join(_r(rng, _BASE64, 64) for _ in range(6))
    escaped = "\\n".join(_r(rng, _BASE64, 64) for _ in range(6))
    return [
        LabeledSnippet(f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n", True, "private_key", ".pem"),
        LabeledSnippet(f"-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----\n", True, "private_key", ".key"),
        LabeledSnippet(f"-----BEGIN EC PRIVATE KEY-----\n{body}\n-----END EC PRIVATE KEY-----\n", True, "private_key", ".pem"),
        LabeledSnippet(
            f'{{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n{escaped}\\n-----END PRIVATE KEY-----\\n"}}',
            True, "private_key", ".json",
        ),
        LabeledSnippet(f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{body}\n-----END PGP PRIVATE KEY BLOCK-----\n", True, "private_key", ".asc"),
    ]  # fmt: skip


# Not secrets: what documentation, tests and ordinary code hold. (family, text, extension)
NEGATIVES: tuple[tuple[str, str, str], ...] = (
    ("placeholder", 'SLACK_TOKEN = "xoxb-my-bot-token"', ".py"),
    ("placeholder", "SLACK_TOKEN=xoxb-####-####-####", ".env"),
    ("placeholder", 'token: "<your-token>"', ".yaml"),
    ("placeholder", 'api_key = "YOUR_API_KEY"', ".py"),
    ("placeholder", "API_KEY=your-api-key-here", ".env"),
    ("placeholder", 'password = "changeme"', ".py"),
    ("placeholder", "password: ********", ".yaml"),
    ("placeholder", 'const token = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";', ".js"),
    ("placeholder", 'aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"', ".ini"),
    ("placeholder", 'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', ".ini"),
    ("placeholder", 'stripe.api_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"', ".py"),
    ("placeholder", 'OPENAI_API_KEY = "sk-..."', ".py"),
    ("placeholder", 'OPENAI_API_KEY = "sk-1234567890abcdef1234567890abcdef1234567890abcdef"', ".py"),
    ("placeholder", "export GITHUB_TOKEN=<token>", ".sh"),
    ("placeholder", 'password = "password123"', ".py"),
    ("placeholder", 'secret = "this-is-not-a-secret"', ".py"),
    ("placeholder", 'client_secret = "REPLACE_ME"', ".py"),
    ("placeholder", "<password>[PASSWORD]</password>", ".xml"),
    ("placeholder", 'db_url = "postgres://user:password@localhost/db"', ".py"),
    ("placeholder", "git clone https://[user[:password]@]host/repo.git", ".md"),
    ("placeholder", 'HF_TOKEN = "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"', ".py"),
    ("placeholder", 'token = "dummy-token-for-tests"', ".py"),
    ("placeholder", "SECRET_KEY=django-insecure-change-me", ".env"),
    ("placeholder", 'mysql -u root -p"$MYSQL_ROOT_PASSWORD" app', ".sh"),
    ("template", 'password = "${DB_PASSWORD}"', ".py"),
    ("template", "password: {{ vault_db_password }}", ".yaml"),
    ("template", 'api_key = os.environ["API_KEY"]', ".py"),
    ("template", "const apiKey = process.env.API_KEY;", ".js"),
    ("template", 'token = f"{prefix}-{suffix}"', ".py"),
    ("template", 'password = "%(password)s"', ".py"),
    ("template", "password: ${{ secrets.DB_PASSWORD }}", ".yaml"),
    ("template", 'DSN = "postgres://{user}:{password}@{host}/db"', ".py"),
    ("template", "curl -u $USER:$TOKEN https://api.example.org", ".sh"),
    ("template", 'String password = System.getenv("DB_PASSWORD");', ".java"),
    ("template", '$password = getenv("DB_PASSWORD");', ".php"),
    ("template", "ENV DB_PASSWORD=${DB_PASSWORD}", ".dockerfile"),
    ("template", 'secret_key = settings.SECRET_KEY', ".py"),
    ("template", "password = getpass.getpass()", ".py"),
    ("template", "<add key=\"Password\" value=\"%DB_PASSWORD%\" />", ".config"),
    ("hash_or_id", 'request_id = "3f2b8c1e-9d4a-4f6b-8e2c-7a1d5b9c0e3f"', ".py"),
    ("hash_or_id", '"integrity": "sha512-Ck9b3Y8PkF8C6yZ0hQm9m4M1Y7a0RrW4Q0V6w4ZxR1mJ3mO2T9k2N6h2lQ0QeZ3c1r7o5p2Z8a9b0c1d2e3f4g5A=="', ".json"),
    ("hash_or_id", 'GIT_COMMIT = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"', ".py"),
    ("hash_or_id", "numpy==2.0.0 --hash=sha256:2e5f8f1e1f47d9b6a6c1a3d5b7e9f0a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7", ".txt"),
    ("hash_or_id", 'checksum = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"', ".py"),
    ("hash_or_id", 'img = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="', ".py"),
    ("hash_or_id", "https://www.xoxo-blog.com/2019/11/best-of-xoxo", ".md"),
    ("hash_or_id", 'ETAG = "W/\\"5e1f2a9b3c4d\\""', ".py"),
    ("hash_or_id", "sha1: 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", ".yaml"),
    ("hash_or_id", "skip_keys = ['sk-learn', 'sk-image']", ".py"),
    ("descriptive_name", 'password_field = "password"', ".py"),
    ("descriptive_name", 'TOKEN_TYPE = "bearer"', ".py"),
    ("descriptive_name", 'TOKEN_URL = "https://oauth2.googleapis.com/token"', ".py"),
    ("descriptive_name", 'SECRET_KEY_PATH = "/etc/app/secret.key"', ".py"),
    ("descriptive_name", 'private static final String PASSWORD_PATTERN = "^(?=.*[0-9]).{8,20}$";', ".java"),
    ("descriptive_name", 'password_label = "Enter your password"', ".py"),
    ("descriptive_name", '{"password": "Password", "confirm_password": "Confirm password"}', ".json"),
    ("descriptive_name", "token_length = 32", ".py"),
    ("descriptive_name", 'key = "value"', ".py"),
    ("descriptive_name", 'primary_key = "user_id"', ".py"),
    ("descriptive_name", 'tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")', ".py"),
    ("descriptive_name", 'PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]', ".py"),
    ("descriptive_name", "passwd: files systemd", ".conf"),
    ("descriptive_name", "PWD=/home/runner/work/app", ".env"),
    ("code", "if password == confirm_password:", ".py"),
    ("code", "password = request.form['password']", ".py"),
    ("code", "const token = await getToken(user);", ".js"),
    ("code", "token := r.Header.Get(\"Authorization\")", ".go"),
    ("code", "String secret = vault.read(path).getData().get(\"secret\");", ".java"),
    ("code", "$token = bin2hex(random_bytes(32));", ".php"),
    ("code", "user.password = BCrypt::Password.create(params[:password])", ".rb"),
    ("code", "for key, value in mapping.items():", ".py"),
    ("code", "keys = sorted(d, key=lambda k: d[k])", ".py"),
    ("code", "curl -sSL https://get.example.org/install.sh | sh", ".sh"),
    ("code", "docker login -u \"$CI_USER\" -p \"$CI_TOKEN\" registry.internal", ".sh"),
    ("code", "mysql -u root -p app", ".sh"),
    ("code", "ssh -p 2222 deploy@build01", ".sh"),
    ("code", "tar -xzf archive.tar.gz --strip-components 1", ".sh"),
    ("code", "result = a@b.shape", ".py"),
)  # fmt: skip


def labeled_secrets(seed: int = _SEED) -> list[LabeledSnippet]:
    """Positives (random bodies, seeded) and negatives, one snippet per would-be file."""
    rng = random.Random(seed)
    snippets = []
    for index, (family, token) in enumerate(_provider_tokens(rng)):
        template, extension = _TOKEN_CONTEXTS[index % len(_TOKEN_CONTEXTS)]
        snippets.append(LabeledSnippet(template.format(v=token), True, family, extension))
    for family, template, extension in _ASSIGNMENTS:
        for _ in range(2):
            text = template.format(pw=_password(rng), key=_r(rng, _ALNUM, rng.choice((32, 40))))
            snippets.append(LabeledSnippet(text, True, family, extension))
    snippets.extend(_private_keys(rng))
    snippets.extend(LabeledSnippet(text, False, family, extension) for family, text, extension in NEGATIVES)
    return snippets

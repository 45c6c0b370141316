"""Transport and crypto families by regex: TLS checks off, weak protocols, hashes, ciphers, temp files, C calls."""

# ruff: noqa: E501  (a table of regexes and fixtures reads best one row per line)

from __future__ import annotations

from litcode.scanning.security.pattern_rule import C_FAMILY, JS, JVM, PatternSecurityRule, rule

_CSHARP = {"c-sharp"}
_WEAK_CIPHER_NAMES = r"(?i:des(?:-\w+)?|des-ede3?|rc2|rc4|bf(?:-\w+)?|blowfish|aes-\d+-ecb)"

CRYPTO_RULES: tuple[PatternSecurityRule, ...] = (
    # TLS verification switched off
    rule("tls_verification_disabled", "high", {"go"}, r"InsecureSkipVerify\s*:\s*true", "InsecureSkipVerify: true"),
    rule("tls_verification_disabled", "high", {"rust"}, r"danger_accept_invalid_(?:certs|hostnames)\s*\(\s*true\s*\)",
         "accepts invalid certificates"),
    rule("tls_verification_disabled", "high", JS,
         r"rejectUnauthorized\s*:\s*false|strictSSL\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED[\"']?\]?\s*=\s*[\"']?0",
         "TLS verification disabled"),
    rule("tls_verification_disabled", "high", JVM,
         r"(?:ALLOW_ALL_HOSTNAME_VERIFIER|NoopHostnameVerifier|TrustAllCerts|trustAllCerts|X509TrustManager\s*\(\s*\)\s*\{"
         r"|setHostnameVerifier\s*\(\s*\(?[^)]*\)?\s*->\s*true|verify\s*\([^)]*SSLSession[^)]*\)\s*\{\s*return\s+true)",
         "trust-all certificate/hostname checks"),
    rule("tls_verification_disabled", "high", {"php"},
         r"CURLOPT_SSL_VERIFY(?:PEER|HOST)\s*,\s*(?:false|0)|[\"']verify_peer(?:_name)?[\"']\s*=>\s*false",
         "certificate checks off"),
    rule("tls_verification_disabled", "high", {"ruby"}, r"VERIFY_NONE|ssl_verify(?:_mode)?\s*[:=]>?\s*(?:false|nil)",
         "OpenSSL VERIFY_NONE"),
    rule("tls_verification_disabled", "medium", {"shell"},
         r"\bcurl\b[^\n]*\s(?:-k|--insecure)\b|\bwget\b[^\n]*--no-check-certificate|http\.sslVerify\s+false"
         r"|GIT_SSL_NO_VERIFY=|strict-ssl\s+false|--no-verify-ssl", "downloads without certificate checks"),
    rule("tls_verification_disabled", "high", _CSHARP,
         r"(?:Server|)Certificate(?:Custom)?ValidationCallback\s*\+?=[^;]*=>\s*true|DangerousAcceptAnyServerCertificateValidator",
         "accepts every certificate"),
    rule("tls_verification_disabled", "high", C_FAMILY,
         r"SSL_CTX_set_verify\s*\([^,]+,\s*SSL_VERIFY_NONE|CURLOPT_SSL_VERIFYPEER\s*,\s*0", "certificate checks off"),
    rule("insecure_tls_version", "medium", {"go"}, r"MinVersion\s*:\s*tls\.Version(?:SSL30|TLS10|TLS11)", "old TLS version"),
    rule("insecure_tls_version", "medium", JVM, r"SSLContext\.getInstance\s*\(\s*\"(?:SSL|SSLv3|TLSv1|TLSv1\.1)\"",
         "old SSL/TLS version"),
    rule("insecure_tls_version", "medium", _CSHARP, r"SslProtocols\.(?:Ssl2|Ssl3|Tls|Tls11)\b", "old SSL/TLS version"),
    # Weak hashes: over passwords (high), anywhere (low)
    rule("weak_password_hash", "high", JS,
         r"createHash\s*\(\s*[\"'](?:md5|sha1)[\"']\s*\)[^;\n]*update\s*\(\s*[\w.]*pass", "md5/sha1 over a password"),
    rule("weak_password_hash", "high", {"go"}, r"(?:md5|sha1)\.Sum\s*\(\s*\[\]byte\s*\(\s*[\w.]*[pP]ass",
         "md5/sha1 over a password"),
    rule("weak_password_hash", "high", {"php"}, r"\b(?:md5|sha1)\s*\(\s*\$\w*pass", "md5/sha1 over a password"),
    rule("weak_password_hash", "high", {"ruby"}, r"Digest::(?:MD5|SHA1)\.hexdigest\s*\(\s*[\w.@]*pass",
         "md5/sha1 over a password"),
    rule("weak_hash", "low", JS, r"createHash\s*\(\s*[\"'](?:md5|sha1|md4)[\"']", "md5/sha1 hash"),
    rule("weak_hash", "low", JVM, r"MessageDigest\.getInstance\s*\(\s*\"(?:MD5|MD2|SHA-?1)\"|DigestUtils\.(?:md5|sha1)",
         "MD5/SHA-1 MessageDigest"),
    rule("weak_hash", "low", {"go"}, r"\b(?:md5|sha1)\.(?:New|Sum)\s*\(", "md5/sha1 hash"),
    rule("weak_hash", "low", {"php"}, r"\b(?:md5|sha1)\s*\(", "md5/sha1 hash"),
    rule("weak_hash", "low", _CSHARP, r"\b(?:MD5|SHA1)\.Create\s*\(|new\s+(?:MD5|SHA1)(?:CryptoServiceProvider|Managed)\b",
         "MD5/SHA-1 hash"),
    rule("weak_hash", "low", {"ruby"}, r"Digest::(?:MD5|SHA1)\b", "MD5/SHA-1 digest"),
    rule("weak_hash", "low", C_FAMILY, r"\b(?:MD5|SHA1|MD4)(?:_Init)?\s*\(|EVP_(?:md5|sha1)\s*\(", "MD5/SHA-1 hash"),
    # Weak ciphers and ECB mode
    rule("weak_cipher", "medium", JVM, r"Cipher\.getInstance\s*\(\s*\"(?:DES|DESede|RC2|RC4|ARCFOUR|Blowfish|AES\"|[^\"]*/ECB/)",
         "weak cipher or ECB mode"),
    rule("weak_cipher", "medium", _CSHARP,
         r"\b(?:DES|TripleDES|RC2)(?:CryptoServiceProvider|\.Create)\b|CipherMode\.ECB", "weak cipher or ECB mode"),
    rule("weak_cipher", "medium", {"go"}, r"\b(?:des\.New(?:TripleDES)?Cipher|rc4\.NewCipher)\s*\(", "DES/RC4 cipher"),
    rule("weak_cipher", "medium", JS, r"createCipher(?:iv)?\s*\(\s*[\"']" + _WEAK_CIPHER_NAMES + r"[\"']", "weak cipher"),
    rule("weak_cipher", "medium", {"php"}, r"MCRYPT_(?:DES|RC2|BLOWFISH)|openssl_encrypt\s*\([^,]+,\s*[\"']" + _WEAK_CIPHER_NAMES,
         "weak cipher"),
    rule("weak_cipher", "medium", {"ruby"}, r"OpenSSL::Cipher(?:::\w+)?\.new\s*\(\s*[\"']" + _WEAK_CIPHER_NAMES, "weak cipher"),
    # Temporary files by name, memory-unsafe C calls
    rule("insecure_temp_file", "medium", C_FAMILY, r"\b(?:tmpnam|tempnam|mktemp)\s*\(", "predictable temp file name"),
    rule("unsafe_c_function", "high", C_FAMILY, r"\bgets\s*\(", "gets() cannot bound its input"),
    rule("unsafe_c_function", "low", C_FAMILY, r"\b(?:strcpy|strcat|sprintf|vsprintf)\s*\(", "unbounded string copy"),
    rule("permissive_file_mode", "medium", {"shell", "c", "cpp", "php", "go"}, r"\bchmod\s*\(?[^\n)]*\b0?777\b",
         "world-writable file mode"),
)  # fmt: skip

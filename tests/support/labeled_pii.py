"""IP addresses in configs and logs (must be found) and dotted numbers that are no address (must not be).

Address lines follow the formats of real files (nginx, Apache and sshd logs,
``/etc/hosts``, ``resolv.conf``, HAProxy, docker-compose, Kubernetes, .env,
JSON logs, iptables); addresses are random public ones (seeded). Non-address
lines are the shapes issue 22 found rewritten in the standard library: RFC
section numbers, versions, OIDs and dotted constants.

>>> lines = address_lines()
>>> all(address in line for line, address in lines)
True
"""

from __future__ import annotations

import ipaddress
import random

ADDRESS_TEMPLATES = (
    '{ip} - - [07/Dec/2026:00:51:12 +0000] "GET /index.html HTTP/1.1" 200 512 "-" "curl/8.5.0"',
    "Dec  7 00:51:12 web01 sshd[2211]: Failed password for root from {ip} port 52144 ssh2",
    "Dec  7 00:51:13 web01 sshd[2214]: Accepted publickey for deploy from {ip} port 40022 ssh2",
    "2026/12/07 00:51:12 [error] 311#311: *1 connect() failed, client: {ip}, server: example.org",
    '{{"ts": "2026-12-07T00:51:12Z", "remote_addr": "{ip}", "status": 403}}',
    'level=warn msg="rate limited" src={ip} path=/login',
    "{ip}\tapi.internal.example.org api",
    "nameserver {ip}",
    "    server backend1 {ip}:8080 check",
    "    listen {ip}:443 ssl;",
    "upstream_host = {ip}",
    "DB_HOST={ip}",
    "  loadBalancerIP: {ip}",
    '    - "{ip}:5432:5432"',
    "-A INPUT -s {ip}/32 -p tcp --dport 22 -j ACCEPT",
    "allow {ip};",
    "deny {ip};",
    "ListenAddress {ip}",
    "proxy_pass http://{ip}:9000/;",
    "bind-address = {ip}",
    "Host bastion\n    HostName {ip}",
    "X-Forwarded-For: {ip}",
    "postfix/smtpd[1201]: connect from unknown[{ip}]",
    "ping -c 3 {ip}",
    'ALLOWED_IPS = ["{ip}"]',
    "ssh deploy@{ip}",
    '  "PublicIp": "{ip}",',
    "server_name _; set_real_ip_from {ip};",
    "peer {ip} port 51820",
    "Endpoint = {ip}:51820",
)

NON_ADDRESS_LINES = (
    "This implements RFC 9110 section 8.4.1.3 for range requests.",
    "See RFC 3986, section 3.2.2.1 for the host syntax.",
    "as described in section 4.3.2.1 of the specification",
    "Per RFC 2616 sec 14.35.1.2, byte ranges may overlap.",
    "§ 5.2.1.4 Remove dot segments",
    'VERSION = "7.2.0.0"',
    '__version__ = "10.20.30.40"',
    "Requires version 3.11.4.2 or later",
    "Released in v2.4.1.3 with the new parser",
    "changed in 6.0.1.2: renamed the option",
    'OID_COMMON_NAME = "2.5.4.3"',
    'OID = "1.3.6.1.4.1.311.20.2.3"',
    "id-ce-subjectAltName OID 2.5.29.17",
    'PROTOCOL = "1.0.0.0"',
    "build 4.18.0.553 of the kernel",
    "Table 2.1.3.4 lists the fields",
    "figure 3.1.2.4 shows the layout",
    "step 1.2.3.4: check the inputs",
    "see paragraph 12.4.2.1 of the standard",
    "python_requires >= 3.8.10.1",
    "CHANGES 1.2.3.4 - 2024",
    "x = (1.2.3.4)",
    "deprecated since 2.1.0.5",
    "Appendix A.1.2.3.4 defines the grammar",
    "12.34.56.78+0800 is not a valid timestamp",
)


def _public_address(rng: random.Random) -> str:
    while True:
        address = ipaddress.IPv4Address(rng.getrandbits(32))
        text = str(address)
        if address.is_global and not address.is_multicast and not text.startswith(("1.2.3.", "8.8.")):
            return text


def address_lines(seed: int = 22) -> list[tuple[str, str]]:
    """(line, the public address in it) for every template, twice with different addresses."""
    rng = random.Random(seed)
    lines = []
    for template in ADDRESS_TEMPLATES:
        for _ in range(2):
            address = _public_address(rng)
            lines.append((template.format(ip=address), address))
    return lines

"""nginx's configuration, for `make serve` (sctdash.serving.launcher) and for a server's own nginx
(docs/deploy.md): upstreams per dashboard process, routing by cookie so that each browser
keeps its process, the templates of sctdash/serving/nginx/ filled in.

    python -m sctdash.serving.nginx_config --backend HOST:PORT [--backend ...] [--listen 80]
        [--server-name NAME --tls-cert FULLCHAIN.pem --tls-key KEY.pem] [--access-log PATH]

prints the site alone (upstreams, cookie routing, server; with --server-name, --tls-cert and
--tls-key over HTTPS with a redirect from port 80), for a server's /etc/nginx/conf.d/.
sctdash/serving/nginx/sctdash.conf is what it prints for the server of docs/deploy.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "nginx"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
COOKIE = "sct_route"


class ClusterError(Exception):
    """Something that stops `make serve` from starting, said plainly."""


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"

    @classmethod
    def parse(cls, text: str) -> Address:
        host, sep, port = text.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT")
        return cls(host, int(port))


# The site of docs/deploy.md's server: four processes (sctdash@8601 … sctdash@8604) behind
# Debian's nginx on port 80. sctdash/serving/nginx/sctdash.conf is this site, rendered.
SERVER_BACKENDS = tuple(Address("127.0.0.1", port) for port in range(8601, 8605))
SERVER_ACCESS_LOG = "/var/log/nginx/sctdash.access.log"
SERVER_SITE = TEMPLATES / "sctdash.conf"


def route_name(index: int) -> str:
    """The cookie value and log name of the i-th process (from 0): w1, w2, ..."""
    return f"w{index + 1}"


def _fill(template: str, values: dict[str, str]) -> str:
    out = template
    for key, value in values.items():
        out = out.replace("{{" + key + "}}", value)
    left = re.findall(r"\{\{\w+\}\}", out)
    if left:
        raise ClusterError(f"nginx template: nothing for {', '.join(sorted(set(left)))}")
    return out


@dataclass(frozen=True)
class TLS:
    """HTTPS for a server's own nginx (docs/deploy.md, HTTPS): its name, certificate and key."""

    server_name: str
    cert: str
    key: str


def _server_lines(listen: str | None, tls: TLS | None) -> tuple[str, str]:
    """The listen lines of the server, and the redirect from port 80 when it is HTTPS."""
    if tls is None:
        return f"    listen {listen or '80'};", ""
    lines = [
        f"    listen {listen or '443'} ssl;",
        f"    server_name {tls.server_name};",
        f"    ssl_certificate     {tls.cert};",
        f"    ssl_certificate_key {tls.key};",
        "    ssl_protocols       TLSv1.2 TLSv1.3;",
        "    ssl_session_cache   shared:SSL:10m;",
    ]
    redirect = (
        "server {\n    listen 80;\n"
        f"    server_name {tls.server_name};\n"
        "    return 301 https://$host$request_uri;  # passwords are typed on the data page: HTTPS only\n}\n\n"
    )
    return "\n".join(lines), redirect


def site_config(backends: list[Address], listen: str | None, access_log: str, tls: TLS | None = None) -> str:
    """The http-level part of the configuration: routing by cookie to `backends`; on `listen`
    (default 80, or 443 with `tls`), with `tls` over HTTPS and a redirect from port 80."""
    if not backends:
        raise ClusterError("no dashboard process to put behind nginx")
    names = [route_name(i) for i in range(len(backends))]
    secure = "; Secure" if tls else ""
    server = "server {addr} max_fails=1 fail_timeout=3s"
    route_upstreams = []
    for i, (name, addr) in enumerate(zip(names, backends)):
        others = [backends[(i + k) % len(backends)] for k in range(1, len(backends))]
        lines = [f"upstream sct_{name} {{", f"    zone sct_{name} 64k;", f"    {server.format(addr=addr)};"]
        lines += [f"    server {other} backup;" for other in others]
        lines += ["    keepalive 8;", "}"]
        route_upstreams.append("\n".join(lines))
    values = {
        "route_to_upstream": "\n".join(f"    {name} sct_{name};" for name in names),
        "address_to_cookie": "\n".join(
            f'    "~(^|\\s){re.escape(str(addr))}$" "{COOKIE}={name}; Path=/; HttpOnly; SameSite=Lax{secure}";'
            for name, addr in zip(names, backends)
        ),
        "any_servers": "\n".join(f"    {server.format(addr=addr)};" for addr in backends),
        "route_upstreams": "\n" + "\n\n".join(route_upstreams),
        "access_log": access_log,
    }
    values["listen"], values["redirect"] = _server_lines(listen, tls)
    return _fill((TEMPLATES / "site.conf").read_text(encoding="utf-8"), values)


def main_config(prefix: Path) -> str:
    """nginx.conf for nginx as a process of ours, everything under `prefix`. As root, the
    worker runs as root too: the default (nobody) could not use the temp folders under a
    checkout it cannot enter."""
    user = "user root root;" if os.geteuid() == 0 else ""
    return _fill((TEMPLATES / "main.conf").read_text(encoding="utf-8"), {"prefix": str(prefix), "user": user})


def find_nginx() -> str:
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise ClusterError(
        "nginx is not installed: `make serve` installs it (apt package nginx), or run `make system-serve`"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m sctdash.serving.nginx_config", description="nginx's site for dashboard processes"
    )
    ap.add_argument("--backend", type=Address.parse, action="append", required=True, help="HOST:PORT, once each")
    ap.add_argument("--listen", help="nginx's listen address or port (default 80, or 443 with HTTPS)")
    ap.add_argument("--access-log", default=SERVER_ACCESS_LOG)
    ap.add_argument("--server-name", help="with --tls-cert and --tls-key: HTTPS for this name")
    ap.add_argument("--tls-cert", help="the certificate followed by its intermediates (full chain)")
    ap.add_argument("--tls-key", help="its private key")
    args = ap.parse_args(argv)
    given = [args.server_name, args.tls_cert, args.tls_key]
    if any(given) and not all(given):
        ap.error("HTTPS needs --server-name, --tls-cert and --tls-key together")
    tls = TLS(args.server_name, args.tls_cert, args.tls_key) if all(given) else None
    print(site_config(args.backend, args.listen, args.access_log, tls), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

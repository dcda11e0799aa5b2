"""Start Varnish in front of the app servers with deploy/varnish.vcl.

VCL cannot read the environment, so this writes a copy of deploy/varnish.vcl whose
generated block (probe, backends, round-robin director) names the app servers given here,
then runs varnishd in the foreground (for honcho, a service manager or a test):

    python deploy/varnish.py                       # the environment's settings
    python deploy/varnish.py --print-vcl           # only print the VCL it would load

Settings, from the command line or the environment:

    VARNISH_LISTEN      address Varnish listens on (default 127.0.0.1:6081)
    VARNISH_BACKENDS    the app servers, comma-separated host:port
                        (default 127.0.0.1:8001,127.0.0.1:8002)
    VARNISH_PROBE_HOST  Host header of the /healthz/ probes: one of ALLOWED_HOSTS
                        (default: the first backend's host)
    VARNISH_WORKDIR     varnishd's working folder, -n (default: a new temporary folder)
    VARNISH_STORAGE     the cache storage, -s (default malloc,256m)

Only the standard library: it runs before and beside the app, with any Python 3.11.
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

TEMPLATE = Path(__file__).resolve().with_name("varnish.vcl")
GENERATED = re.compile(
    r"^# BEGIN generated backends\n.*?^# END generated backends\n", re.MULTILINE | re.DOTALL
)
ADDRESS = re.compile(r"^(?P<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):(?P<port>\d{1,5})$")
HOST = re.compile(r"^[A-Za-z0-9.\-:\[\]]+$")


class SettingError(ValueError):
    """A setting that cannot be used, with what was wrong."""


def parse_address(text, name):
    match = ADDRESS.match(text.strip())
    if not match or not 0 < int(match["port"]) < 65536:
        raise SettingError(f"{name}: {text!r} is not host:port (e.g. 127.0.0.1:8001)")
    return match["host"], int(match["port"])


def generated_block(backends, probe_host):
    if not HOST.match(probe_host):
        raise SettingError(f"VARNISH_PROBE_HOST: {probe_host!r} is not a host name")
    lines = [
        "# BEGIN generated backends",
        "probe healthz {",
        "    .request =",
        '        "GET /healthz/ HTTP/1.1"',
        f'        "Host: {probe_host}"',
        '        "User-Agent: Varnish health probe"',
        '        "Connection: close";',
        "    .timeout = 2s;",
        "    .interval = 1s;",
        "    .window = 3;",
        "    .threshold = 2;",
        "    .initial = 2;",
        "}",
        "",
    ]
    for number, (host, port) in enumerate(backends, start=1):
        lines += [
            f"backend web{number} {{",
            f'    .host = "{host.strip("[]")}";',
            f'    .port = "{port}";',
            "    .probe = healthz;",
            "    .connect_timeout = 1s;",
            "    .first_byte_timeout = 10s;",
            "    .between_bytes_timeout = 10s;",
            "}",
            "",
        ]
    lines += ["sub vcl_init {", "    new app = directors.round_robin();"]
    lines += [f"    app.add_backend(web{number});" for number in range(1, len(backends) + 1)]
    lines += ["}", "# END generated backends", ""]
    return "\n".join(lines)


def render_vcl(backends, probe_host):
    """deploy/varnish.vcl with its generated block naming these backends."""
    template = TEMPLATE.read_text()
    if not GENERATED.search(template):
        raise SettingError(f"{TEMPLATE} has no generated backends block")
    block = generated_block(backends, probe_host)
    return GENERATED.sub(lambda _match: block, template, count=1)


def arguments(argv):
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default=env("VARNISH_LISTEN", "127.0.0.1:6081"))
    parser.add_argument(
        "--backends", default=env("VARNISH_BACKENDS", "127.0.0.1:8001,127.0.0.1:8002")
    )
    parser.add_argument("--probe-host", default=env("VARNISH_PROBE_HOST", ""))
    parser.add_argument("--workdir", default=env("VARNISH_WORKDIR", ""))
    parser.add_argument("--storage", default=env("VARNISH_STORAGE", "malloc,256m"))
    parser.add_argument("--varnishd", default=env("VARNISHD", "") or shutil.which("varnishd"))
    parser.add_argument("--print-vcl", action="store_true", help="print the VCL and stop")
    return parser.parse_args(argv)


def main(argv=None):
    args = arguments(argv)
    try:
        parse_address(args.listen, "VARNISH_LISTEN")
        backends = [
            parse_address(item, "VARNISH_BACKENDS")
            for item in args.backends.split(",")
            if item.strip()
        ]
        if not backends:
            raise SettingError("VARNISH_BACKENDS names no app server")
        vcl = render_vcl(backends, args.probe_host or backends[0][0].strip("[]"))
    except SettingError as error:
        sys.exit(str(error))
    if args.print_vcl:
        sys.stdout.write(vcl)
        return
    varnishd = args.varnishd or next(
        (p for p in ("/usr/sbin/varnishd", "/usr/local/sbin/varnishd") if Path(p).exists()), None
    )
    if not varnishd:
        sys.exit("varnishd is not installed (Debian: apt-get install varnish)")
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="bts-varnish-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    vcl_path = workdir / "site.vcl"
    vcl_path.write_text(vcl)
    command = [
        varnishd,
        "-F",  # in the foreground, for honcho or the service manager
        *("-n", str(workdir)),
        *("-a", args.listen),
        *("-f", str(vcl_path)),
        *("-s", args.storage),
        # The management console on a random loopback port (varnishadm -n <workdir>).
        *("-T", "127.0.0.1:0"),
        # Run as the user who started it: a folder of its own, no system service.
        *("-j", "none"),
        # Bans are evaluated in the background soon after a purge.
        *("-p", "ban_lurker_sleep=0.1"),
    ]
    sys.stdout.write(f"Varnish on http://{args.listen}/ in front of {args.backends}\n")
    sys.stdout.flush()
    os.execv(varnishd, command)  # noqa: S606 - the path comes from the operator


if __name__ == "__main__":
    main()

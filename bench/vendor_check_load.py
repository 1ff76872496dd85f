"""Benchmark: the vendor-check endpoint under gunicorn, 20 concurrent clients (p95 < 50 ms).

The load comes from a second process on loopback (wrk, Debian package `wrk`), bounded in
time. Gunicorn serves the app with its default SQLite database in a temporary instance folder.

    .venv/bin/python bench/vendor_check_load.py [--seconds 15] [--connections 20] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Realistic checks a procurement officer would run, cycled by the load generator.
PAYLOADS = [
    {"name": "Hetian Taida Apparel Co Ltd", "country": "China", "products": ["cotton t-shirts"]},
    {"name": "Abidjan Cocoa Export SA", "country": "Côte d'Ivoire", "products": ["cocoa beans"]},
    {"name": "Müller Armaturen GmbH", "country": "DE", "products": ["ball valves", "8481.80"]},
    {"name": "Dhaka Knit Fashions Ltd", "country": "Bangladesh", "products": ["mens knit polo"]},
    {
        "name": "Shenzhen Bright Power Tech",
        "country": "PRC",
        "products": ["Li-ion battery pack 48V"],
    },
    {"name": "Acme Widgets", "country": "", "products": ["N/A"]},
]

LUA = """
local bodies = {BODIES}
local i = 0
request = function()
  i = (i % #bodies) + 1
  return wrk.format("POST", "/api/v1/vendor-check",
    {["Content-Type"] = "application/json"}, bodies[i])
end
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "errors": %d, "non2xx": %d, "seconds": %f, ' ..
    '"p50_ms": %f, "p95_ms": %f, "p99_ms": %f, "max_ms": %f}\\n',
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")

    instance = Path(tempfile.mkdtemp(prefix="vendor-bench-"))
    env = {
        **os.environ,
        "SUPPLYCHAIN_DATABASE_URL": f"sqlite:///{instance / 'bench.db'}",
        "SUPPLYCHAIN_REFDATA_DIR": str(instance / "refdata"),
    }
    subprocess.run([BIN / "supplychain", "db", "upgrade"], env=env, check=True,
                   capture_output=True, cwd=ROOT)  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [BIN / "gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "--log-level",
         "warning", "wsgi:app"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/api/v1/vendor-check"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # Warm every worker: matchers and the scorer are built on first use.
                for _ in range(4 * args.workers):
                    for payload in PAYLOADS:
                        requests.post(url, json=payload, timeout=30).raise_for_status()
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        bodies = "{" + ", ".join(json.dumps(json.dumps(p)) for p in PAYLOADS) + "}"
        script = instance / "vendor.lua"
        script.write_text(LUA.replace("{BODIES}", bodies))
        run = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "-s", str(script),
             f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True, timeout=args.seconds + 60,
        )  # fmt: skip
        result = json.loads(run.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(instance, ignore_errors=True)

    print(f"gunicorn workers      {args.workers}")
    print(f"concurrent clients    {args.connections} (wrk, {args.seconds} s)")
    rate = result["requests"] / result["seconds"]
    print(f"requests              {result['requests']:,}  ({rate:,.0f}/s)")
    print(f"errors / non-2xx      {result['errors']} / {result['non2xx']}")
    print(f"latency p50           {result['p50_ms']:.1f} ms")
    print(f"latency p95           {result['p95_ms']:.1f} ms   (target < 50 ms)")
    print(f"latency p99 / max     {result['p99_ms']:.1f} / {result['max_ms']:.1f} ms")


if __name__ == "__main__":
    main()

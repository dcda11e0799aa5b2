"""Benchmark: the cost of a wrong access pass, and the unlock endpoint under a flood.

Run with `make bench` (or `.venv/bin/python tests/benchmarks/unlock.py`). Throwaway
database as in run.py (BENCH_DATABASE_URL for PostgreSQL). Prints:
- CPU time per wrong unlock through the real endpoint, for a pass stored the old way
  (PBKDF2, as every pass was before keyed hashes) and for one stored with the keyed hash;
- requests per second the endpoint answers once a client's limit has tripped (each refused
  without any password check), and how many rows the flood added.
Measurements, not tests.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.benchmarks.environment import prepare

prepare("bts-bench-unlock-")

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

WRONG = int(os.environ.get("BENCH_WRONG", "20"))
FLOOD_SECONDS = float(os.environ.get("BENCH_FLOOD_SECONDS", "5"))


def cpu_per_wrong_unlock(client, page, password):
    """Median CPU seconds of this process for one wrong guess sharing the pass's key."""
    wrong = password[:6] + "x" * (len(password) - 6)
    times = []
    for _ in range(WRONG):
        start = time.process_time()
        response = client.post(f"/private/unlock/{page.pk}/", {"password": wrong})
        times.append(time.process_time() - start)
        assert response.status_code == 403, response.status_code
    times.sort()
    return times[len(times) // 2]


def cpu_per_check(access_pass, password):
    """Median CPU seconds of checking one wrong password against the stored hash."""
    wrong = password[:-1] + ("x" if password[-1] != "x" else "y")
    times = []
    for _ in range(WRONG):
        start = time.process_time()
        assert not access_pass.check_password(wrong)
        times.append(time.process_time() - start)
    times.sort()
    return times[len(times) // 2]


def main():
    from showreels.models import AccessPass, UnlockAttempt, UnlockRefusal
    from tests.factories import ShowreelIndexPageFactory, build_site

    tree = build_site()
    section = ShowreelIndexPageFactory(parent=tree["home"], title="Private work")
    client = Client()

    with override_settings(SHOWREEL_UNLOCK_ATTEMPTS=10_000, SHOWREEL_SECTION_ATTEMPTS=0):
        legacy, legacy_password = AccessPass.issue(label="Old hash", page=section)
        AccessPass.objects.filter(pk=legacy.pk).update(
            password_hash=make_password(legacy_password)  # Django's PBKDF2, as before
        )
        before = cpu_per_wrong_unlock(client, section, legacy_password)
        fresh, fresh_password = AccessPass.issue(label="Keyed hash", page=section)
        after = cpu_per_wrong_unlock(client, section, fresh_password)
        legacy.refresh_from_db()
        check_before = cpu_per_check(legacy, legacy_password)
        check_after = cpu_per_check(fresh, fresh_password)
    print("CPU per wrong guess            whole request   password check")
    print(
        f"  PBKDF2-stored pass (before)  {before * 1000:10.2f} ms  {check_before * 1000:11.3f} ms"
    )
    print(f"  HMAC-stored pass (after)     {after * 1000:10.2f} ms  {check_after * 1000:11.3f} ms")
    ratio, check_ratio = before / after, check_before / check_after
    print(f"  ratio                        {ratio:10.0f} x   {check_ratio:11.0f} x")

    UnlockAttempt.objects.all().delete()
    rows_before = UnlockAttempt.objects.count() + UnlockRefusal.objects.count()
    flood = Client(REMOTE_ADDR="198.51.100.7")
    count, statuses = 0, {}
    deadline = time.perf_counter() + FLOOD_SECONDS
    start = time.perf_counter()
    while time.perf_counter() < deadline:
        status = flood.post(f"/private/unlock/{section.pk}/", {"password": "guess"}).status_code
        statuses[status] = statuses.get(status, 0) + 1
        count += 1
    elapsed = time.perf_counter() - start
    rows_after = UnlockAttempt.objects.count() + UnlockRefusal.objects.count()
    print(
        f"flood from one network for {elapsed:.1f} s: {count / elapsed:.0f} requests/s "
        f"in one process, statuses {dict(sorted(statuses.items()))}, "
        f"rows added {rows_after - rows_before} "
        f"(refusals counted: {sum(UnlockRefusal.objects.values_list('refused', flat=True))})"
    )


if __name__ == "__main__":
    main()

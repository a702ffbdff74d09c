"""Where the machine's CPU went during a load test: Locust's own share beside the server's, since
both run on the same cores. Read from /proc (through psutil): each process tree's user and system
time, with that of the children it has already reaped (gunicorn's workers replaced on the way)."""

import os
import time
from dataclasses import dataclass

import psutil


@dataclass(frozen=True)
class Reading:
    at: float
    machine_busy: float
    machine_total: float
    trees: dict[str, float]


def tree_seconds(pid: int) -> float:
    """CPU seconds used by a process, its living descendants and the children it has reaped; 0 once gone."""
    try:
        root = psutil.Process(pid)
        times = root.cpu_times()
        total = times.user + times.system + times.children_user + times.children_system
        for child in root.children(recursive=True):
            try:
                child_times = child.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += child_times.user + child_times.system
        return total
    except psutil.NoSuchProcess:
        return 0.0


def postgres_seconds() -> float:
    """Every PostgreSQL process of the machine: the server's database, and anyone else's on it. A
    connection's process ends with its connection, and its time then passes to the server process
    that reaped it, so each process's reaped children are counted too."""
    total = 0.0
    for process in psutil.process_iter(["name", "cpu_times"]):
        times = process.info["cpu_times"]
        if process.info["name"] in {"postgres", "postmaster"} and times:
            total += times.user + times.system + times.children_user + times.children_system
    return total


def read(watched: dict[str, int]) -> Reading:
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    total = sum(times)
    trees = {name: tree_seconds(pid) for name, pid in watched.items()}
    trees["locust"] = tree_seconds(os.getpid())
    trees["postgres (whole machine)"] = postgres_seconds()
    return Reading(at=time.monotonic(), machine_busy=total - idle, machine_total=total, trees=trees)


def watched_from(text: str) -> dict[str, int]:
    """'gunicorn=123 worker=456' (bin/loadtest's LOADTEST_WATCH) as {name: pid}."""
    pairs = (item.split("=", 1) for item in text.split())
    return {name: int(pid) for name, pid in pairs}


def report(start: Reading, end: Reading) -> list[tuple[str, float, float]]:
    """(what, CPU seconds, share of the machine's cores over the run), the machine's own first."""
    cores = psutil.cpu_count() or 1
    wall = max(end.at - start.at, 1e-9)
    busy = end.machine_busy - start.machine_busy
    trees = [(name, end.trees[name] - start.trees.get(name, 0.0)) for name in end.trees]
    rows = [("machine, busy", busy), *trees, ("anything else", max(busy - sum(s for _n, s in trees), 0.0))]
    return [(name, seconds, seconds / (wall * cores)) for name, seconds in rows]

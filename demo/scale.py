"""A clinic group's worth of data, written fast, for the benchmark and the load test.

`ScaleGenerator` runs the stages: the clinics' set-up (`scale_clinics`), then the benchmark
group's sessions chunk by chunk, each chunk generated (`scale_sessions`) and written with COPY
(`bulk_load`), in worker processes on PostgreSQL; then, for a host larger than that group, the
neighbour groups' clinics copied from it in SQL (`scale_copies`); then the audit's tallies.
`progress_bar` shows the sessions as they are written.
"""

import multiprocessing
import random
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from recovery.tallies import tallies_rebuild

from .bulk_load import LOADED_MODELS, Tables, indexes_and_keys_set_aside, tables_write
from .scale_clinics import BENCH_GROUP_SESSIONS, GROUPS, PASSWORD, clinic_kit_create, clinics_create
from .scale_copies import clinic_copy, copies_done, copies_prepare, set_up_matched
from .scale_sessions import patients_and_sessions_add

# Written and committed to memory this many sessions at a time: flat memory at any size.
CHUNK_SESSIONS = 20_000


class ScaleGenerator:
    def __init__(
        self,
        *,
        sessions: int,
        seed: int = 7,
        now: datetime | None = None,
        progress=None,
        processes: int = 1,
        groups: int = GROUPS,
        bench_group_sessions: int = BENCH_GROUP_SESSIONS,
        say: Callable[[str], None] | None = None,
    ):
        self.total = sessions
        self.seed = seed
        self.rng = random.Random(seed)
        self.now = now or timezone.now()
        self.progress = progress
        self.processes = processes
        self.groups = groups
        self.bench_group_sessions = bench_group_sessions
        self.say = say or (lambda _line: None)

    def run(self) -> None:
        """Set up the clinics, write their sessions chunk by chunk, then count the audit's tallies.

        With several processes (PostgreSQL only) each chunk, and then each clinic's tallies, is
        written and committed by a worker of its own, so the rules and COPY keep both cores busy.
        """
        with self._stage("clinics, staff and stock set up"), transaction.atomic():
            # Hashed once: a deliberately slow hash per user would cost more than the sessions.
            password = make_password(PASSWORD)
            clinics = clinics_create(
                self.total, password=password, groups=self.groups, bench_group_sessions=self.bench_group_sessions
            )
            kits = {
                c.clinic.pk: clinic_kit_create(c.clinic, rng=self.rng, now=self.now, password=password) for c in clinics
            }
        generated = [c for c in clinics if c.group == 0 or not self._copying()]
        jobs = [(kits[c.clinic.pk], size) for c in generated for size in _chunks(c.sessions)]
        with indexes_and_keys_set_aside(LOADED_MODELS, say=self.say):
            with self._stage("sessions written"):
                if self._in_processes():
                    self._run_in_processes(_run_job, (self, jobs), len(jobs), progress=True)
                else:
                    with transaction.atomic():
                        for number, (kit, size) in enumerate(jobs):
                            self._chunk(kit, size, number)
            copies = [c for c in clinics if c.group > 0] if self._copying() else []
            if copies:
                with self._stage(f"{len(copies)} neighbour clinics copied"):
                    self._copy(sources=[c.clinic for c in clinics if c.group == 0], copies=copies)
        clinic_ids = [c.clinic.pk for c in clinics]
        with self._stage("audit tallies counted"):
            if self._in_processes():
                self._run_in_processes(_tally_job, clinic_ids, len(clinic_ids))
            else:
                tallies_rebuild(clinic_ids=clinic_ids)

    @contextmanager
    def _stage(self, done: str):
        started = time.perf_counter()
        yield
        self.say(f"{done} in {time.perf_counter() - started:.0f} s")

    def _in_processes(self) -> bool:
        return self.processes > 1 and connection.vendor == "postgresql"

    @staticmethod
    def _copying() -> bool:
        """Neighbour clinics are copied in PostgreSQL's SQL; elsewhere (test-sized) they are generated."""
        return connection.vendor == "postgresql"

    def _copy(self, *, sources: list, copies: list) -> None:
        copies_prepare(sources)
        work = []
        for index, copy in enumerate(copies):
            source = sources[index % len(sources)]
            set_up_matched(source, copy.clinic)
            work.append((source, copy.clinic, copy.sessions))
        if self._in_processes():
            self._run_in_processes(_copy_job, work, len(work), progress=True)
        else:
            for source, copy, sessions in work:
                self._progressed(clinic_copy(source=source, copy=copy, sessions=sessions))
        copies_done()

    def _progressed(self, size: int) -> None:
        if self.progress:
            self.progress.update(size)

    def _run_in_processes(self, job, shared, count: int, *, progress: bool = False) -> None:
        global _SHARED
        _SHARED = shared
        connection.close()
        with multiprocessing.get_context("fork").Pool(self.processes) as pool:
            for size in pool.imap_unordered(job, range(count)):
                if progress and self.progress:
                    self.progress.update(size)

    def _chunk(self, kit, size: int, number: int) -> int:
        # Each chunk draws from its own stream, so the data does not depend on which process wrote it.
        self.rng = random.Random(self.seed * 1_000_003 + number)
        tables = Tables()
        patients_and_sessions_add(kit, tables, sessions=size, rng=self.rng, now=self.now)
        tables_write(tables)
        if self.processes <= 1:
            self._progressed(size)
        return size


def _chunks(count: int) -> list[int]:
    return [min(CHUNK_SESSIONS, count - start) for start in range(0, count, CHUNK_SESSIONS)]


# What the forked workers share with their parent: set just before the pool starts.
_SHARED = None


def _run_job(number: int) -> int:
    """In a worker process: write one chunk in a transaction of its own."""
    generator, jobs = _SHARED
    kit, size = jobs[number]
    with transaction.atomic():
        return generator._chunk(kit, size, number)


def _copy_job(number: int) -> int:
    """In a worker process: copy one neighbour clinic in a transaction of its own."""
    source, copy, sessions = _SHARED[number]
    with transaction.atomic():
        return clinic_copy(source=source, copy=copy, sessions=sessions)


def _tally_job(number: int) -> int:
    """In a worker process: count one clinic's tallies, from its own rows only."""
    tallies_rebuild(clinic_ids=[_SHARED[number]])
    return 1


def progress_bar(total: int, stream) -> tqdm:
    return tqdm(total=total, desc="Sessions", unit="session", unit_scale=True, file=stream)

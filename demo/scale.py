"""A clinic group's worth of data, written fast, for the benchmark and the load test.

`ScaleGenerator` runs the stages: the clinics' set-up (`scale_clinics`), then their
sessions chunk by chunk, each chunk generated (`scale_sessions`) and written with COPY
(`bulk_load`), in worker processes on PostgreSQL; then the audit's tallies are counted.
`progress_bar` shows the sessions as they are written.
"""

import multiprocessing
import random
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from recovery.tallies import tallies_rebuild

from .bulk_load import LOADED_MODELS, Tables, secondary_indexes_set_aside, tables_write
from .scale_clinics import PASSWORD, clinic_kit_create, clinics_create
from .scale_sessions import patients_and_sessions_add

# Written and committed to memory this many sessions at a time: flat memory at any size.
CHUNK_SESSIONS = 20_000


class ScaleGenerator:
    def __init__(self, *, sessions: int, seed: int = 7, now: datetime | None = None, progress=None, processes: int = 1):
        self.total = sessions
        self.seed = seed
        self.rng = random.Random(seed)
        self.now = now or timezone.now()
        self.progress = progress
        self.processes = processes

    def run(self) -> None:
        """Set up the clinics, write their sessions chunk by chunk, then count the audit's tallies.

        With several processes (PostgreSQL only) each chunk is written and committed by a
        worker of its own, so the rules and COPY keep both cores busy.
        """
        with transaction.atomic():
            # Hashed once: a deliberately slow hash per user would cost more than the sessions.
            password = make_password(PASSWORD)
            clinics = clinics_create(self.total, password=password)
            jobs = [
                (kit, size)
                for clinic, count in clinics
                for kit in [clinic_kit_create(clinic, rng=self.rng, now=self.now, password=password)]
                for size in _chunks(count)
            ]
        with secondary_indexes_set_aside(LOADED_MODELS):
            if self.processes > 1 and connection.vendor == "postgresql":
                self._run_in_processes(jobs)
            else:
                with transaction.atomic():
                    for number, (kit, size) in enumerate(jobs):
                        self._chunk(kit, size, number)
        tallies_rebuild(clinic_ids=[clinic.pk for clinic, _count in clinics])

    def _run_in_processes(self, jobs) -> None:
        global _JOBS
        _JOBS = (self, jobs)
        connection.close()
        with multiprocessing.get_context("fork").Pool(self.processes) as pool:
            for size in pool.imap_unordered(_run_job, range(len(jobs))):
                if self.progress:
                    self.progress.update(size)

    def _chunk(self, kit, size: int, number: int) -> int:
        # Each chunk draws from its own stream, so the data does not depend on which process wrote it.
        self.rng = random.Random(self.seed * 1_000_003 + number)
        tables = Tables()
        patients_and_sessions_add(kit, tables, sessions=size, rng=self.rng, now=self.now)
        tables_write(tables)
        if self.progress and self.processes <= 1:
            self.progress.update(size)
        return size


def _chunks(count: int) -> list[int]:
    return [min(CHUNK_SESSIONS, count - start) for start in range(0, count, CHUNK_SESSIONS)]


_JOBS: tuple | None = None


def _run_job(number: int) -> int:
    """In a worker process: write one chunk in a transaction of its own."""
    generator, jobs = _JOBS
    kit, size = jobs[number]
    with transaction.atomic():
        return generator._chunk(kit, size, number)


def progress_bar(total: int, stream) -> tqdm:
    return tqdm(total=total, desc="Sessions", unit="session", unit_scale=True, file=stream)

"""Each staff page timed through Django beside hand-written SQL that answers the same question.

The SQL is the floor: what the database must do at the least to draw the page. A page
near its floor spends little beyond the questions it has to ask. Both run in the same
loop, five times, and the medians are compared; query counts show that a page asks a
fixed number of questions whatever the size of the data.
"""

import statistics
import time
import tracemalloc
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from audits import csv_safe, exports
from checkins import sweep
from clinics import two_factor
from clinics.models import Clinic, Membership, Role, User
from recovery.models import CheckIn, CheckInStatus
from treatments.models import Batch, SessionProduct, TreatmentSession

from . import bench_import
from .photo_bench import measure_photos

RUNS = 5

NEEDS_SOMEONE = "(r.attention_at <= %(now)s OR (r.closed_at IS NULL AND r.overdue_at <= %(now)s))"
STATUS = """CASE WHEN r.attention_at <= %(now)s THEN 'needs_attention'
    WHEN r.closed_at IS NOT NULL THEN 'resolved'
    WHEN r.overdue_at <= %(now)s THEN 'overdue'
    WHEN r.settled THEN 'resolved' ELSE 'on_track' END"""
# The questions the dashboard asks (`recovery.queue`): whoever needs attention and whoever is overdue,
# each part from its own covering partial index, the period's others apart, then the queue's page.
ATTENTION = "r.attention_at <= %(now)s"
OVERDUE = "r.closed_at IS NULL AND r.overdue_at <= %(now)s AND (r.attention_at IS NULL OR r.attention_at > %(now)s)"
QUEUE_PAGE = f"""SELECT r.session_id, p.first_name, p.last_name, r.findings, r.performed_at, u.first_name
    FROM recovery_recovery r JOIN treatments_treatmentsession s ON s.id = r.session_id
    JOIN patients_patient p ON p.id = s.patient_id JOIN clinics_user u ON u.id = r.practitioner_id
    WHERE r.session_id IN (
        SELECT session_id FROM (
            SELECT r.session_id, 0 AS part,
                CASE WHEN r.unacknowledged_at <= %(now)s THEN 0 ELSE 1 END AS waiting_first,
                CASE WHEN r.unacknowledged_at <= %(now)s THEN r.unacknowledged_at ELSE r.attention_at END AS since
            FROM recovery_recovery r WHERE r.clinic_id = ANY(%(clinics)s) {{scope}} AND {ATTENTION}
            UNION ALL
            SELECT r.session_id, 1, 0, r.overdue_at
            FROM recovery_recovery r WHERE r.clinic_id = ANY(%(clinics)s) {{scope}} AND {OVERDUE}
        ) AS needing ORDER BY part, waiting_first, since, session_id LIMIT 25 OFFSET %(offset)s)"""
DASHBOARD_FLOOR = [
    f"""SELECT count(*), count(*) FILTER (WHERE r.unacknowledged_at <= %(now)s) FROM recovery_recovery r
        WHERE r.clinic_id = ANY(%(clinics)s) {{scope}} AND {ATTENTION}""",
    f"SELECT count(*) FROM recovery_recovery r WHERE r.clinic_id = ANY(%(clinics)s) {{scope}} AND {OVERDUE}",
    f"""SELECT count(*) FILTER (WHERE r.closed_at IS NULL AND NOT r.settled), count(*) FROM recovery_recovery r
        WHERE r.clinic_id = ANY(%(clinics)s) {{scope}} AND r.performed_at >= %(since)s
        AND NOT ({NEEDS_SOMEONE}) IS TRUE""",
    QUEUE_PAGE,
    f"""SELECT date_trunc('day', r.performed_at AT TIME ZONE 'Europe/London') AS day, {STATUS}, count(*)
        FROM recovery_recovery r
        WHERE r.clinic_id = ANY(%(clinics)s) {{scope}} AND r.performed_at >= %(month)s GROUP BY 1, 2""",
    # Drawn once a minute for every screen of the same clinics (the page's median shows it kept).
    f"SELECT r.findings FROM recovery_recovery r WHERE r.clinic_id = ANY(%(clinics)s) {{scope}} AND {OVERDUE}",
]
# The audit reads the counts kept per clinic day (recovery.tallies), its split by grade and seriousness
# among them; its floor sums the same rows. Beside them: the batches of the last days' complication
# reports, from those reports, and the year's uses of expired batches, from their partial index.
AUDIT_FLOOR = [
    """SELECT dimension, key, sum(sessions), sum(reported), sum(confirmed) FROM recovery_audittally
        WHERE clinic_id = ANY(%(clinics)s) AND day BETWEEN %(year)s::date AND %(now)s::date GROUP BY 1, 2""",
    """SELECT date_trunc('month', day), sum(sessions), sum(reported), sum(confirmed) FROM recovery_audittally
        WHERE clinic_id = ANY(%(clinics)s) AND day BETWEEN %(year)s::date AND %(now)s::date
        AND dimension = 'series' GROUP BY 1""",
    """SELECT sp.batch_id FROM treatments_sessionproduct sp JOIN treatments_batch b ON b.id = sp.batch_id
        WHERE b.quarantined_at IS NULL AND sp.session_id IN (
            SELECT rr.session_id FROM recovery_reportedreaction x
            JOIN recovery_reactiontype t ON t.id = x.reaction_type_id
            JOIN recovery_reactionreport rr ON rr.id = x.report_id
            WHERE rr.reported_at >= %(cluster_since)s AND rr.clinic_id = ANY(%(clinics)s)
            AND x.severity > 0 AND t.kind = 'concerning'
            UNION
            SELECT rr.session_id FROM recovery_redflaganswer a JOIN recovery_reactionreport rr ON rr.id = a.report_id
            WHERE rr.reported_at >= %(cluster_since)s AND rr.clinic_id = ANY(%(clinics)s) AND a.present)
        GROUP BY sp.batch_id HAVING count(DISTINCT sp.session_id) >= %(cluster)s""",
    """SELECT count(DISTINCT r.session_id) FROM recovery_recovery r
        JOIN treatments_sessionproduct sp ON sp.session_id = r.session_id AND sp.expired_at_use
        WHERE r.clinic_id = ANY(%(clinics)s) AND r.performed_on BETWEEN %(year)s::date AND %(now)s::date""",
]
# The zone map of the clinics' year sums the counts kept per clinic day and zone, and its sessions once.
ZONE_MAP_FLOOR = [
    """SELECT zone, sum(sessions), sum(reacted), sum(confirmed), sum(beyond) FROM recovery_zonetally
        WHERE clinic_id = ANY(%(clinics)s) AND day BETWEEN %(year)s::date AND %(now)s::date GROUP BY 1""",
    """SELECT sum(sessions) FROM recovery_audittally WHERE clinic_id = ANY(%(clinics)s)
        AND day BETWEEN %(year)s::date AND %(now)s::date AND dimension = 'series'""",
]
# The batch page's fifty latest sessions come from the index of its uses by time, and its patients to
# contact from the patient that index holds for each use: counted from it alone, listed by name.
BATCH_FLOOR = [
    """SELECT r.session_id, p.first_name, p.last_name, r.performed_at FROM (
           SELECT DISTINCT session_id, performed_at FROM treatments_sessionproduct WHERE batch_id = %(batch)s
           ORDER BY performed_at DESC, session_id DESC LIMIT 50) u
       JOIN recovery_recovery r ON r.session_id = u.session_id
       JOIN treatments_treatmentsession s ON s.id = r.session_id JOIN patients_patient p ON p.id = s.patient_id
       ORDER BY u.performed_at DESC, u.session_id DESC""",
    "SELECT count(DISTINCT session_id) FROM treatments_sessionproduct WHERE batch_id = %(batch)s",
    "SELECT count(DISTINCT patient_id) FROM treatments_sessionproduct WHERE batch_id = %(batch)s",
    """SELECT p.id, p.first_name, p.last_name, p.phone, p.email FROM patients_patient p
       WHERE p.id IN (SELECT patient_id FROM treatments_sessionproduct WHERE batch_id = %(batch)s)
       ORDER BY p.last_name, p.first_name, p.id LIMIT 50""",
]
PATIENT_LIST_FLOOR = [
    """SELECT p.id, p.first_name, p.last_name FROM patients_patient p WHERE p.clinic_id = ANY(%(clinics)s) {search}
       ORDER BY p.last_name, p.first_name, p.id LIMIT 25""",
    "SELECT count(*) FROM patients_patient p WHERE p.clinic_id = ANY(%(clinics)s) {search}",
    """SELECT patient_id, count(*), max(performed_at) FROM treatments_treatmentsession
       WHERE patient_id IN (SELECT p.id FROM patients_patient p WHERE p.clinic_id = ANY(%(clinics)s) {search}
                            ORDER BY p.last_name, p.first_name, p.id LIMIT 25) GROUP BY patient_id""",
]
SESSION_LIST_FLOOR = [
    """SELECT s.id, s.performed_at, p.first_name, p.last_name, u.first_name, s.series_number
       FROM treatments_treatmentsession s JOIN patients_patient p ON p.id = s.patient_id
       JOIN clinics_user u ON u.id = s.practitioner_id
       WHERE s.clinic_id = ANY(%(clinics)s) ORDER BY s.performed_at DESC LIMIT 25""",
    "SELECT count(*) FROM treatments_treatmentsession s WHERE s.clinic_id = ANY(%(clinics)s)",
]
SESSION_PAGE_FLOOR = [
    """SELECT s.*, p.*, r.* FROM treatments_treatmentsession s JOIN patients_patient p ON p.id = s.patient_id
       JOIN recovery_recovery r ON r.session_id = s.id WHERE s.id = %(session)s""",
    """SELECT rr.*, x.* FROM recovery_reactionreport rr LEFT JOIN recovery_reportedreaction x ON x.report_id = rr.id
       WHERE rr.session_id = %(session)s ORDER BY rr.reported_at""",
    "SELECT * FROM recovery_checkin WHERE session_id = %(session)s ORDER BY due_at",
]


@dataclass
class Measure:
    page: str
    page_ms: float
    floor_ms: float
    queries: int

    @property
    def ratio(self) -> float:
        return self.page_ms / self.floor_ms if self.floor_ms else float("inf")


@dataclass(frozen=True)
class Case:
    name: str
    user: User
    url: str
    floor: list
    params: dict
    headers: dict | None = None


def _floor_ms(statements: list, params: dict) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def _page_ms(client: Client, case: Case) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(case.url, headers=case.headers or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{case.name}: {case.url} answered {response.status_code}")
    return elapsed, len(queries)


def _signed_in(user) -> Client:
    """A client as after the password and, for whoever needs one, the code of their app: as staff work."""
    client = Client()
    client.force_login(user)
    if two_factor.needs_two_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name=two_factor.APP_DEVICE_NAME, confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def measure(case: Case, runs: int = RUNS) -> Measure:
    client = _signed_in(case.user)
    pages, floors, counts = [], [], []
    for _ in range(runs):
        elapsed, count = _page_ms(client, case)
        pages.append(elapsed)
        counts.append(count)
        floors.append(_floor_ms(case.floor, case.params))
    return Measure(case.name, statistics.median(pages), statistics.median(floors), max(counts))


def cases(now) -> list[Case]:
    manager = User.objects.get(username="scale.manager")
    clinics = list(Clinic.objects.filter(memberships__user=manager).values_list("pk", flat=True))
    first_clinic = Clinic.objects.get(pk=min(clinics))
    practitioner = (
        Membership.objects.filter(clinic=first_clinic, role=Role.PRACTITIONER).order_by("user_id").first().user
    )
    # The group's own: on a host of many groups, the first batch of all may be a neighbour's.
    batch = (
        Batch.objects.filter(product__clinic=first_clinic)
        .filter(Exists(SessionProduct.objects.filter(batch=OuterRef("pk"))))
        .order_by("pk")
        .first()
    )
    session = (
        TreatmentSession.objects.filter(clinic=first_clinic, recovery__attention_at__isnull=False)
        .order_by("-performed_at")
        .first()
    )
    base = {
        "now": now,
        "since": now - timedelta(days=14),
        "month": now - timedelta(days=31),
        "year": now - timedelta(days=365),
        "offset": 0,
    }
    everywhere = {**base, "clinics": clinics}
    cluster = {
        "cluster_since": now - timedelta(days=settings.BATCH_CLUSTER_DAYS),
        "cluster": settings.BATCH_CLUSTER_COMPLICATIONS,
    }
    own = {**base, "clinics": [first_clinic.pk], "practitioner": practitioner.pk}

    def dashboard_floor(scope: str) -> list:
        return [sql.replace("{scope}", scope) for sql in DASHBOARD_FLOOR]

    clinic_wide, mine = dashboard_floor(""), dashboard_floor("AND r.practitioner_id = %(practitioner)s")
    feed = reverse("recovery:feed")
    patients = reverse("patients:list")
    return [
        Case("dashboard, manager", manager, reverse("recovery:dashboard"), clinic_wide, everywhere),
        Case("dashboard, practitioner", practitioner, reverse("recovery:dashboard"), mine, own),
        Case(
            "dashboard refresh (htmx)",
            manager,
            reverse("recovery:dashboard"),
            clinic_wide,
            everywhere,
            {"HX-Request": "true"},
        ),
        Case("feed, page 1", manager, feed, clinic_wide[:4], everywhere),
        Case("feed, page 40", manager, f"{feed}?page=40", clinic_wide[:4], {**everywhere, "offset": 975}),
        Case("audit, one year", manager, reverse("audits:index"), AUDIT_FLOOR, {**everywhere, **cluster}),
        Case("zone map", manager, reverse("audits:zones"), ZONE_MAP_FLOOR, everywhere),
        Case("batch page", manager, batch.get_absolute_url(), BATCH_FLOOR, {**everywhere, "batch": batch.pk}),
        Case(
            "patient list",
            manager,
            patients,
            [sql.replace("{search}", "") for sql in PATIENT_LIST_FLOOR],
            everywhere,
        ),
        Case(
            "patient search",
            manager,
            f"{patients}?q=martin",
            [
                sql.replace("{search}", "AND (p.first_name ILIKE %(like)s OR p.last_name ILIKE %(like)s)")
                for sql in PATIENT_LIST_FLOOR
            ],
            {**everywhere, "like": "%martin%"},
        ),
        Case("session list", manager, reverse("treatments:session_list"), SESSION_LIST_FLOOR, everywhere),
        Case("session page", practitioner, session.get_absolute_url(), SESSION_PAGE_FLOOR, {"session": session.pk}),
    ]


@dataclass
class SweepMeasure:
    first_ms: float
    first_told: int
    # Check-ins the first run found missed: every one since the generator's last sweep, a day
    # before the data was made, so the first run is always a catch-up after a pause.
    first_missed: int
    second_ms: float
    second_told: int
    peak_memory_kb: float


def measure_sweep() -> SweepMeasure:
    """Two sweeps in a row, rolled back after, so the data stays as generated for the next run."""
    missed = CheckIn.objects.filter(status=CheckInStatus.MISSED)
    with transaction.atomic():
        missed_before = missed.count()
        tracemalloc.start()
        started = time.perf_counter()
        first = sweep.sweep()
        first_ms = (time.perf_counter() - started) * 1000
        first_missed = missed.count() - missed_before
        started = time.perf_counter()
        second = sweep.sweep()
        second_ms = (time.perf_counter() - started) * 1000
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        transaction.set_rollback(True)
    return SweepMeasure(first_ms, first, first_missed, second_ms, second, peak / 1024)


@dataclass
class ExportMeasure:
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def measure_export(now) -> ExportMeasure:
    clinic = Clinic.objects.order_by("pk").first()
    sessions = exports.sessions_for_export(clinic_ids=[clinic.pk], start=now - timedelta(days=30), end=now)
    started = time.perf_counter()
    rows = sum(1 for _line in csv_safe.lines(exports.sessions_table(sessions).rows))
    return ExportMeasure(rows, time.perf_counter() - started)


def run(
    runs: int = RUNS, *, photos: bool = True, import_sessions: int = bench_import.SCALE, pages_only: bool = False
) -> dict:
    now = timezone.now()
    pages = [measure(case, runs) for case in cases(now)]
    result = {
        "sessions": TreatmentSession.objects.count(),
        "measured_at": now.isoformat(),
        "runs": runs,
        "pages": [{**asdict(m), "ratio": round(m.ratio, 2)} for m in pages],
    }
    if pages_only:
        return result
    export = measure_export(now)
    return {
        **result,
        "sweep": asdict(measure_sweep()),
        "export": {**asdict(export), "rows_per_second": round(export.rows_per_second)},
        "photos": measure_photos() if photos else [],
        "import": asdict(bench_import.measure_import(import_sessions)) if import_sessions else None,
    }


def markdown(result: dict) -> str:
    lines = [
        f"Sessions: {result['sessions']:,} · {result['runs']} runs each · measured {result['measured_at'][:16]}",
        "",
        "| page | page median (ms) | floor median (ms) | ratio | queries |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {p['page']} | {p['page_ms']:.0f} | {p['floor_ms']:.0f} | {p['ratio']:.1f}× | {p['queries']} |"
        for p in result["pages"]
    ]
    if "sweep" not in result:
        return "\n".join(lines)
    s = result["sweep"]
    e = result["export"]
    lines += [
        "",
        f"Sweep: first run {s['first_ms']:.0f} ms ({s['first_missed']} check-ins found missed, "
        f"{s['first_told']} transitions told), "
        f"second run {s['second_ms']:.0f} ms ({s['second_told']} told), peak memory {s['peak_memory_kb']:.0f} KiB.",
        f"Sessions CSV, one month of one clinic: {e['rows']:,} rows, {e['rows_per_second']:,} rows a second.",
        bench_import.markdown(result["import"]) if result.get("import") else "",
        "",
        "| photo post | received | request (ms) | request peak (MB) | worst photo, worker (ms) | its peak (MB) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {p['case']} | {p['photos_received']} | {p['request_ms']:.0f} | {_mb(p['request_peak_mb'])} "
        f"| {p['worst_photo_ms']:.0f} | {_mb(p['worst_photo_peak_mb'])} |"
        for p in result["photos"]
    ]
    return "\n".join(lines)


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"

"""What a photo costs: a patient's photo post (the request) and the worker's processing of each
photo in it (the task), timed and with their peak memory, for the photos phones really send.

Pillow's and libheif's pixels are allocated outside Python, where tracemalloc does not see them:
each case runs in a process of its own, forked from this one, and its peak is the kernel's count of
its resident memory (VmHWM), reset just before what is measured (Linux's /proc/self/clear_refs), less
what it held then. Everything is rolled back after, and the files go to a folder of the case's own.
"""

import multiprocessing
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import pillow_heif
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.test import Client, RequestFactory, override_settings
from django.test.client import ClientHandler
from django.utils import timezone
from PIL import Image

from checkins import services as check_ins
from patients.models import Patient
from photos import uploads as photo_uploads
from photos.models import PhotoUpload, UploadState
from recovery.models import CheckIn, CheckInStatus
from treatments.models import TreatmentSession

pillow_heif.register_heif_opener()

# Made once and kept: a 48 MP HEIC takes half a minute to encode.
INPUTS = Path(settings.BASE_DIR) / "var" / "bench-photos"
SKIN = (214, 160, 140)


def _textured(size, *, grain: int) -> Image.Image:
    """Skin with grain `grain` pixels across, as a camera sees it: it compresses like a photo, to the
    size a phone's file has, not like a flat colour."""
    noise = Image.effect_noise((size[0] // grain, size[1] // grain), 40).convert("RGB").resize(size)
    return Image.blend(Image.new("RGB", size, SKIN), noise, 0.2)


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    make: Callable[[Path], None]
    count: int = 3


CASES = [
    Case(
        "three 50 MP JPEGs (Pixel 8 Pro, 8160 x 6144, 10 MB each)",
        "pixel-50mp.jpg",
        lambda path: _textured((8160, 6144), grain=2).save(path, "JPEG", quality=90),
    ),
    Case(
        "three 48 MP HEICs (iPhone, HEIF Max, 8064 x 6048, 3 MB each)",
        "iphone-48mp.heic",
        lambda path: _textured((8064, 6048), grain=8).save(path, "HEIF", quality=70),
    ),
    Case(
        "three 49 MP PNGs (7000 x 7000, 160 KB each)",
        "flat-49mp.png",
        lambda path: Image.new("RGB", (7000, 7000), SKIN).save(path, "PNG"),
    ),
]


@dataclass
class PhotoMeasure:
    case: str
    photos_received: int
    request_ms: float
    request_peak_mb: float | None
    worst_photo_ms: float
    worst_photo_peak_mb: float | None


def _input(case: Case) -> Path:
    path = INPUTS / case.file
    if not path.exists():
        INPUTS.mkdir(parents=True, exist_ok=True)
        case.make(path.with_name(path.name + ".part"))
        path.with_name(path.name + ".part").rename(path)
    return path


def _memory(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _peak_reset() -> int | None:
    """Start counting the peak from now; what is resident now, or None where Linux cannot say."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return None
    return _memory("VmRSS")


def _peak_since(start: int | None) -> float | None:
    return None if start is None else (_memory("VmHWM") - start) / 1024 / 1024


def _answered_check_in() -> CheckIn:
    session = TreatmentSession.objects.select_related("patient", "clinic").order_by("-performed_at").first()
    Patient.objects.filter(pk=session.patient_id).update(consents_to_photos=True, photo_consent_on=timezone.localdate())
    check_in = CheckIn.objects.create(
        session=session, due_at=timezone.now(), status=CheckInStatus.SENT, sent_at=timezone.now()
    )
    answer = check_ins.check_in_answer(
        check_in=check_in, reactions=[], red_flags_present=[], red_flags_asked=[], wants_call=False, note=""
    )
    check_in.report = answer.report
    return check_in


def _run_case(case: Case, results) -> None:
    """In the forked process: post the photos as the patient's phone does, then process each."""
    try:
        results.put(asdict(_measured(case)))
    except Exception as error:  # Whatever failed, the parent must hear of it rather than wait.
        results.put({"error": f"{case.name}: {error!r}"})


def _measured(case: Case) -> PhotoMeasure:
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    with tempfile.TemporaryDirectory() as folder:
        storages = {**settings.STORAGES, "photos": {**storage, "OPTIONS": {"location": folder}}}
        with override_settings(STORAGES=storages), transaction.atomic():
            check_in = _answered_check_in()
            content = _input(case).read_bytes()
            files = {
                f"photos-photo_{number}": SimpleUploadedFile(case.file, content) for number in range(1, case.count + 1)
            }
            link = check_ins.link_path(check_in)
            Client().get(link)
            # The body is encoded before the peak is reset: what the client holds is not the server's.
            environ = RequestFactory().post(link + "photos/", files).environ
            start = _peak_reset()
            started = time.perf_counter()
            response = ClientHandler()(environ)
            request_ms = (time.perf_counter() - started) * 1000
            request_peak = _peak_since(start)
            if response.status_code != 302:
                raise RuntimeError(f"the photos answered {response.status_code}")
            times, peaks = [], []
            for upload in PhotoUpload.objects.filter(report=check_in.report, state=UploadState.PENDING):
                start = _peak_reset()
                started = time.perf_counter()
                if photo_uploads.upload_process(upload_id=upload.pk) != UploadState.KEPT:
                    raise RuntimeError(f"{upload.name} was not kept")
                times.append((time.perf_counter() - started) * 1000)
                peaks.append(_peak_since(start))
            transaction.set_rollback(True)
    return PhotoMeasure(
        case=case.name,
        photos_received=len(times),
        request_ms=request_ms,
        request_peak_mb=request_peak,
        worst_photo_ms=max(times),
        worst_photo_peak_mb=None if None in peaks else max(peaks),
    )


def measure_photos(cases=CASES, *, fork: bool = True) -> list[dict]:
    """Each case in a process of its own (`fork`), so that one's peak is not another's."""
    measures = []
    for case in cases:
        _input(case)
        if not fork:
            measures.append(asdict(_measured(case)))
            continue
        # The forked process opens its own connection; it must not share this one's.
        connections.close_all()
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        process = context.Process(target=_run_case, args=(case, results))
        process.start()
        measured = results.get(timeout=600)
        process.join()
        if "error" in measured:
            raise RuntimeError(measured["error"])
        measures.append(measured)
    return measures

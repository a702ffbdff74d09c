"""Photos in an S3-compatible bucket, as production keeps them: django-storages against a real S3 API
server on 127.0.0.1 (moto's), written, served through the app, and removed."""

import socket

import boto3
import pytest
from django.urls import reverse

from photos.models import DiscardedFile, Photo

from ..factories import PatientFactory, TreatmentSessionFactory
from ..images import heic, jpeg_with_gps, opened

BUCKET = "clinic-photos"
REGION = "eu-west-2"
CREDENTIALS = {"aws_access_key_id": "photos-test", "aws_secret_access_key": "photos-test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def bucket(settings):
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **CREDENTIALS)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    # What settings.py builds from PHOTO_BUCKET and the PHOTO_S3_* variables.
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": REGION,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "location": "photos",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    yield s3
    server.stop()


@pytest.fixture
def session(harbour, alice):
    patient = PatientFactory(clinic=harbour, consents_to_photos=True)
    return TreatmentSessionFactory(patient=patient, practitioner=alice, areas=["face", "neck"])


def keys(s3) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_photos_are_kept_private_in_the_bucket_served_by_the_app_and_removed_from_it(
    bucket, client_for, alice, mary, session, django_capture_on_commit_callbacks
):
    staff = client_for(alice)
    with django_capture_on_commit_callbacks() as after_commit:
        staff.post(
            reverse("photos:photo_add", args=[session.pk]),
            {
                "photos-photo_1": jpeg_with_gps(),
                "photos-area_1": "face",
                "photos-photo_2": heic(),
                "photos-area_2": "neck",
            },
        )
    # The files as sent, GPS and all, are private too, until they are removed once the photos are kept.
    as_sent = [key for key in keys(bucket) if key.startswith("photos/uploads/")]
    assert len(as_sent) == 2
    for key in as_sent:
        assert [grant["Permission"] for grant in bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]] == [
            "FULL_CONTROL"
        ]
    for removal in after_commit:
        removal()

    photos = list(Photo.objects.order_by("area"))
    assert len(photos) == 2
    stored = keys(bucket)
    assert stored == sorted(f"photos/{name}" for p in photos for name in (p.image_name, p.thumbnail_name))
    for key in stored:
        grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
        assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    kept = bucket.get_object(Bucket=BUCKET, Key=f"photos/{photos[0].image_name}")["Body"].read()
    assert opened(kept).getexif().get_ifd(0x8825) == {}

    response = staff.get(reverse("photos:photo", args=[photos[0].pk]))
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == kept

    with django_capture_on_commit_callbacks(execute=True):
        client_for(mary).post(reverse("photos:photo_delete", args=[photos[0].pk]), {"reason": "Blurred."})

    assert keys(bucket) == sorted(f"photos/{name}" for name in (photos[1].image_name, photos[1].thumbnail_name))
    assert not DiscardedFile.objects.exists()

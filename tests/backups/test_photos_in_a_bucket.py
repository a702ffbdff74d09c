"""Photos kept in an S3-compatible bucket (moto's server on 127.0.0.1): the bucket keeps them, so a backup
leaves them out and says so, and a single machine's backup can be restored into a bucket."""

import json
import uuid

import boto3
import pytest
from django.core.management import call_command

from backups import files

from ..photos.test_photo_storage_s3 import CREDENTIALS, REGION, free_port


@pytest.fixture
def bucket(settings):
    """A bucket of the test's own: moto's server keeps its buckets for the whole process."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint, name = f"http://{host}:{port}", f"backups-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, **CREDENTIALS)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": endpoint,
                "region_name": REGION,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "location": "photos",
                "file_overwrite": False,
            },
        },
    }
    yield s3, name
    server.stop()


def test_a_backup_leaves_photos_in_a_bucket_to_the_bucket_and_says_so(tmp_path, bucket, db):
    call_command("backup", "--dir", str(tmp_path))

    (made,) = tmp_path.iterdir()
    written = json.loads((made / "manifest.json").read_text())
    assert written["storages"]["photos"] == {"kept": "elsewhere", "backend": "S3Storage"}
    assert not any(name.startswith("photos/") for name in written["files"])


def test_a_single_machines_photos_are_restored_into_the_bucket_under_their_own_names(tmp_path, bucket):
    s3, name = bucket
    (tmp_path / "photos" / "ab").mkdir(parents=True)
    (tmp_path / "photos" / "ab" / "ab12cd.jpg").write_bytes(b"a photo's bytes")

    written = files.files_restore(backup=tmp_path, names=["photos/ab/ab12cd.jpg"])

    assert written == 1
    assert [item["Key"] for item in s3.list_objects_v2(Bucket=name)["Contents"]] == ["photos/ab/ab12cd.jpg"]
    assert s3.get_object(Bucket=name, Key="photos/ab/ab12cd.jpg")["Body"].read() == b"a photo's bytes"

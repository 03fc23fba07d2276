"""The report tests' headless Chromium, for replayed captures."""

from tests.distributed.conftest import s3  # noqa: F401 (moto's S3 server, a session fixture)
from tests.test_report import chromium  # noqa: F401 (a session fixture)

"""moto's S3 server answering one request at a time:
``python tests/distributed/serial_moto.py HOST PORT``.

``python -m moto.server`` serves each request in a thread of its own, and moto checks a
conditional write's ``If-None-Match``/``If-Match`` and then stores the object with no lock
between the two, so two runs racing for one site lock could both win, which S3 itself
never allows (a loaded run of the suite saw it once). One request at a time orders
conditional writes as S3 does; without threads werkzeug speaks HTTP/1.0, so each request
has its own connection and no client holds the server.
"""

from __future__ import annotations

import os
import sys

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))  # as moto.server sets it
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, port, app, threaded=False, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()

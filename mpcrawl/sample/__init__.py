"""A bundled, WordPress-shaped sample site so the demo and tests need no network.

``generate`` writes the data files once (deterministically); ``server`` serves them on
127.0.0.1 the way a real WordPress install with *plain* permalinks answers, including its
error bodies and pagination headers.

Attributes are imported lazily so ``python -m mpcrawl.sample.server`` does not import the
server module twice (runpy warns when a package pre-imports the module it runs).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mpcrawl.sample.server import DATA_DIR, PLACEHOLDER_ORIGIN, SampleSite

__all__ = ["DATA_DIR", "PLACEHOLDER_ORIGIN", "SampleSite"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from mpcrawl.sample import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Where the archive lives: a local folder or an object-store URI, via pyarrow.fs.

Layout: ``<table>/site=<site>[/year=<YYYY>]/part-*.parquet``. A table without rows yet
holds only ``<table>/empty.parquet``, an empty file of the whole schema (partition
columns included), so every reader opens it; it goes once the table has a partition.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyarrow import fs as pafs

EMPTY_FILE = "empty.parquet"


def is_part_file(name: str) -> bool:
    """A finished part file (not a temporary one, a metadata file or the placeholder).

    >>> [is_part_file(n) for n in ("part-a-0.parquet", ".part-a-0.parquet.tmp", EMPTY_FILE)]
    [True, False, False]
    """
    return name.endswith(".parquet") and not name.startswith((".", "_")) and name != EMPTY_FILE


@dataclass(frozen=True, slots=True)
class ArchiveLocation:
    """An archive root resolved to a pyarrow filesystem and a path within it."""

    filesystem: pafs.FileSystem
    root: str
    uri: str

    @classmethod
    def parse(cls, uri: str) -> ArchiveLocation:
        """Resolve ``output``, ``/data/archive`` or ``s3://bucket/prefix``."""
        if "://" in uri:
            filesystem, root = pafs.FileSystem.from_uri(uri)
        else:
            from pathlib import Path

            filesystem, root = pafs.LocalFileSystem(), str(Path(uri).resolve())
        return cls(filesystem=filesystem, root=root.rstrip("/"), uri=uri)

    @property
    def is_local(self) -> bool:
        return isinstance(self.filesystem, pafs.LocalFileSystem)

    def path(self, *parts: str) -> str:
        return "/".join([self.root, *parts])

    def files(self, *parts: str) -> list[pafs.FileInfo]:
        """Every file below a folder, or nothing when the folder is absent."""
        selector = pafs.FileSelector(self.path(*parts), recursive=True, allow_not_found=True)
        return [
            info
            for info in self.filesystem.get_file_info(selector)
            if info.type == pafs.FileType.File
        ]

    def entries(self, *parts: str) -> list[pafs.FileInfo]:
        """The files and folders right inside a folder (nothing when it is absent)."""
        selector = pafs.FileSelector(self.path(*parts), allow_not_found=True)
        return list(self.filesystem.get_file_info(selector))

"""Where the archive lives: a local folder or an object-store URI, via pyarrow.fs."""

from __future__ import annotations

from dataclasses import dataclass

from pyarrow import fs as pafs


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

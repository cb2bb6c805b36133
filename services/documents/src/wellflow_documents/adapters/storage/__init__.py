"""The blob stores: a folder on a file system, or an S3-compatible bucket (``BlobStore``)."""

from .filesystem import FileSystemStore
from .s3 import S3Store

__all__ = ["FileSystemStore", "S3Store"]

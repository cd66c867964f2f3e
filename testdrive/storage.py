"""Private files of test drives (licence images, signatures): stored outside MEDIA_ROOT, under
``settings.TESTDRIVE_PRIVATE_ROOT`` (default ``<BASE_DIR>/var/private``), never under a public URL.
They are read only through ``testdrive:licence_image`` / ``testdrive:signature_image``, which check
who asks. The storage is built on first use, so a test may point the setting at a temporary folder.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def private_root() -> Path:
    return Path(getattr(settings, "TESTDRIVE_PRIVATE_ROOT", None) or Path(settings.BASE_DIR) / "var" / "private")


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file system storage with no ``base_url``: ``.url()`` raises, so no template can link a
    private file by accident."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return str(private_root())

    @property
    def location(self):
        return str(private_root().resolve())

    def url(self, name):
        raise ValueError("Private test-drive files have no public URL; use the checking view.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()

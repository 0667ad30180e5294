"""Where evidence files are kept: Django's storage named "evidence" (settings.STORAGES), local
private files by default, an S3-compatible bucket in production (docs/deploy.md). Resolved
lazily and again whenever STORAGES changes, so tests and deployments can point it elsewhere."""

from __future__ import annotations

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _EvidenceStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = storages["evidence"]


_evidence = _EvidenceStorage()


def evidence_storage() -> Storage:
    """The storage evidence files are saved in (a callable, so migrations name it, not its setup)."""
    return _evidence  # type: ignore[return-value]


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs) -> None:
    if setting in ("STORAGES", "EVIDENCE_ROOT"):
        _evidence._wrapped = empty

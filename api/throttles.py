"""Throttling: writes are limited per user (rate "writes"), reads are not throttled."""

from rest_framework.throttling import UserRateThrottle


class WriteRateThrottle(UserRateThrottle):
    """Per-user limit on POST/PATCH/DELETE, kept in the shared cache so it holds across workers."""

    scope = "writes"

    def allow_request(self, request, view) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)

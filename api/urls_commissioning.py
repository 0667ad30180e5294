"""API routes (filled in by its area)."""

urlpatterns: list = []

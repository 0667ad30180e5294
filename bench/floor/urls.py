"""The product's URLs plus the one-INSERT floor endpoint, for bench/returns_api.py only."""

from django.urls import path

from bench.floor.views import BenchInsertView
from config.urls import handler403, handler404
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [path("api/bench/insert/", BenchInsertView.as_view(), name="bench-insert"), *product_urlpatterns]

__all__ = ["handler403", "handler404", "urlpatterns"]

"""The product's URLs plus the benchmarks' floors (bench.floor.views): the one-INSERT endpoint for
bench/returns_api.py and the minimal signed-in page for bench/load.py."""

from django.urls import path

from bench.floor.views import BenchInsertView, bench_page
from config.urls import handler403, handler404
from config.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("api/bench/insert/", BenchInsertView.as_view(), name="bench-insert"),
    path("bench/page/", bench_page, name="bench-page"),
    *product_urlpatterns,
]

__all__ = ["handler403", "handler404", "urlpatterns"]

"""Web pages for PDF funding reviews (under /funding-reviews/)."""

from django.urls import path

from commissioning.reports import views

app_name = "funding-reviews"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("streams/<int:pk>/", views.stream_page, name="stream"),
    path("years/<str:year>/", views.year_page, name="year"),
    path("rounds/<int:pk>/review/", views.review_page, {"kind": "round"}, name="round-review"),
    path("streams/<int:pk>/review/", views.review_page, {"kind": "stream"}, name="stream-review"),
    path("years/<str:year>/review/", views.review_page, {"kind": "year"}, name="year-review"),
    path("generate/", views.generate, name="generate"),
    path("<int:pk>/", views.job_page, name="job"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/download/", views.download, name="download"),
]

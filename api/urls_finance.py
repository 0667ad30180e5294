"""Finance API routes: 360Giving exports."""

from django.urls import path

from api.finance_views import Giving360CsvExport, Giving360Export

urlpatterns = [
    path("export/360giving.json", Giving360Export.as_view(), name="export-360giving"),
    path("export/360giving.csv", Giving360CsvExport.as_view(), name="export-360giving-csv"),
]

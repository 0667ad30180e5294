"""Pages that draw on several apps: home, priorities, indicators, the ward map."""

from django.urls import path

from dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority-detail"),
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("wards/", views.ward_map, name="ward-map"),
    path("wards/<int:pk>/", views.ward_detail, name="ward-detail"),
]

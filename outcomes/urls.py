"""Web pages for setting up the plan: priorities, themes and wards (mounted at /plan/)."""

from django.urls import path

from outcomes import views

urlpatterns = [
    path("", views.framework, name="framework"),
    path("priorities/new/", views.priority_new, name="priority-new"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path("themes/new/", views.theme_new, name="theme-new"),
    path("themes/<int:pk>/edit/", views.theme_edit, name="theme-edit"),
    path("wards/new/", views.ward_new, name="ward-new"),
    path("wards/<int:pk>/edit/", views.ward_edit, name="ward-edit"),
]

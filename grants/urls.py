"""Web pages for the portfolio: dashboard, programmes, priorities."""

from django.urls import path

from grants import views

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority-detail"),
]

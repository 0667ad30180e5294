"""Web pages for review rounds (under /review/)."""

from django.urls import path

from commissioning import views

app_name = "commissioning"
urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("<int:pk>/", views.round_overview, name="round"),
    path("<int:pk>/status/", views.round_transition, name="transition"),
    path("<int:pk>/price-basis/", views.round_price_basis, name="price-basis"),
    path("<int:pk>/close/", views.round_close, name="close"),
    path("<int:pk>/programmes/<int:programme_pk>/", views.score_programme, name="score"),
    path("<int:pk>/programmes/<int:programme_pk>/conflict/", views.declare_conflict, name="conflict"),
    path("<int:pk>/programmes/<int:programme_pk>/decision/", views.record_decision, name="decision"),
]

"""Web pages for calls (under /calls/)."""

from django.urls import path

from . import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("new/", views.call_new, name="new"),
    path("questions/", views.clarification_queue, name="questions"),
    path("<int:pk>/", views.call_detail, name="call"),
    path("<int:pk>/publish/", views.call_publish, name="publish"),
    path("<int:pk>/scheme/", views.call_scheme, name="scheme"),
    path("<int:pk>/questions/", views.clarification_ask, name="ask"),
    path("<int:pk>/questions/<int:question_pk>/answer/", views.clarification_answer, name="answer"),
    path("<int:pk>/bids/new/", views.bid_start, name="bid-start"),
    path("<int:pk>/assessment/", views.assessment, name="assessment"),
    path("<int:pk>/assessment/assessors/", views.assessor_assign, name="assign"),
    path("<int:pk>/assessment/interests/", views.interest_declare, name="declare"),
    path("<int:pk>/award/", views.award_recommend, name="award"),
    path("<int:pk>/conclude/", views.award_conclude, name="conclude"),
    path("bids/<int:pk>/", views.bid_page, name="bid"),
    path("bids/<int:pk>/summary.pdf", views.bid_summary_pdf, name="bid-summary"),
    path("bids/<int:pk>/withdraw/", views.bid_withdraw, name="bid-withdraw"),
    path("bids/<int:pk>/scores/", views.bid_score, name="bid-score"),
    path("bids/<int:pk>/moderation/", views.bid_moderate, name="bid-moderate"),
    path("bids/<int:pk>/exclude/", views.bid_exclude, name="bid-exclude"),
]

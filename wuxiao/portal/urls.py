from django.urls import path

from wuxiao.portal import documents, views

app_name = "portal"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_mark_read"),
    path("profile/", views.profile, name="profile"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    # The applicant's own 申报表 (Word/PDF): wuxiao/portal/documents.py
    path("projects/<int:pk>/form.<str:fmt>", documents.project_form, name="project_form_download"),
]

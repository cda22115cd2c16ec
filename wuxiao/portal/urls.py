from django.urls import path

from wuxiao.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_mark_read"),
    path("profile/", views.profile, name="profile"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]

# Unit workflow (issue 4): the team's work records and result, advisors' comments.
from wuxiao.portal import workrecords  # noqa: E402

urlpatterns += [
    path("work/", workrecords.my_work, name="my_work"),
    path("work/<int:pk>/", workrecords.work, name="work"),
    path("work/<int:pk>/records/<int:record_pk>/comment/", workrecords.comment, name="work_comment"),
    path("work/<int:pk>/result/", workrecords.submit_result, name="work_result"),
]

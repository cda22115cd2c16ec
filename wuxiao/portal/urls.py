from django.urls import path

from wuxiao.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_mark_read"),
    path("inbox/<int:pk>/", views.open_notification, name="open_notification"),
    path("profile/", views.profile, name="profile"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]

from django.urls import path

from wuxiao.console import views

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/active/", views.organisation_set_active, name="organisation_set_active"),
    path("organisations/<int:pk>/headcount/", views.organisation_headcount, name="organisation_headcount"),
    path("organisations/import/", views.import_units, name="import_units"),
    path("organisations/import/template.xlsx", views.import_template, name="import_template"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/", views.invitation_created, name="invitation_created"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/revoke/", views.member_revoke, name="member_revoke"),
    path("audit/", views.audit_log, name="audit_log"),
    path("extensions/", views.extensions, name="extensions"),
]

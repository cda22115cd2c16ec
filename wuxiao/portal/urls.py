from django.urls import path

from wuxiao.portal import apitokens, documents, files, projects, salons, views

app_name = "portal"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("inbox/", views.inbox, name="inbox"),
    # Every uploaded file (附件, 工作记录 files, 盖章), permission-checked: wuxiao/portal/files.py
    path("files/<int:pk>/", files.download, name="file_download"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_mark_read"),
    path("inbox/<int:pk>/", views.open_notification, name="open_notification"),
    path("profile/", views.profile, name="profile"),
    path("profile/api-tokens/", apitokens.api_tokens, name="api_tokens"),
    path("profile/api-tokens/<int:pk>/revoke/", apitokens.api_token_revoke, name="api_token_revoke"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    # 我的项目 (申报)
    path("projects/", projects.project_list, name="projects"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/autosave/", projects.project_autosave, name="project_autosave"),
    path("projects/<int:pk>/route/", projects.project_route, name="project_route"),
    path("projects/<int:pk>/withdraw/", projects.project_withdraw, name="project_withdraw"),
    path("projects/<int:pk>/versions/<int:number>/", projects.project_version, name="project_version"),
    path("projects/<int:pk>/members/add/", projects.member_add, name="project_member_add"),
    path("projects/<int:pk>/members/<int:member_pk>/edit/", projects.member_edit, name="project_member_edit"),
    path("projects/<int:pk>/members/<int:member_pk>/remove/", projects.member_remove, name="project_member_remove"),
    path("projects/<int:pk>/members/<int:member_pk>/account/", projects.member_account, name="project_member_account"),
    path("projects/<int:pk>/attachments/add/", projects.attachment_add, name="project_attachment_add"),
    path(
        "projects/<int:pk>/attachments/<int:attachment_pk>/remove/",
        projects.attachment_remove,
        name="project_attachment_remove",
    ),
]

# Unit workflow (issue 4): the team's work records and result, advisors' comments.
from wuxiao.portal import workrecords  # noqa: E402

urlpatterns += [
    path("work/", workrecords.my_work, name="my_work"),
    path("work/<int:pk>/", workrecords.work, name="work"),
    path("work/<int:pk>/records/<int:record_pk>/comment/", workrecords.comment, name="work_comment"),
    path("work/<int:pk>/result/", workrecords.submit_result, name="work_result"),
    path("work/<int:pk>/evidence/<int:file_pk>/remove/", workrecords.remove_evidence, name="work_evidence_remove"),
    # The applicant's own 申报表 (Word/PDF): wuxiao/portal/documents.py
    path("projects/<int:pk>/form.<str:fmt>", documents.project_form, name="project_form_download"),
    path("projects/<int:pk>/certificate.pdf", documents.certificate, name="project_certificate"),
    path("salons/<int:pk>/signup/", salons.signup, name="salon_signup"),
    path("salons/<int:pk>/cancel/", salons.cancel, name="salon_cancel"),
]

# 评审认定 (issue 11): the expert's assigned projects and score forms, wuxiao/portal/reviews.py
from wuxiao.portal import reviews  # noqa: E402

urlpatterns += [
    path("reviews/", reviews.review_list, name="reviews"),
    path("experts/activate/<str:uidb64>/<str:token>/", reviews.activate, name="expert_activate"),
    path("reviews/<int:pk>/", reviews.review, name="review"),
    path("reviews/<int:pk>/decline/", reviews.decline, name="review_decline"),
    path("reviews/<int:pk>/attachments/<int:number>/", reviews.attachment, name="review_attachment"),
]

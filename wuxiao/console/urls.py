from django.urls import path

from wuxiao.console import awards, documents, oversight, projects, salons, stats, unit, views

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
    # 申报: the unit's submitted projects
    path("projects/", projects.project_list, name="projects"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/return/", projects.project_return, name="project_return"),
]

# Unit workflow (issue 4): directions, 立项管理, 攻关进度, 成果审核, 内部评比, 成果上报, overviews.
urlpatterns += [
    path("unit/", unit.unit_home, name="unit_home"),
    path("unit/<int:unit_id>/directions/", unit.directions, name="unit_directions"),
    path("unit/<int:unit_id>/directions/publish/", unit.directions_publish, name="unit_directions_publish"),
    path("unit/<int:unit_id>/directions/<int:pk>/delete/", unit.direction_delete, name="unit_direction_delete"),
    path("unit/<int:unit_id>/applications/", unit.applications, name="unit_applications"),
    path("unit/<int:unit_id>/projects/<int:pk>/", unit.project_manage, name="unit_project"),
    path("unit/<int:unit_id>/projects/<int:pk>/classify/", unit.classify, name="unit_classify"),
    path("unit/<int:unit_id>/projects/<int:pk>/refuse/", unit.refuse, name="unit_refuse"),
    path("unit/<int:unit_id>/projects/<int:pk>/level/", unit.change_level, name="unit_change_level"),
    path("unit/<int:unit_id>/projects/<int:pk>/resources/", unit.resources, name="unit_resources"),
    path("unit/<int:unit_id>/projects/<int:pk>/advisors/", unit.advisor_add, name="unit_advisor_add"),
    path(
        "unit/<int:unit_id>/projects/<int:pk>/advisors/<int:user_id>/remove/",
        unit.advisor_remove,
        name="unit_advisor_remove",
    ),
    path("unit/<int:unit_id>/projects/<int:pk>/advisors/invite/", unit.advisor_invite, name="unit_advisor_invite"),
    path("unit/<int:unit_id>/progress/", unit.progress, name="unit_progress"),
    path("unit/<int:unit_id>/projects/<int:pk>/urge/", unit.urge, name="unit_urge"),
    path("unit/<int:unit_id>/opinions/", unit.opinions, name="unit_opinions"),
    path("unit/<int:unit_id>/projects/<int:pk>/opinion/", unit.opinion, name="unit_opinion"),
    path("unit/<int:unit_id>/evaluation/", unit.evaluation, name="unit_evaluation"),
    path("unit/<int:unit_id>/projects/<int:pk>/evaluate/", unit.evaluate, name="unit_evaluate"),
    path("unit/<int:unit_id>/forwarding/", unit.forwarding, name="unit_forwarding"),
    path("district/<int:org_id>/", oversight.district_overview, name="district_overview"),
    path("committee/forwarding/", oversight.committee_overview, name="committee_overview"),
    path("committee/projects/<int:pk>/send-back/", oversight.committee_send_back, name="committee_send_back"),
    # Statistics (issue 14): dashboards, their numbers, the campaign report, the 数据大屏.
    path("stats/", stats.stats_home, name="stats_home"),
    path("stats/<int:org_id>/", stats.dashboard, name="stats"),
    path("stats/<int:org_id>/numbers.xlsx", stats.numbers_xlsx, name="stats_xlsx"),
    path("stats/<int:org_id>/report.<str:fmt>", stats.report, name="stats_report"),
    path("stats/<int:org_id>/screen/", stats.screen, name="stats_screen"),
    path("stats/<int:org_id>/screen.json", stats.screen_data, name="stats_screen_data"),
    # Official documents (申报表, 汇总表, 案例集, lists): wuxiao/console/documents.py
    path("documents/", documents.index, name="documents"),
    path("documents/projects/<int:pk>/form.<str:fmt>", documents.project_form, name="documents_project_form"),
    path("documents/summary/<int:organisation_id>.xlsx", documents.summary, name="documents_summary"),
    path("documents/projects.xlsx", documents.project_list, name="documents_project_list"),
    path("documents/progress.xlsx", documents.progress, name="documents_progress"),
    path("documents/booklet/", documents.booklet, name="documents_booklet"),
    path("documents/jobs/<int:pk>/", documents.job, name="documents_job"),
    path("documents/jobs/<int:pk>/download", documents.job_download, name="documents_job_download"),
    path("documents/jobs/<int:pk>/retry", documents.job_retry, name="documents_job_retry"),
]

# 评审认定 (issue 11): wuxiao/console/reviews.py
from wuxiao.console import reviews  # noqa: E402

urlpatterns += [
    path("reviews/", reviews.home, name="reviews"),
    path("reviews/experts/", reviews.experts, name="review_experts"),
    path("reviews/experts/import/", reviews.experts_import, name="review_experts_import"),
    path("reviews/experts/import/template.xlsx", reviews.experts_import_template, name="review_experts_template"),
    path("reviews/experts/<int:user_id>/", reviews.expert_edit, name="review_expert_edit"),
    path("reviews/experts/<int:user_id>/activation/", reviews.expert_activation, name="review_expert_activation"),
    path("reviews/duplicates/", reviews.duplicates, name="review_duplicates"),
    path("reviews/duplicates/scan/", reviews.duplicates_scan, name="review_duplicates_scan"),
    path("reviews/duplicates/<int:flag_pk>/", reviews.duplicate_decide, name="review_duplicate_decide"),
    path("reviews/rounds/<int:pk>/", reviews.round_detail, name="review_round"),
    path("reviews/rounds/<int:pk>/rubric/", reviews.round_rubric, name="review_rubric"),
    path("reviews/rounds/<int:pk>/assign/", reviews.round_assign, name="review_assign"),
    path("reviews/rounds/<int:pk>/assign/manual/", reviews.round_assign_manual, name="review_assign_manual"),
    path(
        "reviews/rounds/<int:pk>/assignments/<int:assignment_pk>/remove/",
        reviews.assignment_remove,
        name="review_assignment_remove",
    ),
    path("reviews/rounds/<int:pk>/urge/", reviews.round_urge, name="review_urge"),
    path("reviews/rounds/<int:pk>/blind-check/", reviews.round_blind_check, name="review_blind_check"),
    path("reviews/rounds/<int:pk>/ranking/", reviews.round_ranking, name="review_ranking"),
    path("reviews/rounds/<int:pk>/projects/<int:project_pk>/opinion/", reviews.project_opinion, name="review_opinion"),
    path("reviews/rounds/<int:pk>/schedule/", reviews.round_schedule, name="review_schedule"),
]

# 奖项 (stage 5's outcome, stage 6): wuxiao/console/awards.py
urlpatterns += [
    path("awards/", awards.results, name="awards_results"),
    path("awards/propose/", awards.propose, name="awards_propose"),
    path("awards/<int:pk>/adjust/", awards.adjust, name="awards_adjust"),
    path("awards/<int:pk>/history/", awards.history, name="awards_history"),
    path("awards/<int:pk>/certificate.pdf", awards.certificate, name="awards_certificate"),
    path("awards/lock/", awards.lock, name="awards_lock"),
    path("awards/certificates/", awards.certificates, name="awards_certificates"),
    path("awards/certificate-design/", awards.certificate_design, name="awards_certificate_design"),
    path("awards/seal/", awards.seal, name="awards_seal"),
    path("awards/export/<str:identifier>", awards.export_sheet, name="awards_export"),
    path("awards/organisations/", awards.organisation_awards, name="organisation_awards"),
    path("awards/organisations/<int:org_id>/", awards.organisation_award, name="organisation_award"),
    path("awards/talents/", awards.talents, name="talents"),
    path("awards/patents/", awards.patents, name="patents"),
    path("awards/patents/<int:pk>/", awards.patent_advance, name="patent_advance"),
    path("awards/publication/", awards.publication, name="publication"),
    path("awards/publication/<int:pk>/", awards.publication_edit, name="publication_edit"),
    path("awards/publication/booklet/", awards.publication_booklet, name="publication_booklet"),
]

# 青年创新沙龙: wuxiao/console/salons.py
urlpatterns += [
    path("salons/", salons.salon_list, name="salons"),
    path("salons/<int:pk>/", salons.salon_detail, name="salon_detail"),
    path("salons/<int:pk>/outcome/", salons.salon_outcome, name="salon_outcome"),
    path("salons/<int:pk>/attendance.xlsx", salons.salon_attendance, name="salon_attendance"),
]

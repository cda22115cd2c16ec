from django.urls import path

from wuxiao.console import documents, views

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.organisations, name="organisations"),
    # Official documents (申报表, 汇总表, 案例集, lists): wuxiao/console/documents.py
    path("documents/", documents.index, name="documents"),
    path("documents/projects/<int:pk>/form.<str:fmt>", documents.project_form, name="documents_project_form"),
    path("documents/summary/<int:organisation_id>.xlsx", documents.summary, name="documents_summary"),
    path("documents/projects.xlsx", documents.project_list, name="documents_project_list"),
    path("documents/progress.xlsx", documents.progress, name="documents_progress"),
    path("documents/booklet/", documents.booklet, name="documents_booklet"),
    path("documents/jobs/<int:pk>/", documents.job, name="documents_job"),
    path("documents/jobs/<int:pk>/download", documents.job_download, name="documents_job_download"),
]

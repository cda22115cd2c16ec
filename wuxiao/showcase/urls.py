from django.urls import path, re_path

from wuxiao.showcase import views

app_name = "showcase"
urlpatterns = [
    path("", views.home, name="home"),
    path("certificates/", views.certificate_check, name="certificate_check"),
    path("certificates/<str:number>/", views.certificate, name="certificate"),
    path("campaigns/<slug:slug>/results/", views.results, name="results"),
    path("campaigns/<slug:slug>/gallery/", views.gallery, name="gallery"),
    re_path(r"^campaigns/(?P<slug>[-\w]+)/booklet\.(?P<fmt>pdf|docx)$", views.booklet, name="booklet"),
    path("showcase/projects/<int:pk>/", views.project, name="project"),
    path("showcase/images/<int:pk>/", views.image, name="image"),
    path("salons/", views.salons, name="salons"),
    path("salons/<int:pk>/", views.salon, name="salon"),
    path("salons/photos/<int:pk>/", views.salon_photo, name="salon_photo"),
]

from django.urls import path

from fazhi.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("password/", views.ChangePasswordView.as_view(), name="password_change"),
    path("cases/<str:case_id>/", views.case_detail, name="case_detail"),
    path("healthz", views.health, name="health"),
]

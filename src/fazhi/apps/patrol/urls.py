from django.urls import path

from fazhi.apps.patrol import views

urlpatterns = [
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/export/", views.warning_export, name="warning_export"),
    path("warnings/acknowledge/", views.warning_bulk_acknowledge, name="warning_bulk_acknowledge"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:pk>/<slug:action>/", views.warning_act, name="warning_act"),
    path("rates/", views.rates, name="rates"),
    path("rates/<slug:figure>/", views.rates_drilldown, name="rates_drilldown"),
]

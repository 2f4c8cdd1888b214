from django.urls import path

from fazhi.apps.assessment import crowding_views, input_views, talent_views, views

urlpatterns = [
    path("assessment/", views.ranking_page, name="assessment_ranking"),
    path("assessment/recompute/", views.ranking_recompute, name="assessment_recompute"),
    path("assessment/export/", views.ranking_export, name="assessment_ranking_export"),
    path("assessment/people/<str:person_id>/", views.person_file, name="assessment_person_file"),
    path("assessment/schemes/", views.scheme_list, name="assessment_scheme_list"),
    path(
        "assessment/schemes/<str:code>/<str:version>/",
        views.scheme_detail,
        name="assessment_scheme_detail",
    ),
    path("assessment/inspections/", views.inspection_new, name="assessment_inspection_new"),
    path(
        "assessment/entries/<int:entry_id>/appeal/",
        views.appeal_file,
        name="assessment_appeal_file",
    ),
    path("assessment/appeals/", views.appeal_list, name="assessment_appeal_list"),
    path(
        "assessment/appeals/<int:appeal_id>/decide/",
        views.appeal_decide,
        name="assessment_appeal_decide",
    ),
    path("assessment/whatif/", views.whatif_page, name="assessment_whatif"),
    path("assessment/inputs/", input_views.inputs_page, name="assessment_inputs"),
    path(
        "assessment/inputs/templates/<str:kind>/",
        input_views.input_template,
        name="assessment_input_template",
    ),
    path("assessment/inputs/<str:kind>/", input_views.input_entry, name="assessment_input_entry"),
    path("assessment/talent/", talent_views.talent_page, name="assessment_talent"),
    path("assessment/talent/export/", talent_views.talent_export, name="assessment_talent_export"),
    path("assessment/crowding/", crowding_views.crowding_list, name="assessment_crowding"),
    path(
        "assessment/crowding/<int:figure_id>/",
        crowding_views.crowding_detail,
        name="assessment_crowding_detail",
    ),
]

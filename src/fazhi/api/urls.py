from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from fazhi.api import assessment_inputs, cases, me, rates, records, subjects, warnings

urlpatterns = [
    path("me/", me.Me.as_view(), name="api-me"),
    path("cases/", cases.CaseList.as_view(), name="api-cases"),
    path("cases/<str:case_id>/", cases.CaseDetail.as_view(), name="api-case"),
    path(
        "subjects/<str:subject_id>/reveal/",
        subjects.SubjectReveal.as_view(),
        name="api-subject-reveal",
    ),
    path("records/", records.RecordsImport.as_view(), name="api-records"),
    path("warnings/", warnings.WarningList.as_view(), name="api-warnings"),
    path("warnings/<int:pk>/", warnings.WarningDetail.as_view(), name="api-warning"),
    path("warnings/<int:pk>/acknowledge/", warnings.Acknowledge.as_view()),
    path("warnings/<int:pk>/note/", warnings.Note.as_view()),
    path("warnings/<int:pk>/request-exception/", warnings.RequestException.as_view()),
    path("warnings/<int:pk>/decide-exception/", warnings.DecideException.as_view()),
    path("warnings/<int:pk>/resolve/", warnings.Resolve.as_view()),
    path("rates/", rates.Rates.as_view(), name="api-rates"),
    path(
        "assessment/inputs/",
        assessment_inputs.AssessmentInputs.as_view(),
        name="api-assessment-inputs",
    ),
    path("schema", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

from django.urls import include, path

from fazhi.web.views import (
    audit,
    auth,
    calendar,
    cases,
    home,
    imports,
    people,
    reference,
    system,
    users,
)

# One list: each part of the product appends its own routes.
urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.SignInView.as_view(), name="login"),
    path("logout/", auth.SignOutView.as_view(), name="logout"),
    path("password/", auth.ChangePasswordView.as_view(), name="password_change"),
    path("healthz", auth.health, name="health"),
    # 案件
    path("cases/", cases.case_list, name="case_list"),
    path("cases/<str:case_id>/", cases.case_detail, name="case_detail"),
    path(
        "cases/<str:case_id>/subjects/<str:subject_id>/reveal/",
        cases.subject_reveal,
        name="subject_reveal",
    ),
    # 人员
    path("people/", people.person_list, name="person_list"),
    path("people/<str:person_id>/", people.person_detail, name="person_detail"),
    # 数据导入
    path("imports/", imports.import_list, name="import_list"),
    path("imports/<int:batch_id>/", imports.import_batch, name="import_batch"),
    path("imports/templates/<str:kind>/", imports.import_template, name="import_template"),
    # 审计
    path("audit/", audit.audit_log, name="audit_log"),
    path("audit/verify/", audit.audit_verify, name="audit_verify"),
    path("audit/<int:seq>/", audit.audit_entry, name="audit_entry"),
    # 系统管理
    path("system/", system.system_index, name="system_index"),
    path("system/users/", users.user_list, name="user_list"),
    path("system/users/<int:user_id>/", users.user_detail, name="user_detail"),
    path("system/users/<int:user_id>/grant/", users.user_grant, name="user_grant"),
    path(
        "system/users/<int:user_id>/grants/<int:grant_id>/revoke/",
        users.user_revoke,
        name="user_revoke",
    ),
    path("system/users/<int:user_id>/person/", users.user_link, name="user_link"),
    path("system/catalogue/", reference.catalogue_list, name="catalogue_list"),
    path("system/catalogue/<str:key>/", reference.control_point, name="control_point"),
    path("system/law/", reference.law_list, name="law_list"),
    path("system/law/<slug:slug>/", reference.law_text, name="law_text"),
    path("system/holidays/", calendar.holidays, name="holidays"),
    path("system/standards/", calendar.standards, name="standards"),
    path("api/", include("fazhi.api.urls")),
    # 风险预警, rates and 三清
    path("", include("fazhi.apps.patrol.urls")),
    # 积分考评
    path("", include("fazhi.apps.assessment.urls")),
]

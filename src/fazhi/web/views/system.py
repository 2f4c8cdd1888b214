"""系统管理: the index of the administration pages the user may open."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from fazhi.web.access import Page, may_use


@login_required
def system_index(request: HttpRequest) -> HttpResponse:
    sections = []
    if may_use(request, Page.ACCOUNTS):
        sections.append(
            ("用户与授权", reverse("user_list"), "创建账号、授予或撤销单位角色、关联人员。")
        )
    sections += [
        ("风险控制点目录", reverse("catalogue_list"), "各领域控制点的法律依据、原文、期限与示例。"),
        ("法律文本", reverse("law_list"), "控制点引用的法律、规章全文。"),
        ("节假日", reverse("holidays"), "法定节假日、调休上班日及本局调整。"),
        ("“立即/及时”时限", reverse("standards"), "内部标准控制点的本局时限。"),
    ]
    if may_use(request, Page.IMPORTS):
        sections.append(
            ("数据导入", reverse("import_list"), "上传 CEIF 文件、下载模板、查看批次。")
        )
    return render(request, "fazhi/system/index.html", {"sections": sections})

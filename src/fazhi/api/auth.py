"""Bearer-token authentication for machine clients (`Authorization: Bearer fz_…`)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from fazhi.api.tokens import user_for_key


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):  # type: ignore[no-untyped-def]
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1") != self.keyword:
            return None  # not ours: the session may still authenticate the request
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("令牌格式不正确，应为“Bearer 令牌”。")
        user = user_for_key(parts[1].decode("latin-1"))
        if user is None:
            raise exceptions.AuthenticationFailed("令牌无效或已吊销。")
        return user, None

    def authenticate_header(self, request):  # type: ignore[no-untyped-def]
        # Makes an anonymous request a 401 with a challenge rather than a bare 403.
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerToken"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "由 `fazhi token create 用户名` 生成的接口令牌",
        }

"""The server-rendered pages, one module per section of the navigation.

Every read of business data starts from `fazhi.apps.accounts.scope`; every page view carries
`fazhi.web.access.page_for` (or `login_required` for the pages every signed-in user reads).
"""

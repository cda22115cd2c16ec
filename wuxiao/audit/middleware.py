from wuxiao.audit.services import request_ip
from wuxiao.lib.http import client_ip


class AuditContextMiddleware:
    """Remembers the client address of the current request for audit entries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            request_ip.reset(token)

"""HEAD on the API answers like GET (monitors and link checkers use HEAD; the site's pages
accept it through require_safe). django-ninja routes a `@router.get` operation for GET only
and answers HEAD with 405; declaring HEAD on each operation would put a second, duplicate
operation per path into the OpenAPI schema. So a HEAD to /api/ runs as the GET it stands
for, with the same authentication, permission checks and throttling; the body is dropped,
as the server drops it for every HEAD."""


def api_head_as_get(get_response):
    def middleware(request):
        if request.method != "HEAD" or not request.path.startswith("/api/"):
            return get_response(request)
        request.method = "GET"
        try:
            response = get_response(request)
        finally:
            request.method = "HEAD"
        if not getattr(response, "streaming", False):
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response

    return middleware

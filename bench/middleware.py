"""The benchmark's query counter."""

from django.db import connections


class QueryCountMiddleware:
    """Adds X-Query-Count, the number of SQL queries the request ran (benchmark only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response

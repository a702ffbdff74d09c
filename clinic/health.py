"""The /health/ page: django-health-check's view, with each check's database connection closed when it ends.

The view runs synchronous checks in threads of its own; Django closes a connection at the end of a
request only in the request's thread. Left to the garbage collector, the connections the checks
opened piled up under a load balancer's polling until PostgreSQL refused new clients.
"""

from concurrent.futures import ThreadPoolExecutor

from django.db import connections
from health_check.views import HealthCheckView


class ConnectionClosingExecutor(ThreadPoolExecutor):
    def submit(self, fn, /, *args, **kwargs):
        def run_then_close(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            finally:
                connections.close_all()

        return super().submit(run_then_close, *args, **kwargs)


class ClosingHealthCheckView(HealthCheckView):
    def get_executor(self):
        return ConnectionClosingExecutor(max_workers=4)

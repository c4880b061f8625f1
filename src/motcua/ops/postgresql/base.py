"""Django's PostgreSQL backend, with a cheaper check of a reused connection.

With CONN_HEALTH_CHECKS, Django asks the server `SELECT 1` before the first query of every request that
reuses a persistent connection: a round trip that was a third of the tracking look-up's database time.
An idle connection has nothing to read unless the server sent something (a notice, or the end of the
connection when PostgreSQL restarts or ended the session), so the socket is polled first, without
waiting; only when something arrived is the server asked, as Django does.
"""

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresDatabaseWrapper


class DatabaseWrapper(PostgresDatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        try:
            readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return super().is_usable() if readable else True

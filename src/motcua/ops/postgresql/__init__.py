"""PostgreSQL with a health check that costs no round trip (settings select it as the database ENGINE)."""

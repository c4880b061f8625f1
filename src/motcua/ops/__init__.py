"""Running the system in production: request ids, JSON logs without personal data, health and readiness
probes, Prometheus metrics, and the HTTP security headers."""

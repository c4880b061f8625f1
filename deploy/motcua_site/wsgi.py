"""WSGI entry point behind nginx.

nginx passes the client's address in X-Real-IP (set from its own $remote_addr, so a client cannot
choose it). The site reads the client's address from REMOTE_ADDR (look-up limits, sign-in records,
/metrics for loopback only), so it is put there, but only when the request comes from a trusted proxy
(MOTCUA_TRUSTED_PROXIES, comma-separated; 127.0.0.1 by default).
"""

import ipaddress
import os

from django.core.wsgi import get_wsgi_application

from motcua.ops.startup import started

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua_site.settings")

TRUSTED_PROXIES = {a.strip() for a in os.environ.get("MOTCUA_TRUSTED_PROXIES", "127.0.0.1").split(",") if a.strip()}
_site = started(get_wsgi_application())
# granian copies the server's whole environment into every request's environ (Django's request.META):
# SECRET_KEY and the URLs with passwords would sit beside the headers, where an error report could show
# them, and a variable such as HTTP_PROXY would pass for a header the client sent. They are taken out.
_SERVER_ENVIRONMENT = dict(os.environ)


def application(environ, start_response):
    for key, value in _SERVER_ENVIRONMENT.items():
        if environ.get(key) == value:
            del environ[key]
    if environ.get("REMOTE_ADDR") in TRUSTED_PROXIES:
        real = environ.get("HTTP_X_REAL_IP", "").strip()
        if real:
            try:
                environ["REMOTE_ADDR"] = str(ipaddress.ip_address(real))
            except ValueError:
                pass  # a malformed header changes nothing: the proxy's address stays
    return _site(environ, start_response)

import os

from django.core.wsgi import get_wsgi_application

from motcua.ops.startup import started

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = started(get_wsgi_application())

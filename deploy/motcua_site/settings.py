"""Settings of a deployment made by deploy/up: the project's settings (everything from the environment),
plus hashed static file names, so that nginx can let browsers keep them for a year, and files closed to
other local accounts.

Kept out of motcua/settings.py on purpose: ManifestStaticFilesStorage needs `collectstatic` before any
page renders, which the test suite and `make run` do not do.
"""

import os
from pathlib import Path

from motcua.settings import *  # noqa: F403

STORAGES = {
    # Uploads: files under MEDIA_ROOT, a directory every web server and worker shares.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # css/portal.css → css/portal.4f3a…c1.css, references inside CSS rewritten; nginx serves them.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# collectstatic's files, public, outside var/ (which holds var/outbox.log and is closed to other accounts):
# nginx's workers read them.
if os.environ.get("MOTCUA_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["MOTCUA_STATIC_ROOT"])

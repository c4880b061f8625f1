"""Download links that expire (issue 8): a signed, timed token bound to the file and the person.

A link copied out of a page (into a chat, a browser history, a proxy log) stops working after
MOTCUA_DOWNLOAD_LINK_SECONDS and never works for another account; the view still checks that the person
may see the dossier at the time of the download.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "motcua.documents.download"


def token_for(user, document) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{document.pk}:{user.pk}")


def url_for(user, document) -> str:
    return f"{reverse('documents:download', kwargs={'code': document.dossier.code, 'pk': document.pk})}?h={token_for(user, document)}"


def check(token: str, user, document) -> str | None:
    """None when the token is this person's, for this file, and fresh; else why not (Vietnamese)."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token or "", max_age=settings.MOTCUA_DOWNLOAD_LINK_SECONDS)
    except signing.SignatureExpired:
        return "Liên kết tải tệp đã hết hạn; hãy mở lại trang hồ sơ để lấy liên kết mới."
    except signing.BadSignature:
        return "Liên kết tải tệp không hợp lệ; hãy mở lại trang hồ sơ và bấm vào tên tệp."
    if value != f"{document.pk}:{user.pk}":
        return "Liên kết tải tệp này được cấp cho người khác hoặc tệp khác; hãy mở trang hồ sơ của chính mình."
    return None

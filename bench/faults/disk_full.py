"""Drill: the disk for uploads is full. A clear message for the officer, nothing corrupted.

    deploy/exec .venv/bin/python bench/faults/disk_full.py

Mounts a 1 MB tmpfs (needs root) as MEDIA_ROOT for this process, signs a one-stop officer in (Django's
test client, in-process: the same views, settings and database as the deployment) and attaches PDF scans of
600 KB to a dossier at the desk (/mot-cua/ho-so/<code>/tai-len/) until the disk is full. PASS when the
upload that does not fit is refused with a 4xx/5xx page that says the storage is full, no partial file is
left, no Document row points at a missing or truncated file, the files stored before are intact (size and
SHA-256 as recorded), and an upload works again once there is room.
"""

import argparse
import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

from drill import deployment_or_skip, setup, verdict


def pdf(size: int, seed: int) -> bytes:
    head = b"%PDF-1.4\n% motcua disk-full drill\n"
    filler = hashlib.sha256(str(seed).encode()).hexdigest().encode() * (size // 64 + 1)
    return head + filler[: size - len(head) - 6] + b"\n%%EOF"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="the same drill (seconds); skipped without a deployment "
                                                            "or without root (it mounts a tmpfs)")
    args = parser.parse_args()
    deployment_or_skip(args.tiny)
    if args.tiny and os.geteuid() != 0:
        print("skipped: mounting the tmpfs needs root")
        return
    mount = Path(tempfile.mkdtemp(prefix="motcua-full-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=True)
    try:
        setup()
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client, override_settings

        from motcua.documents.models import Document
        from motcua.dossiers.models import Dossier, State
        from motcua.org.models import RoleAssignment

        pairs = ((d, ra.user) for d in Dossier.objects.filter(state__in=[State.SUBMITTED, State.RECEIVED]).order_by("-pk")[:50]
                 for ra in RoleAssignment.objects.filter(role="one_stop_officer", agency=d.receiving_agency, user__is_system=False)[:1])
        dossier, officer = next(pairs)
        client = Client(raise_request_exception=False)
        client.force_login(officer)
        url = f"/mot-cua/ho-so/{dossier.code}/tai-len/"
        comp = dossier.components.order_by("pk").values_list("pk", flat=True).first()
        answers = []
        with override_settings(MEDIA_ROOT=str(mount), ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            before = Document.objects.filter(dossier=dossier).count()
            for i in range(3):
                upload = SimpleUploadedFile(f"scan-{i}.pdf", pdf(600 * 1024, i), content_type="application/pdf")
                response = client.post(url, {"kind": "component", "component": comp, "file": upload})
                text = response.content.decode(errors="replace")
                answers.append((response.status_code, text))
                if response.status_code >= 400:
                    break
            rows = list(Document.objects.filter(dossier=dossier).order_by("pk"))[before:]
            broken = []
            for doc in rows:
                path = mount / doc.file.name
                if not path.exists() or path.stat().st_size != doc.size or hashlib.sha256(path.read_bytes()).hexdigest() != doc.sha256:
                    broken.append(doc.file.name)
            on_disk = [p for p in mount.rglob("*") if p.is_file()]
            stored_names = {doc.file.name for doc in rows}
            orphans = [str(p.relative_to(mount)) for p in on_disk if str(p.relative_to(mount)) not in stored_names]
            for p in orphans:  # make room, as an operator would after the alert
                (mount / p).unlink()
            for doc in rows:
                (mount / doc.file.name).unlink()
            retry = client.post(url, {"kind": "component", "component": comp, "file": SimpleUploadedFile("again.pdf", pdf(100 * 1024, 9),
                                                                                  content_type="application/pdf")})
        refused = answers[-1]
        import re

        message = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", refused[1]))
        # The sentence that says the storage is full (the menu has "Xin lỗi, hẹn lại": no looser words).
        says_full = re.findall(r"[^.]{0,40}(?:dung lượng|ổ đĩa|đầy)[^.]*\.", message, re.I)
        hint = says_full[0] if says_full else message[:200]
        lines = [f"1 MB tmpfs at {mount}; uploads of 600 KB: answers {[a[0] for a in answers]}",
                 f"the page of the refused upload says: “{hint.strip()[:240]}”",
                 f"Document rows written: {len(rows)}, of which pointing at a missing or altered file: {len(broken)}",
                 f"files left on the disk with no row (partial writes): {len(orphans)} {orphans[:3]}",
                 f"after making room, an upload answers {retry.status_code}"]
        ok = (refused[0] >= 400 and bool(says_full) and not broken and not orphans and retry.status_code in (200, 302)
              and len(answers) > 1)
        verdict("uploads to a full disk", ok, lines)
    finally:
        subprocess.run(["umount", str(mount)], check=False)
        os.rmdir(mount)


if __name__ == "__main__":
    main()

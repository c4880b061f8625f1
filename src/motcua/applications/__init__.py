"""Online applications (nộp hồ sơ trực tuyến): drafts kept on the server, resumable uploads into them, and the idempotent submission that turns a draft into a dossier."""

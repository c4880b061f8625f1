"""Uploaded files of a dossier (giấy tờ, bản quét): storage outside static paths, content checks,
digitisation flags, access-checked downloads."""

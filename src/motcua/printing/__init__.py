"""The official forms (biểu mẫu) 01–07 as PDF documents with QR codes."""

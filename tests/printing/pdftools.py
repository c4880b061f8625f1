"""Read the PDFs the way a person or a scanner does: poppler's text, a 150 dpi raster, zbar's QR decoder."""

import subprocess
import tempfile
from pathlib import Path


def _with_file(pdf: bytes, run):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        return run(path, Path(tmp))


def text(pdf: bytes, *, layout: bool = True) -> str:
    """pdftotext -layout: the page as laid out, table columns side by side; without layout: block by block."""
    args = ["pdftotext", *(["-layout"] if layout else []), "{path}", "-"]
    return _with_file(
        pdf,
        lambda p, _: subprocess.run([a.format(path=p) for a in args], check=True, capture_output=True).stdout.decode(),
    )


def flat(pdf: bytes) -> str:
    """The text block by block (a table cell stays together) with every run of white space made one space,
    for phrases that wrap inside a cell or a heading."""
    return " ".join(text(pdf, layout=False).split())


def fonts(pdf: bytes) -> str:
    return _with_file(pdf, lambda p, _: subprocess.run(["pdffonts", str(p)], check=True, capture_output=True).stdout.decode())


def pages(pdf: bytes) -> int:
    info = _with_file(pdf, lambda p, _: subprocess.run(["pdfinfo", str(p)], check=True, capture_output=True).stdout.decode())
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def qr_codes(pdf: bytes) -> list[str]:
    """Rasterise page 1 at 150 dpi and decode every QR code on it."""

    def run(path, tmp):
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", str(path), str(tmp / "page")], check=True)
        out = subprocess.run(["zbarimg", "--raw", "-q", str(tmp / "page.png")], capture_output=True)
        return [line for line in out.stdout.decode().splitlines() if line]

    return _with_file(pdf, run)

"""Charts drawn on the server as SVG markup: no JavaScript, readable on a 360 px wide phone.

Pure functions: data in, an <svg> string out. Each chart carries a <title> and a <desc> (named by
aria-labelledby) for screen readers, a visible heading, axis labels in Vietnamese, and a <title> on every
bar and point giving its exact value. Bars and points also carry data-value, the number they stand for.
A chart with nothing to show says "Không có số liệu" instead.
"""

import math
from html import escape

from django.utils.translation import gettext as _

WIDTH = 360
FONT = "font-family=\"Liberation Sans, Arial, sans-serif\""
COLOURS = ("#0b4f9c", "#2e7d32", "#b35900")
BELOW = "#a51c1c"
GRID = "#dddddd"
INK = "#1b1b1b"


def number(value) -> str:
    """12345 → '12.345'; 62.5 → '62,5' (Vietnamese separators)."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def ticks(peak: float, maximum=None) -> list:
    """Round values for an axis from 0 to at least `peak` (or exactly to `maximum`): steps of 1, 2 or 5
    × 10^k, whole numbers for counts, four steps for a fixed maximum such as 100 %."""
    if maximum:
        return [maximum * k / 4 if maximum % 4 else maximum // 4 * k for k in range(5)]
    peak = max(peak, 1)
    power = 10 ** max(0, math.floor(math.log10(peak / 4))) if peak >= 4 else 1
    step = next(s * power for s in (1, 2, 5, 10) if s * power * 4 >= peak)
    return [step * k for k in range(math.ceil(peak / step) + 1)]


def _shorten(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(ident: str, title: str, subtitle: str, desc: str, height: int, body: list[str]) -> str:
    """The frame: accessible name and description, a visible heading and subtitle (e.g. the period)."""
    ident = escape(ident)
    full = f"{title}, {subtitle}" if subtitle else title
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" style="max-width:{WIDTH * 2}px" role="img" aria-labelledby="{ident}-t {ident}-d" {FONT}>'
        f'<title id="{ident}-t">{escape(full)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        f'<text class="heading" x="8" y="18" font-size="14" font-weight="bold" fill="{INK}">{escape(_shorten(title, 46))}</text>'
        f'<text class="subtitle" x="8" y="34" font-size="12" fill="#555555">{escape(_shorten(subtitle, 56))}</text>'
        + "".join(body) + "</svg>"
    )


TOP = 40  # below the heading and subtitle


def empty(ident: str, title: str, subtitle: str = "") -> str:
    """A chart frame saying there is nothing to draw."""
    message = _("Không có số liệu")
    body = [
        f'<rect x="8" y="{TOP + 4}" width="{WIDTH - 16}" height="60" fill="none" stroke="{GRID}"/>',
        f'<text class="empty" x="{WIDTH // 2}" y="{TOP + 39}" font-size="13" text-anchor="middle" fill="#666666">'
        f'{escape(message)}</text>',
    ]
    return _svg(ident, title, subtitle, _("Không có số liệu trong kỳ."), TOP + 76, body)


def _axis_number(value) -> str:
    return number(int(value) if float(value).is_integer() else round(value, 1))


def line_chart(ident: str, title: str, subtitle: str, labels: list[str], series: list[tuple[str, list]], *,
               x_caption: str, y_caption: str) -> str:
    """One line per series over the same x labels (e.g. received and finished per week).

    `series` is [(name, values)], values as counts; the y axis runs from 0 to a round top."""
    if not labels or not any(v for _name, values in series for v in values):
        return empty(ident, title, subtitle)
    left, right, top, bottom = 40, WIDTH - 12, TOP + 36, TOP + 176
    axis = ticks(max(v for _name, values in series for v in values))
    scale = (bottom - top) / axis[-1]
    step = (right - left) / max(1, len(labels) - 1)
    xs = [left + i * step if len(labels) > 1 else (left + right) / 2 for i in range(len(labels))]
    body = []
    x = 8
    for i, (name, _values) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        dash = ' stroke-dasharray="5 3"' if i else ""
        body.append(f'<line x1="{x}" y1="{TOP + 8}" x2="{x + 18}" y2="{TOP + 8}" stroke="{colour}" stroke-width="3"{dash}/>')
        body.append(f'<text class="legend" x="{x + 22}" y="{TOP + 12}" font-size="12" fill="{INK}">{escape(name)}</text>')
        x += 34 + 7 * len(name)
    body.append(f'<text class="axis caption" x="8" y="{top - 8}" font-size="11" fill="#555555">{escape(y_caption)}</text>')
    for value in axis:
        y = bottom - value * scale
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(f'<text class="axis y" x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
                    f'fill="{INK}">{_axis_number(value)}</text>')
    # X labels: at most six, evenly spread, always the first and the last.
    shown = sorted({round(i * (len(labels) - 1) / 5) for i in range(6)}) if len(labels) > 6 else range(len(labels))
    for i in shown:
        anchor = "middle"
        if len(labels) > 1 and i == 0:
            anchor = "start"
        elif len(labels) > 1 and i == len(labels) - 1:
            anchor = "end"
        body.append(f'<text class="axis x" x="{xs[i]:.1f}" y="{bottom + 16}" font-size="11" text-anchor="{anchor}" '
                    f'fill="{INK}">{escape(labels[i])}</text>')
    body.append(f'<text class="axis caption" x="{(left + right) / 2:.1f}" y="{bottom + 34}" font-size="11" '
                f'text-anchor="middle" fill="#555555">{escape(x_caption)}</text>')
    for i, (name, values) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        dash = ' stroke-dasharray="5 3"' if i else ""
        points = [(xs[j], bottom - v * scale) for j, v in enumerate(values)]
        body.append(f'<polyline class="line s{i}" fill="none" stroke="{colour}" stroke-width="2"{dash} '
                    f'points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in points)}"/>')
        for j, (px, py) in enumerate(points):
            body.append(f'<circle class="point s{i}" data-value="{values[j]}" cx="{px:.1f}" cy="{py:.1f}" r="3" '
                        f'fill="{colour}"><title>{escape(name)}, {escape(labels[j])}: {number(values[j])}</title></circle>')
    desc = "; ".join(
        f"{name}: " + ", ".join(f"{label} {number(v)}" for label, v in zip(labels, values, strict=True))
        for name, values in series
    )
    return _svg(ident, title, subtitle, desc, bottom + 44, body)


def bar_chart(ident: str, title: str, subtitle: str, rows: list[tuple], *, unit: str = "", maximum=None,
              value_caption: str = "", target_caption: str = "") -> str:
    """Horizontal bars, one per row: [(label, value)] or [(label, value, target)]. The label sits above
    its bar so long unit names stay readable on a phone. With a target, a dark mark shows it, and a bar
    below its target is drawn red and says so in its title. `maximum` fixes the scale (100 for rates)."""
    rows = [r for r in rows if r[1] is not None]
    if not rows:
        return empty(ident, title, subtitle)
    left, right, pitch = 8, WIDTH - 64, 36
    top = TOP + 20
    axis = ticks(max(r[1] for r in rows), maximum)
    scale = (right - left) / axis[-1]
    suffix = f" {unit}" if unit else ""
    legend, bars, grid = [], [], []
    if value_caption:
        legend.append(f'<rect x="8" y="{TOP + 4}" width="12" height="10" fill="{COLOURS[0]}"/>'
                      f'<text class="legend" x="24" y="{TOP + 13}" font-size="12" fill="{INK}">{escape(value_caption)}</text>')
    if target_caption:
        x = 36 + 7 * len(value_caption)
        legend.append(f'<line x1="{x}" y1="{TOP + 2}" x2="{x}" y2="{TOP + 16}" stroke="{INK}" stroke-width="2"/>'
                      f'<text class="legend" x="{x + 6}" y="{TOP + 13}" font-size="12" fill="{INK}">{escape(target_caption)}</text>')
    y = top
    for row in rows:
        label, value = row[0], row[1]
        target = row[2] if len(row) > 2 else None
        below = target is not None and value < target
        width = min(value, axis[-1]) * scale
        note = ""
        if target is not None:
            note = " — " + (_("dưới chỉ tiêu %(target)s") if below else _("đạt chỉ tiêu %(target)s")) % {
                "target": number(target) + suffix}
        bars.append(f'<text class="label" x="{left}" y="{y + 12}" font-size="12" fill="{INK}">{escape(_shorten(label))}</text>')
        bars.append(f'<rect class="bar{" below" if below else ""}" data-value="{value}" x="{left}" y="{y + 16}" '
                    f'width="{width:.1f}" height="14" fill="{BELOW if below else COLOURS[0]}"><title>{escape(label)}: '
                    f'{number(value)}{suffix}{escape(note)}</title></rect>')
        bars.append(f'<text class="value" x="{left + width + 4:.1f}" y="{y + 27}" font-size="12" fill="{INK}">'
                    f'{number(value)}{escape(suffix)}</text>')
        if target is not None:
            tx = left + min(target, axis[-1]) * scale
            bars.append(f'<line class="target" data-value="{target}" x1="{tx:.1f}" y1="{y + 13}" x2="{tx:.1f}" '
                        f'y2="{y + 33}" stroke="{INK}" stroke-width="2"/>')
        y += pitch
    for value in axis:
        x = left + value * scale
        grid.append(f'<line x1="{x:.1f}" y1="{top + 14}" x2="{x:.1f}" y2="{y + 2}" stroke="{GRID}" stroke-dasharray="2 2"/>')
        grid.append(f'<text class="axis x" x="{x:.1f}" y="{y + 16}" font-size="11" '
                    f'text-anchor="{"start" if value == 0 else "middle"}" fill="{INK}">{_axis_number(value)}</text>')
    desc = "; ".join(
        f"{r[0]}: {number(r[1])}{suffix}"
        + (f" ({_('chỉ tiêu')} {number(r[2])}{suffix})" if len(r) > 2 and r[2] is not None else "")
        for r in rows
    )
    return _svg(ident, title, subtitle, desc, y + 26, legend + grid + bars)

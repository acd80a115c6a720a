"""A small bar chart of absences by month, drawn as SVG for the case report."""
from markupsafe import Markup, escape

SERIES = (("unexcused", "#a4161a"), ("excused", "#6b8fd6"), ("tardy", "#d9a21b"))
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 480, 150, 28, 22, 10


def monthly_svg(months):
    """Stacked bars, one per month; months is a list of dicts with "label"
    and a count per SERIES name. Returns safe SVG markup."""
    if not months:
        return Markup("")
    peak = max(max(sum(m[name] for name, _ in SERIES) for m in months), 1)
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / len(months)
    bar = min(slot * 0.6, 36)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="Absences by month">',
             f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - BOTTOM}" stroke="#555"/>',
             f'<text x="{LEFT - 4}" y="{TOP + 4}" font-size="8" text-anchor="end">{peak}</text>',
             f'<text x="{LEFT - 4}" y="{HEIGHT - BOTTOM}" font-size="8" text-anchor="end">0</text>']
    for index, month in enumerate(months):
        x = LEFT + index * slot + (slot - bar) / 2
        y = HEIGHT - BOTTOM
        for name, colour in SERIES:
            h = plot_h * month[name] / peak
            if h:
                y -= h
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}"/>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 8}" font-size="8" '
                     f'text-anchor="middle">{escape(month["label"])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def legend():
    return [(name, colour) for name, colour in SERIES]

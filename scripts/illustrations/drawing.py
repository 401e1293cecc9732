"""Tiny helpers that emit Qt-SVG-Tiny-safe drawings (no CSS, no filters)."""
import math

BODY = "#d98a4e"
HL = "#e8b04a"
PROP = "#9a8f86"
WATER = "#b9a285"  # sand-grey waves: the shape says water; no blue at night
COLD = "#cfc6ba"  # pale stone for a cool floor, not blue


def pts(points):
    return " ".join(f"{x:g},{y:g}" for x, y in points)


class Drawing:
    def __init__(self):
        self.layers = {}  # (stroke, width, fill) -> list of element strings
        self.order = []

    def _add(self, key, el):
        if key not in self.layers:
            self.layers[key] = []
            self.order.append(key)
        self.layers[key].append(el)

    # generic
    def poly(self, points, color=BODY, w=7):
        if len(points) == 2:
            (x1, y1), (x2, y2) = points
            el = f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}"/>'
        else:
            el = f'<polyline points="{pts(points)}"/>'
        self._add((color, w, "none"), el)

    def path(self, d, color=BODY, w=7, fill="none"):
        self._add((color, w, fill), f'<path d="{d}"/>')

    def fillpath(self, d, fill):
        self._add(("none", 0, fill), f'<path d="{d}"/>')

    def head(self, c, r=12, color=BODY):
        self._add(("none", 0, color), f'<circle cx="{c[0]:g}" cy="{c[1]:g}" r="{r:g}"/>')

    def circle(self, c, r, color=PROP, w=4, fill="none"):
        self._add((color, w, fill), f'<circle cx="{c[0]:g}" cy="{c[1]:g}" r="{r:g}"/>')

    def ellipse(self, c, rx, ry, color=PROP, w=4, fill="none"):
        self._add((color, w, fill),
                  f'<ellipse cx="{c[0]:g}" cy="{c[1]:g}" rx="{rx:g}" ry="{ry:g}"/>')

    def rect(self, x, y, w_, h, rx=0, color=PROP, w=4, fill="none"):
        self._add((color, w, fill),
                  f'<rect x="{x:g}" y="{y:g}" width="{w_:g}" height="{h:g}" rx="{rx:g}"/>')

    def arrow(self, points, color=HL, w=4, head=9):
        self.poly(points, color, w)
        (x1, y1), (x2, y2) = points[-2], points[-1]
        a = math.atan2(y2 - y1, x2 - x1)
        for s in (+1, -1):
            b = a + math.pi + s * math.radians(32)
            self.poly([(round(x2 + head * math.cos(b), 1), round(y2 + head * math.sin(b), 1)),
                       (x2, y2)], color, w)

    def arc_arrow(self, c, r, a0, a1, color=HL, w=4, head=9, steps=10):
        """Arrow along a circular arc from angle a0 to a1 (degrees)."""
        p = []
        for i in range(steps + 1):
            a = math.radians(a0 + (a1 - a0) * i / steps)
            p.append((round(c[0] + r * math.cos(a), 1), round(c[1] + r * math.sin(a), 1)))
        self.arrow(p, color, w, head)

    # figure helpers
    def limb(self, points, color=BODY, w=7):
        self.poly(points, color, w)

    def hl(self, points, w=11):
        self.poly(points, HL, w)

    def svg(self):
        out = ['<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" '
               'viewBox="0 0 200 200" width="200" height="200">']
        for key in self.order:
            stroke, w, fill = key
            if stroke == "none":
                attrs = f'fill="{fill}" stroke="none"'
            else:
                attrs = (f'fill="{fill}" stroke="{stroke}" stroke-width="{w:g}" '
                         'stroke-linecap="round" stroke-linejoin="round"')
            out.append(f"<g {attrs}>")
            out.extend(self.layers[key])
            out.append("</g>")
        out.append("</svg>")
        return "\n".join(out) + "\n"

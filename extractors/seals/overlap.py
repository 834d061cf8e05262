"""Seals stamped into each other: one group of red ink holding two seals.

A legal representative's square name seal is often stamped against the company's round seal, and
two parties' seals may overlap on a signing line; their ink then forms one connected group that
is neither round nor square. A seal's border ring is still a circle in it, which a Hough
transform finds whatever is attached; once the ring's disk is taken out, what is left is tried
as a seal of its own (the square beside it).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

RADII = (0.035, 0.225)  # ring radius as a share of the page's short side (detect._classify's sizes)
MIN_COVER = 0.85  # share of the ring's outline inked: a seal's border, not text arcs
DISK_MARGIN = 1.06  # the ring's stroke and the arc text's antialiasing go with the disk


def rings_in(mask: np.ndarray, box, short: int, cover: Callable) -> list[tuple]:
    """Circles of seal size whose outline is inked in a group's box, largest first, concentric
    inner circles (the arc text's inner edge, a double border) left out; as cv2 ellipses."""
    x0, y0, x1, y1 = box
    pad = 8
    crop = cv2.copyMakeBorder(mask[y0:y1, x0:x1], pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
    circles = cv2.HoughCircles(cv2.GaussianBlur(crop, (5, 5), 1.5), cv2.HOUGH_GRADIENT_ALT, 1.5,
                               minDist=0.05 * short, param1=150, param2=0.7,
                               minRadius=int(RADII[0] * short), maxRadius=int(RADII[1] * short))
    found: list[tuple] = []
    for cx, cy, r in sorted(circles[0] if circles is not None else [], key=lambda c: -c[2]):
        ell = ((float(cx) - pad + x0, float(cy) - pad + y0), (2.0 * r, 2.0 * r), 0.0)
        inside = any(np.hypot(cx - pad + x0 - e[0][0], cy - pad + y0 - e[0][1]) < e[1][0] / 2 for e in found)
        if not inside and cover(mask, ell) >= MIN_COVER:
            found.append(ell)
    return found


def without_disks(mask: np.ndarray, box, ellipses: list[tuple]) -> np.ndarray:
    """The group's ink (0/255, box-sized) with each ellipse's disk erased."""
    x0, y0, x1, y1 = box
    rest = mask[y0:y1, x0:x1].copy()
    for (cx, cy), (a1, a2), ang in ellipses:
        cv2.ellipse(rest, ((cx - x0, cy - y0), (a1 * DISK_MARGIN, a2 * DISK_MARGIN), ang), 0, -1)
    return rest

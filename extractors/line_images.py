"""A text line cut out of its page image, for the recogniser to read alone."""

import numpy as np

LINE_PAD = (0.6, 0.25)  # margin around a line's box when it is cut out, in line heights (x, y)


def line_image(image: np.ndarray, bbox, points_per_px: float) -> np.ndarray:
    """The line at `bbox` (points) cut from its page image with a margin, as BGR: what the
    recogniser reads alone."""
    h, w = image.shape[:2]
    x0, y0, x1, y1 = (v / points_per_px for v in bbox)
    height = y1 - y0
    crop = image[max(0, int(y0 - LINE_PAD[1] * height)):min(h, int(y1 + LINE_PAD[1] * height)),
                 max(0, int(x0 - LINE_PAD[0] * height)):min(w, int(x1 + LINE_PAD[0] * height))]
    return crop if crop.ndim == 3 else np.dstack([crop] * 3)

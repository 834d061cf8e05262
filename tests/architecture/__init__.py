"""The layout itself: layers, imports."""

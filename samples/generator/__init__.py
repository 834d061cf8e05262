"""Synthetic application bundles with ground truth for docintake.

python -m samples.generator --out DIR --count N --seed S [--programme ID] [--defects auto|none]
"""

from .api import generate_bundle, generate_corpus
from .defects import DEFECTS
from .registry import registry_rows, write_registry
from .scenario import PROGRAMMES

__all__ = ["DEFECTS", "PROGRAMMES", "generate_bundle", "generate_corpus", "registry_rows", "write_registry"]

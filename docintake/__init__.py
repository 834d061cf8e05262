"""docintake: document intake and material verification for model-voucher subsidy bundles."""

__version__ = "0.1.0"

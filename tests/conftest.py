"""Every test process: one BLAS thread, as the app itself runs (``simulator/__init__.py``), set
before any test module imports numpy."""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

"""The interview simulator: scoring, delivery, session flow, storage and the CLI."""

import os

# The embedding model's matrices are small (128 x 384 by 384 x 1,536): one BLAS thread is as
# fast, and OpenBLAS's spinning threads made its forward pass ten times slower whenever the
# other core was busy (the live decoder, any other program; measured: a 27 s test took 300 s).
# Set before numpy loads; a value set in the environment wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"

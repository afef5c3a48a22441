"""Numba kernels: arrays in, arrays out, no validation, no Python objects.

Each kernel family keeps its helpers in its own file, because numba's on-disk cache
does not notice edits in other files.
"""

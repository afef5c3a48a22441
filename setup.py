"""Build of geoent's ahead-of-time kernels (everything else is in pyproject.toml).

The kernels listed in ``src/geoent/_kernels/aot_exports.py`` are compiled with numba's
``pycc`` into the extension module ``geoent._kernels._aot_kernels`` (for this machine's CPU), so
a fresh install does not compile them on first use. If that build fails (no C
compiler, no numba at build time), the install still succeeds and geoent compiles its
kernels with numba's JIT on first use, as without this file. ``GEOENT_NO_AOT=1`` skips
the build.
"""

import os
import sys
import types
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

SRC = Path(__file__).resolve().parent / "src"


def _aot_extensions():
    if os.environ.get("GEOENT_NO_AOT", "") not in ("", "0"):
        return []
    try:
        # import the kernels without running geoent/__init__.py (its dependencies,
        # scipy, shapely, ..., are not build requirements)
        pkg = types.ModuleType("geoent")
        pkg.__path__ = [str(SRC / "geoent")]
        sys.modules.setdefault("geoent", pkg)
        from geoent._kernels.aot_exports import cc

        return [cc.distutils_extension()]
    except Exception as exc:  # noqa: BLE001 - any failure: install without AOT
        print(f"geoent: ahead-of-time kernels not built ({exc!r}); JIT on first use")
        return []


class OptionalBuildExt(build_ext):
    """Builds the AOT kernels; a failure leaves geoent installed, on the JIT path."""

    def run(self):
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001
            print(f"geoent: ahead-of-time kernels not built ({exc!r}); JIT on first use")

    def build_extension(self, ext):
        try:
            if hasattr(ext, "_prepare_object_files"):
                # numba's own hook patches distutils' build_ext, not setuptools':
                # compile the kernels to an object file and link it in, here
                ext._prepare_object_files(self)
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            print(f"geoent: ahead-of-time kernels not built ({exc!r}); JIT on first use")


setup(ext_modules=_aot_extensions(), cmdclass={"build_ext": OptionalBuildExt})

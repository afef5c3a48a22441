"""Build of geoent's ahead-of-time kernels (everything else is in pyproject.toml).

The kernels listed in ``src/geoent/_kernels/aot_signatures.py`` are compiled with
numba's ``pycc`` (``src/geoent/_kernels/aot_exports.py``) into the extension module
``geoent._kernels._aot_kernels``, for this machine's CPU, so that a fresh install does
not compile them on first use. If that build fails (no C compiler, no numba at build
time), the install still succeeds and geoent compiles its kernels with numba's JIT on
first use, as without this file. ``GEOENT_NO_AOT=1`` skips the build.

The extension is declared without sources: numba (and the kernels) are imported only
when it is built, not when pip reads the metadata, and numba's C support files (absolute
paths in numba's install) are compiled here into objects instead of being listed as
sources, which setuptools' editable install refuses.
"""

import os
import shutil
import sys
import types
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SRC = Path(__file__).resolve().parent / "src"


def _say(exc):
    print(f"geoent: ahead-of-time kernels not built ({exc!r}); they JIT on first use")


class OptionalBuildExt(build_ext):
    """Builds the AOT kernels; a failure leaves geoent installed, on the JIT path."""

    def run(self):
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any failure: install without AOT
            _say(exc)

    def build_extension(self, ext):
        try:
            self._prepare(ext)
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            _say(exc)

    def _prepare(self, ext):
        # import the kernels without running geoent/__init__.py (its dependencies,
        # scipy, shapely, ..., are not build requirements)
        pkg = types.ModuleType("geoent")
        pkg.__path__ = [str(SRC / "geoent")]
        sys.modules.setdefault("geoent", pkg)
        # compile from source, never from numba's on-disk cache: a cached kernel
        # holds its callees from other files as they were when it was cached (numba
        # checks only the kernel's own file), so after an edit of ordering.py the
        # build compiled the 3D hull with the old Morton order while the source
        # hash said the module was current
        cache = Path(self.build_temp) / "numba_cache"
        shutil.rmtree(cache, ignore_errors=True)
        os.environ["NUMBA_CACHE_DIR"] = str(cache)
        if "numba.core.config" in sys.modules:  # numba read its config already
            sys.modules["numba.core.config"].CACHE_DIR = str(cache)
        from geoent._kernels.aot_exports import cc

        spec = cc.distutils_extension()  # numba's recipe: C files, macros, flags
        os.makedirs(self.build_temp, exist_ok=True)
        objects = self.compiler.compile(
            spec.sources,
            output_dir=self.build_temp,
            macros=spec.define_macros,
            include_dirs=spec.include_dirs,
            extra_postargs=spec.extra_compile_args,
        )
        kernels, _ = cc._compile_object_files(self.build_temp)  # the kernels' object
        ext.extra_objects = objects + kernels
        # the extension has no sources, so build_ext would take an existing module for
        # up to date and skip the link (a rebuild after a kernel edit did nothing):
        # the objects just compiled are its dependencies
        ext.depends = list(ext.extra_objects)
        ext.libraries = spec.libraries
        ext.library_dirs = spec.library_dirs
        ext.extra_link_args = spec.extra_link_args
        ext.language = "c++"  # numba's runtime (nrt.cpp)


def _extensions():
    if os.environ.get("GEOENT_NO_AOT", "") not in ("", "0"):
        return []
    return [Extension("geoent._kernels._aot_kernels", sources=[])]


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})

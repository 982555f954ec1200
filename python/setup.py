# setup.py - the SharedArray._ext extension for pip (see pyproject.toml)
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What pyproject.toml cannot say statically: where the installed
# libsharedarray is (pkg-config, asked at build time), where the numpy of
# the building interpreter keeps its headers, and the config.h the C
# sources include, which configure writes in the Autotools build.
import glob
import os
import shlex
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


def pkg_config(*args):
    """Words of pkg-config's answer about sharedarray.pc."""
    if not shutil.which("pkg-config"):
        raise SystemExit("pkg-config is required to find libsharedarray (Debian: pkg-config)")
    try:
        out = subprocess.run(["pkg-config", *args, "sharedarray"], check=True,
                             capture_output=True, text=True).stdout
    except subprocess.CalledProcessError as exc:
        raise SystemExit("libsharedarray not found by pkg-config (Debian: apt install "
                         f"libsharedarray-dev): {exc.stderr.strip()}") from None
    return shlex.split(out)


class BuildExt(build_ext):
    """Adds what is known only when building: numpy's headers, config.h."""

    def build_extensions(self):
        import numpy  # the numpy of the environment being installed into

        config_dir = os.path.join(self.build_temp, "config")
        os.makedirs(config_dir, exist_ok=True)
        with open(os.path.join(config_dir, "config.h"), "w") as config:
            config.write("/* Written by setup.py: what the module takes from configure. */\n"
                         f'#define PACKAGE_VERSION "{self.distribution.get_version()}"\n')
        for ext in self.extensions:
            ext.include_dirs += [config_dir, numpy.get_include()]
        super().build_extensions()


class BuildPy(build_py):
    """The type stubs go in as the package's __init__.pyi, with py.typed
    (PEP 561), as the Autotools build installs them."""

    def run(self):
        super().run()
        package = os.path.join(self.build_lib, "SharedArray")
        self.copy_file(os.path.join(HERE, "SharedArray.pyi"),
                       os.path.join(package, "__init__.pyi"))
        with open(os.path.join(package, "py.typed"), "w"):
            pass


cflags = pkg_config("--cflags")
libs = pkg_config("--libs")
ext = Extension(
    "SharedArray._ext",
    # Every C file of the module, as python/Makefile.am lists them.
    sources=sorted(glob.glob("*.c", root_dir=HERE)),
    depends=["module.h"],
    include_dirs=[f[2:] for f in cflags if f.startswith("-I")],
    library_dirs=[f[2:] for f in libs if f.startswith("-L")],
    libraries=[f[2:] for f in libs if f.startswith("-l")],
    extra_compile_args=[f for f in cflags if not f.startswith("-I")] +
                       ["-fvisibility=hidden"],
    extra_link_args=[f for f in libs if not f.startswith(("-L", "-l"))],
)

setup(ext_modules=[ext], cmdclass={"build_ext": BuildExt, "build_py": BuildPy})

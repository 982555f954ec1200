# SharedArray - share numpy arrays between processes, by name.
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The module is a package so that what is naturally Python (pickling
# reducers, say) can be Python; everything else is the C extension _ext,
# a client of libsharedarray.  "import SharedArray" gives exactly the names
# the extension defines, as the single-module SharedArray 3.x did.
from SharedArray import _ext, _transient
from SharedArray._ext import *  # noqa: F401,F403  (the module's API)
from SharedArray._ext import __version__  # noqa: F401

# Transient arrays are let go of when this process ends (_transient.py).
_ext._track_transient = _transient.track

__doc__ = _ext.__doc__

# _joblib.py - joblib.Parallel sends shared arrays by name
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# joblib does not pickle with multiprocessing's ForkingPickler: each of its
# process backends has a pickler of its own, and gives it a reducer for
# numpy.ndarray (its automatic memory-mapping, joblib/_memmapping_reducer.py)
# that takes precedence over reducers registered anywhere else.  So each
# backend is hooked the way joblib offers:
#
#   loky (the default): LOKY_PICKLER / loky's set_loky_pickler(MODULE) take
#   a module whose Pickler class loky's pickler derives from.  This module
#   is one: its Pickler is cloudpickle's (loky's default) with a
#   reducer_override, which the pickle module consults before any dispatch
#   table.  loky passes the pickler's name to its workers with every task,
#   so results come back through it too.
#
#   multiprocessing: its pool takes forward_reducers and backward_reducers
#   tables, into which joblib then writes its numpy.ndarray reducer.  The
#   backend is registered again (joblib.register_parallel_backend) as a
#   subclass that passes tables where a reducer for shared arrays comes
#   first and joblib's handles the rest.
#
# Ordinary arrays keep joblib's own treatment (max_nbytes).
import numpy as np
from joblib import register_parallel_backend
from joblib._parallel_backends import MultiprocessingBackend
from joblib.parallel import BACKENDS
from joblib.externals.cloudpickle import CloudPickler
from joblib.externals.loky.backend import reduction as loky_reduction

from SharedArray import _share

LOKY_NAME = __name__
# Only loky's default pickler is extended: a program that chose another
# one (LOKY_PICKLER=pickle...) keeps it.
_LOKY_DEFAULTS = (None, "", "cloudpickle")


class Pickler(CloudPickler):
    """cloudpickle's pickler, sending views of shared arrays by name."""

    def reducer_override(self, obj):
        if type(obj) is np.ndarray:
            reduced = _share.reference(obj)
            if reduced is not None:
                return reduced
        parent = getattr(super(), "reducer_override", None)
        return parent(obj) if parent is not None else NotImplemented


class _SharedFirst:
    """A reducer table entry: shared arrays by name, the rest as joblib does."""

    def __init__(self, joblib_reducer):
        self.joblib_reducer = joblib_reducer

    def __call__(self, array):
        reduced = _share.reference(array)
        return reduced if reduced is not None else self.joblib_reducer(array)


class _Reducers(dict):
    """A reducer table that puts _SharedFirst before joblib's ndarray reducer."""

    def __init__(self, table=None):
        super().__init__()
        for key, value in (table or {}).items():
            self[key] = value

    def __setitem__(self, key, value):
        if key is np.ndarray and not isinstance(value, _SharedFirst):
            value = _SharedFirst(value)
        super().__setitem__(key, value)


class SharingMultiprocessingBackend(MultiprocessingBackend):
    """joblib's multiprocessing backend, sending shared arrays by name."""

    def configure(self, n_jobs=1, parallel=None, prefer=None, require=None, **kwargs):
        # joblib >= 1.3 also keeps arguments given to parallel_config() here.
        given = {**getattr(self, "backend_kwargs", {}), **kwargs}
        for table in ("forward_reducers", "backward_reducers"):
            kwargs[table] = _Reducers(given.get(table))
        return super().configure(n_jobs=n_jobs, parallel=parallel, prefer=prefer,
                                 require=require, **kwargs)


def hook():
    """Make both backends send shared arrays by name (what the program set stays)."""
    if loky_reduction.get_loky_pickler_name() in _LOKY_DEFAULTS:
        loky_reduction.set_loky_pickler(LOKY_NAME)
    if BACKENDS.get("multiprocessing") is MultiprocessingBackend:
        register_parallel_backend("multiprocessing", SharingMultiprocessingBackend)


def unhook():
    """Give joblib back what hook() replaced, and only that."""
    if loky_reduction.get_loky_pickler_name() == LOKY_NAME:
        loky_reduction.set_loky_pickler("cloudpickle")
    if BACKENDS.get("multiprocessing") is SharingMultiprocessingBackend:
        register_parallel_backend("multiprocessing", MultiprocessingBackend)

# test_docs.py - docstrings, signatures, help() and the type stubs
#
# Copyright (C) 2026 The libsharedarray authors
# SPDX-License-Identifier: LGPL-2.1-or-later
import ast
import inspect
import os
import pydoc

import pytest

import SharedArray as sa

SIGNATURES = {
    "create": ["name", "shape", "dtype", "order", "mode", "reserve", "populate", "exist_ok",
               "transient"],
    "attach": ["name", "ro", "populate"],
    "delete": ["name"],
    "list": ["directory"],
    "stat": ["name"],
    "lock": ["array", "shared", "timeout"],
    "notify": ["array"],
    "wait": ["array", "generation", "timeout"],
    "generation": ["array"],
    "holders": ["name"],
}

DEFAULTS = {
    "create": {"order": "C", "mode": None, "reserve": False, "populate": False,
               "exist_ok": False, "transient": False},
    "attach": {"ro": False, "populate": False},
    "list": {"directory": None},
    "lock": {"shared": False, "timeout": None},
    "wait": {"timeout": None},
}


@pytest.mark.parametrize("function", sorted(SIGNATURES))
def test_signature(function):
    sig = inspect.signature(getattr(sa, function))
    assert list(sig.parameters) == SIGNATURES[function]
    for param in sig.parameters.values():
        assert param.kind == param.POSITIONAL_OR_KEYWORD
    for param, default in DEFAULTS.get(function, {}).items():
        assert sig.parameters[param].default == default
    required = [p for p in sig.parameters.values() if p.default is p.empty]
    assert [p.name for p in required] == {
        "create": ["name", "shape"], "list": [], "lock": ["array"], "notify": ["array"],
        "wait": ["array", "generation"], "generation": ["array"]}.get(function, ["name"])


@pytest.mark.parametrize("function", sorted(SIGNATURES))
def test_function_docstrings(function):
    doc = getattr(sa, function).__doc__
    assert doc and len(doc.splitlines()) >= 5
    assert ("Raises" in doc or function == "list" and "FileNotFoundError" in doc
            or function == "lock" and "acquire()" in doc)


def test_owner_docstrings():
    assert sa.MapOwner.__doc__ and "base" in sa.MapOwner.__doc__
    for attr in ("msync", "mlock", "munlock", "name", "addr", "size", "readonly", "transient"):
        assert getattr(sa.MapOwner, attr).__doc__, attr
    assert list(inspect.signature(sa.MapOwner.msync).parameters) == ["self", "flags"]


def test_lock_docstrings():
    assert sa.Lock.__doc__ and "lock()" in sa.Lock.__doc__
    for attr in ("acquire", "release", "shared", "timeout", "owner"):
        assert getattr(sa.Lock, attr).__doc__, attr
    assert list(inspect.signature(sa.Lock.acquire).parameters) == ["self", "blocking", "timeout"]
    assert "TimeoutError" in sa.Lock.acquire.__doc__


def test_arraydesc_docstrings():
    assert sa.ArrayDesc.__doc__ and "name, dtype, dims" in sa.ArrayDesc.__doc__
    for field in ("name", "dtype", "dims", "full_dtype", "nbytes", "size", "order",
                  "transient"):
        assert getattr(sa.ArrayDesc, field).__doc__, field


def test_help_reads_like_a_man_page():
    text = pydoc.render_doc(sa, renderer=pydoc.plaintext)
    for heading in ("NAMES", "FUNCTIONS", "ERRORS", "EXAMPLE", "SEE ALSO"):
        assert heading in text
    for words in ("create(name, shape", "attach(name, ro=False", "MS_SYNC",
                  "FileExistsError", "file://", "class MapOwner", "class ArrayDesc",
                  "lock(array", "wait(array", "class Lock", "TimeoutError"):
        assert words in text, words


def stub_tree():
    srcdir = os.environ.get("SA_TEST_SRCDIR")
    if not srcdir:
        pytest.skip("SA_TEST_SRCDIR not set (run through make check)")
    path = os.path.join(srcdir, "python", "SharedArray.pyi")
    with open(path) as f:
        return ast.parse(f.read(), filename=path)


def test_stub_matches_the_module():
    tree = stub_tree()
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    annotated = {node.target.id for node in tree.body
                 if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)}
    public = {name for name in dir(sa) if not name.startswith("_")}
    assert set(functions) | set(classes) | annotated == public | {"__version__"}
    for name, params in SIGNATURES.items():
        assert [a.arg for a in functions[name].args.args] == params
    owner = {node.name for node in classes["MapOwner"].body if isinstance(node, ast.FunctionDef)}
    assert {"msync", "mlock", "munlock", "name", "addr", "size", "readonly"} <= owner
    lock = {node.name for node in classes["Lock"].body if isinstance(node, ast.FunctionDef)}
    assert {"acquire", "release", "__enter__", "__exit__", "shared", "timeout", "owner"} <= lock
    desc = {node.name for node in classes["ArrayDesc"].body
            if isinstance(node, ast.FunctionDef)}
    assert set(sa.ArrayDesc._fields if hasattr(sa.ArrayDesc, "_fields") else
               [f for f in dir(sa.ArrayDesc) if isinstance(getattr(sa.ArrayDesc, f),
                                                          type(sa.ArrayDesc.name))]) <= desc

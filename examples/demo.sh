#!/bin/sh
# The quick start's demo: three processes share one array by name.
set -e
demo=${1:-./sa-demo}
name="shm://sa-demo-$$"
trap '"$demo" delete "$name" 2>/dev/null || true' EXIT
"$demo" create "$name"
"$demo" change "$name"
"$demo" show "$name"
"$demo" delete "$name"
trap - EXIT
echo "demo: OK"

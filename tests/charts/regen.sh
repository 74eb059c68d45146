#!/bin/sh
# regen.sh — rewrites the reference chart PNGs in tests/charts/ref/ from fixtures.h.
# Deliberate only: look at every PNG afterwards before committing them.
set -eu
cd "$(dirname "$0")/../.."
make --no-print-directory build/rel/tests/test_chart_render
mkdir -p tests/charts/ref
YJ_REGEN_CHARTS=1 build/rel/tests/test_chart_render
ls -l tests/charts/ref

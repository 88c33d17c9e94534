#!/usr/bin/env bash
# SPSCRing against the mutex queue in one process, so that their ratio comes from
# one run: builds the RingVersusMutex tool in release and runs it. Arguments go to
# the tool: [--items N] [--rounds R] [--chunk C] [--check] (exit 1 on a missed target).
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product RingVersusMutex >&2
exec "$(swift build -c release --show-bin-path)/RingVersusMutex" "$@"

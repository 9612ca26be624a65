#!/usr/bin/env bash
# Installs what Haul needs to build (when missing), builds ./haul and
# starts it. Arguments go to haul: scripts/run.sh get https://example.org/f.iso
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
go build -o haul .
exec ./haul "$@"

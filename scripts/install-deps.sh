#!/usr/bin/env bash
# Installs the Debian packages sinew needs to build and test. Idempotent: packages that
# `dpkg -s` already reports installed are skipped, and nothing runs when all are present.
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config
  libtorch-dev libopenblas0-pthread libgloo-dev
  libmujoco-dev libmujoco-samples libqhull-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libcpp-httplib-dev libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev
  clang-format-14            # the style check (make format-check, run by .ci/run)
  python3-torch              # the Python client of exported policies in the tests
  strace                     # kills a push at each rename in the store tests
  chromium
)
# the web front end is built with Node.js and npm (packages from the npm registry); an
# existing Node.js (e.g. a newer one with its own npm) is used as it is
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need, from Debian packages.
# Idempotent: does nothing (and needs no network) when all packages are already installed.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ca-certificates openssl python3 curl
  # the test build: clang with AddressSanitizer, UBSan and libFuzzer runtimes (scripts/test.sh)
  clang libclang-rt-14-dev
  # libraries (DESIGN.md: the chosen core + allowed helpers)
  prometheus-cpp-dev libcivetweb-dev libpqxx-dev libhiredis-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libcurl4-openssl-dev libre2-dev nlohmann-json3-dev libcli11-dev
  # real services for integration tests and the demo
  postgresql redis-server prometheus prometheus-alertmanager prometheus-blackbox-exporter
  # scripts/release-gate.sh
  jq
  # bench/run.sh: the load generator of bench_probe_throughput
  wrk
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Debian starts services on install; we start our own on loopback with throwaway data instead.
echo exit 101 | $SUDO tee /usr/sbin/policy-rc.d >/dev/null && $SUDO chmod +x /usr/sbin/policy-rc.d
trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"

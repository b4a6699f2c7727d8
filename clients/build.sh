#!/bin/sh
# Builds and tests editflow's TypeScript client and demo with the machine's Node.js and npm; the
# Maven module in this folder runs it. Usage: build.sh build <demo output dir> | test <target dir>
#
# Without Node.js 20.19+ the build fails in CI (CI=true) or with EDITFLOW_REQUIRE_NODE=true.
# Elsewhere (e.g. bin/editflow-local on a machine with only a JDK) it warns and puts a page at
# /demo/ that says how to build the demo, so the rest of editflow still builds and runs.
set -eu
cd "$(dirname "$0")"
goal=$1
out=$2
required=${EDITFLOW_REQUIRE_NODE:-${CI:-false}}

node_usable() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'
}

if ! node_usable; then
  found=$(node --version 2>/dev/null || echo "no node")
  message="Node.js 20.19+ and npm are needed to build the TypeScript client and the demo ($found on PATH)."
  if [ "$required" = true ]; then
    echo "ERROR: $message Install them (e.g. apt-get install nodejs npm) and build again." >&2
    exit 1
  fi
  echo "WARNING: $message Skipping them: /demo/ will say how to build it. (CI fails here.)" >&2
  if [ "$goal" = build ]; then
    rm -rf "$out" && mkdir -p "$out"
    cp demo/not-built.html "$out/index.html"
  fi
  exit 0
fi

case "$goal" in
  build)
    npm ci --no-audit --no-fund
    npm run build
    rm -rf "$out" && mkdir -p "$out"
    cp -R demo/dist/. "$out/"
    ;;
  test)
    npm test
    # The package as it would be published: it must pack, and hold the built files.
    mkdir -p "$out"
    (cd typescript && npm pack --pack-destination "$out" --json > "$out/npm-pack.json")
    for file in dist/index.js dist/index.d.ts dist/client.js README.md; do
      grep -q "\"path\": \"$file\"" "$out/npm-pack.json" || {
        echo "ERROR: npm pack left out $file" >&2
        exit 1
      }
    done
    echo "npm pack: $(ls "$out"/editflow-client-*.tgz)"
    ;;
  *)
    echo "usage: build.sh build <demo dir> | test <target dir>" >&2
    exit 2
    ;;
esac

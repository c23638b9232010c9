#!/usr/bin/env bash
# Coverage-guided fuzzing of one GraphDsl front door with AFL++ and SharpFuzz.
#   scripts/afl-fuzz.sh tflite|onnx|gdsl [MINUTES]
# Needs afl-fuzz (Debian: apt-get install afl++) and the SharpFuzz instrumenter
# (dotnet tool install -g SharpFuzz.CommandLine). Builds tests/GraphDsl.Fuzz in Release, copies its
# output to bin/afl-instrumented (the test build stays uninstrumented), instruments the front ends
# and the IR, writes the small seeds and runs afl-fuzz; each input goes through the same job and
# watchdog as the mutation campaigns, and a failure is a crash in <out>/findings/default/crashes.
set -euo pipefail
format=${1:-tflite}
minutes=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${GRAPHDSL_AFL_OUT:-/tmp/graphdsl-afl-$format}
project="$root/tests/GraphDsl.Fuzz"
config=${CONFIG:-Release}
dotnet build -c "$config" "$project" -v q -nologo
inst="$project/bin/afl-instrumented"
rm -rf "$inst" && cp -r "$project/bin/$config/net10.0" "$inst"
sharpfuzz=${SHARPFUZZ:-$(command -v sharpfuzz || echo "$HOME/.dotnet/tools/sharpfuzz")}
for dll in GraphDsl.Ir GraphDsl.Syntax GraphDsl.Importers.Tflite GraphDsl.Importers.Onnx GraphDsl.Loading; do
  "$sharpfuzz" "$inst/$dll.dll"
done
mkdir -p "$out"
dotnet "$project/bin/$config/net10.0/GraphDsl.Fuzz.dll" --format "$format" --write-seeds "$out/seeds"
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
exec timeout "${minutes}m" afl-fuzz -i "$out/seeds" -o "$out/findings" -t 10000 -m none -- \
  dotnet "$inst/GraphDsl.Fuzz.dll" --format "$format" --afl

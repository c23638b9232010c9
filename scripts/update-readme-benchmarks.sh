#!/usr/bin/env sh
# Regenerates the benchmark tables in README.md (between the BENCHMARKS markers) and the
# Markdown/CSV files in artifacts/benchmarks/. Extra arguments go to the benchmark, e.g. a model
# folder or --runs 3. Needs the model corpus (../shared/models or $GRAPHDSL_MODELS).
set -eu
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project tests/GraphDsl.Benchmarks -- --update-readme README.md "$@"

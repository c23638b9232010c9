using System.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.TestKit;
using GraphDsl.TestKit.Tflm;
using GraphDsl.Tflm;

namespace GraphDsl.Benchmarks;

/// <summary>One .tflite on the real TensorFlow Lite Micro, before and after <c>graphdsl optimize</c>:
/// head (planned section), arena_used_bytes (head + tail, 64-bit host) and whether every output
/// byte is the same over the runner's seeds. <see cref="Refused"/> holds TFLM's reason when it
/// cannot run the original.</summary>
internal sealed record TflmRow(string Model)
{
    public long? HeadBefore { get; init; }
    public long? HeadAfter { get; init; }
    public long? UsedBefore { get; init; }
    public long? UsedAfter { get; init; }
    /// <summary>GraphDsl.Tflm's prediction of the same four figures, from the model files alone.</summary>
    public long? PredictedHeadBefore { get; init; }
    public long? PredictedHeadAfter { get; init; }
    public long? PredictedUsedBefore { get; init; }
    public long? PredictedUsedAfter { get; init; }
    /// <summary>Operators that make a prediction an estimate (TflmArena.EstimateSummary), or null.</summary>
    public string? Estimate { get; init; }
    public bool? OutputsIdentical { get; init; }
    /// <summary>Extra multiply-accumulates of the optimized model in percent (tile's row bands
    /// recompute halo rows; 0 when nothing was tiled), from optimize's JSON.</summary>
    public double? MacOverheadPercent { get; init; }
    /// <summary>Row-band regions tile made (0: none).</summary>
    public int? TiledRegions { get; init; }
    public int Seeds { get; init; }
    public double? OptimizeMs { get; init; }
    public string? Refused { get; init; }
    public string? Error { get; init; }
}

/// <summary>Runs every corpus .tflite and its <c>graphdsl optimize</c> output (the CLI, as users run
/// it) on TFLM through <c>tools/tflm-runner</c> (TestKit's <see cref="TflmRunner"/>, which builds it
/// once; the TFLM library is cached in ~/.cache/graphdsl).</summary>
internal static class TflmBenchmark
{
    /// <summary>Why the section cannot run here (no TFLM source, no g++), or null.</summary>
    public static string? Unavailable() => TflmRunner.Unavailable();

    public static TflmRow Measure(string path, string scratch)
    {
        var row = new TflmRow(Path.GetFileName(path)) { Seeds = TflmRunner.DefaultSeeds };
        try
        {
            var before = TflmRunner.Run(path);
            if (!before.Ok)
                return row with { Refused = string.Join(", ", before.UnsupportedOps) is { Length: > 0 } ops ? $"{ops}: {Reason(before)}" : Reason(before) };
            var predictedBefore = Predict(path);
            row = row with
            {
                HeadBefore = before.HeadBytes, UsedBefore = before.ArenaUsedBytes,
                PredictedHeadBefore = predictedBefore?.HeadBytes, PredictedUsedBefore = predictedBefore?.TotalBytes,
                Estimate = predictedBefore?.EstimateSummary,
            };
            var optimized = Path.Combine(scratch, Path.GetFileNameWithoutExtension(path) + ".opt.tflite");
            var clock = Stopwatch.StartNew();
            var cli = GraphDslCli.Run("optimize", path, "-o", optimized, "--force", "--json");
            row = row with { OptimizeMs = clock.Elapsed.TotalMilliseconds };
            if (cli.ExitCode != 0) return row with { Error = "optimize: " + cli.StdErr.Split('\n').FirstOrDefault(l => l.Contains("error")) };
            using (var json = System.Text.Json.JsonDocument.Parse(cli.StdOut))
            {
                bool tiled = json.RootElement.GetProperty("optimized").TryGetProperty("tiling", out var tiling);
                row = row with
                {
                    MacOverheadPercent = tiled ? tiling.GetProperty("mac_overhead_percent").GetDouble() : 0,
                    TiledRegions = tiled ? tiling.GetProperty("regions").GetArrayLength() : 0,
                };
            }
            var after = TflmRunner.Run(optimized);
            if (!after.Ok) return row with { Error = "optimized model refused: " + Reason(after) };
            var predictedAfter = Predict(optimized);
            return row with
            {
                PredictedHeadAfter = predictedAfter?.HeadBytes, PredictedUsedAfter = predictedAfter?.TotalBytes,
                Estimate = row.Estimate ?? predictedAfter?.EstimateSummary,
                HeadAfter = after.HeadBytes,
                UsedAfter = after.ArenaUsedBytes,
                OutputsIdentical = before.OutputFingerprint == after.OutputFingerprint,
            };
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
        {
            return row with { Error = e.Message };
        }
    }

    /// <summary>GraphDsl.Tflm's model of TFLM's arena for the file (its stored order and offline
    /// plan, 64-bit host as the runner), or null when the file does not load.</summary>
    private static TflmArena? Predict(string path) =>
        ModelLoader.Load(path) is { Succeeded: true, Model: { } model } ? TflmArenaModel.Compute(model) : null;

    /// <summary>TFLM's first log line (the kernel's own words), or the runner's error.</summary>
    private static string Reason(TflmRunResult run) => run.Log.FirstOrDefault() ?? run.Error;
}

using System.Diagnostics;
using System.Text.Json;
using GraphDsl.TestKit;

namespace GraphDsl.Benchmarks;

/// <summary>One corpus .onnx through <c>graphdsl optimize</c> (the default pipeline, with tile):
/// GraphDsl's planned arena before and after (ONNX models do not run on TFLM, so this is their
/// figure), the row-band regions and the extra multiply-accumulates. The outputs of tiled ONNX
/// models are compared in ONNX Runtime by GraphDsl.Lowering.Tests (OnnxTilingTests).</summary>
internal sealed record OnnxTilingRow(string Model)
{
    public long? ArenaBefore { get; init; }
    public long? ArenaAfter { get; init; }
    public int? Regions { get; init; }
    /// <summary>Band counts of the regions, e.g. "4" or "4, 8".</summary>
    public string? Bands { get; init; }
    public double? MacOverheadPercent { get; init; }
    public double? OptimizeMs { get; init; }
    public string? Error { get; init; }
}

internal static class OnnxTilingBenchmark
{
    public static OnnxTilingRow Measure(string path, string scratch)
    {
        var row = new OnnxTilingRow(Path.GetFileName(path));
        try
        {
            var output = Path.Combine(scratch, Path.GetFileNameWithoutExtension(path) + ".opt.onnx");
            var clock = Stopwatch.StartNew();
            var cli = GraphDslCli.Run("optimize", path, "-o", output, "--force", "--json");
            clock.Stop();
            if (cli.ExitCode != 0) return row with { Error = "optimize: " + cli.StdErr.Split('\n').FirstOrDefault(l => l.Contains("error")) };
            using var json = JsonDocument.Parse(cli.StdOut);
            var root = json.RootElement;
            row = row with
            {
                ArenaBefore = root.GetProperty("stored").GetProperty("arena_bytes").GetInt64(),
                ArenaAfter = root.GetProperty("optimized").GetProperty("arena_bytes").GetInt64(),
                OptimizeMs = clock.Elapsed.TotalMilliseconds, Regions = 0, MacOverheadPercent = 0,
            };
            if (!root.GetProperty("optimized").TryGetProperty("tiling", out var tiling) || tiling.ValueKind != JsonValueKind.Object) return row;
            var regions = tiling.GetProperty("regions").EnumerateArray().ToList();
            return row with
            {
                Regions = regions.Count,
                Bands = string.Join(", ", regions.Select(r => r.GetProperty("bands").GetInt64())),
                MacOverheadPercent = tiling.GetProperty("mac_overhead_percent").GetDouble(),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return row with { Error = e.Message };
        }
    }
}

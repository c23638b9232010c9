using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.TestKit;
using GraphDsl.TestKit.Tflm;
using Xunit;
using Xunit.Abstractions;

namespace GraphDsl.Tflm.Tests;

/// <summary>GraphDsl's model of TFLM's arena (<see cref="TflmArenaModel"/>) against the real TFLM:
/// the predicted head (planned section), the offset of every planned tensor, the persistent
/// section (tail) and <c>arena_used_bytes()</c> equal what TFLM reports, before and after <c>graphdsl optimize</c>, on the corpus, the shared cases and random
/// models; and the head after optimize is never above TFLM's own plan of the input.</summary>
public sealed class TflmArenaModelTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Models() => TflmModels.All();

    private static Model Load(string path)
    {
        var read = ModelLoader.Load(path);
        Assert.True(read.Succeeded, string.Join("\n", read.Diagnostics));
        return read.Model!;
    }

    /// <summary>Predicted and measured agree on the head, on every tensor's offset, on the tail and
    /// on the total (<c>arena_used_bytes()</c>), to the byte.</summary>
    private void AssertMatches(string what, TflmArena predicted, TflmRunResult measured)
    {
        output.WriteLine($"{what}: predicted head {predicted.HeadBytes} B (tensors alone {predicted.TensorOnlyHeadBytes} B), tail {predicted.TailBytes?.ToString() ?? "not modelled"}; TFLM {measured}");
        foreach (var e in predicted.Estimates) output.WriteLine($"  estimate: {e}");
        Assert.Equal(measured.HeadBytes, predicted.HeadBytes);
        var placed = predicted.Buffers.Where(b => b.Kind == TflmBufferKind.Tensor).ToDictionary(b => (b.Subgraph, b.Index), b => b.Offset);
        foreach (var t in measured.Tensors)
        {
            Assert.True(placed.TryGetValue((t.Subgraph, t.Index), out var offset), $"TFLM planned subgraph{t.Subgraph}/tensor{t.Index}, the model did not");
            Assert.True(offset == t.Offset, $"subgraph{t.Subgraph}/tensor{t.Index}: predicted offset {offset}, TFLM {t.Offset}");
        }
        Assert.Equal(measured.Tensors.Count, placed.Count);
        // The persistent section and arena_used_bytes(), exactly, whenever no kernel is an estimate.
        Assert.True(predicted.IsExact, $"{what}: estimate: {predicted.EstimateSummary}");
        Assert.Equal(measured.TailBytes, predicted.TailBytes);
        Assert.Equal(measured.ArenaUsedBytes, predicted.TotalBytes);
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Predicted_head_and_offsets_equal_tflm_for_the_stored_model(string label)
    {
        var path = TflmModels.PathOf(label);
        var measured = TflmModels.Original(label);
        Skip.If(!measured.Ok, $"{label}: TFLM does not run it ({measured})");
        AssertMatches(label, TflmArenaModel.Compute(Load(path)), measured);
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void After_optimize_the_predicted_head_equals_tflm_and_is_not_above_the_original(string label)
    {
        var original = TflmModels.Original(label);
        Skip.If(!original.Ok, $"{label}: TFLM does not run it ({original})");
        var (optimizedPath, log) = TflmModels.Optimize(label);
        Skip.If(optimizedPath is null, $"{label}: optimize failed: {log}");
        var measured = TflmRunner.Run(optimizedPath!);
        Assert.True(measured.Ok, $"{label}: the optimized model does not run: {measured}");
        // The optimized file carries the offline plan; the importer reads it, as TFLM does.
        AssertMatches(label + " optimized", TflmArenaModel.Compute(Load(optimizedPath!)), measured);
        Assert.True(measured.HeadBytes <= original.HeadBytes, $"{label}: TFLM head {measured.HeadBytes} B after optimize, {original.HeadBytes} B before");
    }

    [SkippableFact]
    public void Random_models_before_and_after_optimize_match_tflm()
    {
        TflmRunner.Binary();
        PipelineHost.RequirePasses("tmm", "order", "arena", "verify", "lower");
        var folder = Directory.CreateTempSubdirectory("graphdsl-tflm-arena-");
        var failures = new List<string>();
        const int count = 60;
        for (int seed = 0; seed < count; seed++)
        {
            var original = Path.Combine(folder.FullName, $"random{seed}.tflite");
            File.WriteAllBytes(original, RandomTfliteModels.Build(seed));
            var model = Load(original);
            var before = TflmRunner.Run(original, seeds: 1);
            if (!before.Ok) { failures.Add($"seed {seed}: the original does not run: {before}"); continue; }
            var predictedBefore = TflmArenaModel.Compute(model);
            if (predictedBefore.HeadBytes != before.HeadBytes)
                failures.Add($"seed {seed}: stored head predicted {predictedBefore.HeadBytes} B, TFLM {before.HeadBytes} B");
            if (predictedBefore.TailBytes != before.TailBytes || predictedBefore.TotalBytes != before.ArenaUsedBytes)
                failures.Add($"seed {seed}: stored tail/arena_used predicted {predictedBefore.TailBytes}/{predictedBefore.TotalBytes} B, TFLM {before.TailBytes}/{before.ArenaUsedBytes} B");

            var run = PipelineHost.Run(model, original);
            if (!run.Succeeded || !run.Artifacts.TryGetValue("model.tflite", out var bytes)) { failures.Add($"seed {seed}: optimize: {run}"); continue; }
            var optimized = Path.Combine(folder.FullName, $"random{seed}.opt.tflite");
            File.WriteAllBytes(optimized, bytes);
            var after = TflmRunner.Run(optimized, seeds: 1);
            var predictedAfter = TflmArenaModel.Compute(Load(optimized));
            if (!after.Ok) failures.Add($"seed {seed}: the optimized model does not run: {after}");
            else if (predictedAfter.HeadBytes != after.HeadBytes)
                failures.Add($"seed {seed}: optimized head predicted {predictedAfter.HeadBytes} B, TFLM {after.HeadBytes} B");
            else if (predictedAfter.TailBytes != after.TailBytes || predictedAfter.TotalBytes != after.ArenaUsedBytes)
                failures.Add($"seed {seed}: optimized tail/arena_used predicted {predictedAfter.TailBytes}/{predictedAfter.TotalBytes} B, TFLM {after.TailBytes}/{after.ArenaUsedBytes} B");
            else if (after.HeadBytes > before.HeadBytes)
                failures.Add($"seed {seed}: TFLM head {after.HeadBytes} B after optimize, {before.HeadBytes} B before");
        }
        output.WriteLine($"{count} random models, TFLM {TflmRunner.TflmCommit}: {failures.Count} mismatches");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        folder.Delete(recursive: true);
    }
}

/// <summary>TFLM's GreedyMemoryPlanner rules on hand-worked examples (greedy_memory_planner.cc).</summary>
public sealed class TflmGreedyPlannerTests
{
    [Fact]
    public void Equal_sizes_go_highest_request_first()
    {
        // Two 32-byte buffers alive together at scope 1: TFLM collects online buffers from the
        // last one backwards and its bubble sort keeps equal sizes in that order, so request 1 is
        // placed first, at 0, and request 0 above it.
        var (offsets, head) = TflmGreedyPlanner.Plan([new(32, 0, 1), new(32, 1, 2)]);
        Assert.Equal([32L, 0L], offsets);
        Assert.Equal(64, head);
    }

    [Fact]
    public void Larger_first_then_the_lowest_gap_among_buffers_alive_at_the_same_time()
    {
        // 48 B [0,1] goes first at 0; 16 B [2,3] overlaps nothing placed so far in time: 0;
        // 32 B [1,2] overlaps both: above the 48 B one, at 48. Head 80.
        var (offsets, head) = TflmGreedyPlanner.Plan([new(16, 2, 3), new(48, 0, 1), new(32, 1, 2)]);
        Assert.Equal([0L, 0L, 48L], offsets);
        Assert.Equal(80, head);
    }

    [Fact]
    public void Offline_buffers_stay_put_and_online_ones_fill_the_gaps_around_them()
    {
        // The offline 16 B at 32 leaves [0,32) free: the online 32 B fits below it, the online
        // 16 B (alive with both) goes above it at 48.
        var (offsets, head) = TflmGreedyPlanner.Plan([new(32, 0, 1), new(16, 0, 1, 32), new(16, 0, 1)]);
        Assert.Equal([0L, 32L, 48L], offsets);
        Assert.Equal(64, head);
    }
}

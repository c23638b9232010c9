using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.TestKit;
using GraphDsl.TestKit.Tflite;
using GraphDsl.TestKit.Tflm;
using GraphDsl.Tiling;
using Xunit;
using Xunit.Abstractions;

namespace GraphDsl.Tflm.Tests;

/// <summary>Row-band tiling on the real TFLM: regions of random int8 models
/// (<see cref="RandomTfliteModels"/>) and of corpus models tiled with random band counts, planned
/// (row SLICEs as views, band outputs as in-place CONCATENATION slices), lowered and run: the
/// outputs must equal the untiled model's over 8 input seeds, and TFLM must place every tensor at
/// the written offset.</summary>
public sealed class TilingOnTflmTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Random_regions_of_random_models_in_random_band_counts_give_identical_outputs_on_tflm()
    {
        TflmRunner.Binary();
        PipelineHost.RequirePasses("arena", "verify", "lower");
        var folder = Directory.CreateTempSubdirectory("graphdsl-tiling-tflm-");
        var random = new Random(16);
        int tiled = 0, slices = 0, concats = 0;
        for (int seed = 0; seed < 400 && tiled < 16; seed++)
        {
            var path = Path.Combine(folder.FullName, $"random{seed}.tflite");
            File.WriteAllBytes(path, RandomTfliteModels.Build(seed));
            var model = ModelLoader.Load(path).Model!;
            var main = model.Main;
            var regions = Regions(main).ToArray();
            if (regions.Length == 0) continue;
            var region = regions[random.Next(regions.Length)];
            long rows = main.Tensor(region.Output).Type.Shape.Dims[1].Value!.Value;
            int bands = random.Next(2, (int)Math.Min(rows, 24) + 1);
            Graph banded;
            try { banded = RowBandTiler.Tile(main, region, bands); }
            catch (ArgumentException) { continue; }
            var (fingerprint, kinds) = LowerAndRun(model, banded, path, $"seed {seed}, {region.Operators.Count} ops -> '{region.Output}' in {bands} bands");
            var before = TflmRunner.Run(path);
            Assert.True(before.Ok, before.ToString());
            Assert.True(before.OutputFingerprint == fingerprint, $"seed {seed}: {region.Operators.Count} operators in {bands} bands changed the outputs");
            output.WriteLine($"seed {seed}: {string.Join(" ", region.Operators.Select(i => main.Operators[i].OpType))} in {bands} bands: outputs equal ({string.Join(",", kinds)})");
            tiled++;
            if (kinds.Contains("slice")) slices++;
            if (kinds.Contains("concat")) concats++;
        }
        folder.Delete(recursive: true);
        Assert.True(tiled >= 8, $"only {tiled} random models had a region to tile");
        // The point of the arena rules: band slices are views and band outputs land in place.
        Assert.True(slices >= tiled / 2 && concats >= tiled / 2, $"{slices} plans with slice views, {concats} with in-place concat, of {tiled}");
    }

    /// <summary>The default pipeline (tile search without time limit) on TFLM: outputs identical over 8 seeds, TFLM's head and
    /// kTensorArenaSize (arena_used_bytes) exactly what the arena pass predicted for the written
    /// model, and both lower than the stored model's and at most a bound: for MobileNetV2 the head
    /// of the two-region schedule in ../shared/notes/tiling-estimate.md (421,056 B) and less than
    /// the 856,608 B kTensorArenaSize one region gave; for the others what tiling one region at a
    /// time measured on TFLM (README, TFLM table at 9a2c052), which choosing regions jointly must
    /// not make worse; for person_detect the issue's head target (36,864 B, issue 16), which the
    /// tiled graph's re-ordering reaches by default, and the 73,520 B kTensorArenaSize without it.</summary>
    [SkippableTheory]
    [InlineData("person_detect.tflite", 36_864, 73_520 - 1)]
    [InlineData("vww_96_int8.tflite", 46_080, 77_104)]
    [InlineData("pretrainedResnet_quant.tflite", 32_768, 44_128)]
    [InlineData("mobilenet_v2_quantized_1x3x224x224.tflite", 421_056, 856_608 - 1)]
    public void Default_pipeline_tiles_corpus_models_below_their_stored_arena_with_identical_outputs(string file, long maxHead, long maxArena)
    {
        var path = CorpusModels.PathOf(file);
        TflmRunner.Binary();
        PipelineHost.RequirePasses("tmm", "order", "tile", "arena", "verify", "lower");
        // The default pipeline without the tile search's time budget: what a budget reaches depends
        // on the machine's load, what the search finds does not.
        var run = PipelineHost.Run(ModelLoader.Load(path).Model!, path, "tmm,order,tile{budget-ms=0},arena,verify,lower");
        Assert.True(run.Succeeded, run.ToString());
        var tiling = TilingAnnotation.Read(run.Model!.Main);
        Assert.NotNull(tiling);
        var (before, after) = OnTflm(path, run.Artifacts["model.tflite"]);
        Assert.True(after.HeadBytes < before.HeadBytes, $"TFLM head {before.HeadBytes} -> {after.HeadBytes} B");
        // What the device needs (kTensorArenaSize = arena_used_bytes()) shrinks too: band operators
        // add op data to the persistent section, which the search counts.
        Assert.True(after.ArenaUsedBytes < before.ArenaUsedBytes, $"TFLM arena_used {before.ArenaUsedBytes} -> {after.ArenaUsedBytes} B");
        var predicted = ArenaAnnotation.Tflm(run.Model.Main);
        Assert.NotNull(predicted);
        Assert.Equal(predicted.Written.HeadBytes, after.HeadBytes);
        Assert.Equal(predicted.Written.ArenaBytes, after.ArenaUsedBytes);
        // The search predicts with a greedy placement; the arena pass's own strategy may place
        // tighter, never looser (it keeps the smaller arena).
        Assert.True(after.ArenaUsedBytes <= tiling.ArenaAfterBytes, $"TFLM arena_used {after.ArenaUsedBytes} B above the search's {tiling.ArenaAfterBytes} B");
        Assert.InRange(tiling.MacOverhead, 0, tiling.MaxMacOverhead);
        output.WriteLine($"{file}: TFLM head {before.HeadBytes} -> {after.HeadBytes} B, arena_used {before.ArenaUsedBytes} -> {after.ArenaUsedBytes} B, MACs +{100 * tiling.MacOverhead:F1}%, " +
            $"regions {string.Join(", ", tiling.Regions.Select(r => $"{r.Operators} ops in {r.Bands} bands"))}");
        Assert.True(after.HeadBytes <= maxHead, $"TFLM head {after.HeadBytes} B, at most {maxHead} B expected");
        Assert.True(after.ArenaUsedBytes <= maxArena, $"TFLM arena_used {after.ArenaUsedBytes} B, at most {maxArena} B expected");
    }

    /// <summary>Issue #16's head targets (the notes' figures are heads): with
    /// <c>tile{minimize-head=true}</c> person_detect's head reaches 36,864 B, vww_96_int8's goes
    /// below 55,296 B and MobileNetV2's below the notes' two-region 421,056 B on TFLM, outputs
    /// identical and the head as predicted. (The default minimizes kTensorArenaSize instead.)</summary>
    [SkippableTheory]
    [InlineData("person_detect.tflite", 36_864)]
    [InlineData("vww_96_int8.tflite", 55_296 - 1)]
    [InlineData("mobilenet_v2_quantized_1x3x224x224.tflite", 421_056)]
    public void Minimizing_the_head_reaches_the_issues_head_targets(string file, long target)
    {
        var path = CorpusModels.PathOf(file);
        TflmRunner.Binary();
        PipelineHost.RequirePasses("tmm", "order", "tile", "arena", "verify", "lower");
        var run = PipelineHost.Run(ModelLoader.Load(path).Model!, path, "tmm,order,tile{minimize-head=true,budget-ms=0},arena,verify,lower");
        Assert.True(run.Succeeded, run.ToString());
        var (before, after) = OnTflm(path, run.Artifacts["model.tflite"]);
        Assert.Equal(ArenaAnnotation.Tflm(run.Model!.Main)?.Written.HeadBytes, after.HeadBytes);
        var tiling = TilingAnnotation.Read(run.Model.Main)!;
        output.WriteLine($"{file}: TFLM head {before.HeadBytes} -> {after.HeadBytes} B (arena_used {before.ArenaUsedBytes} -> {after.ArenaUsedBytes} B), MACs +{100 * tiling.MacOverhead:F1}%, " +
            $"regions {string.Join(", ", tiling.Regions.Select(r => $"{r.Operators} ops in {r.Bands} bands"))}");
        Assert.True(after.HeadBytes <= target, $"TFLM head {before.HeadBytes} -> {after.HeadBytes} B, target {target} B");
    }

    /// <summary>The original model and <paramref name="written"/> (its optimized bytes) on TFLM: both
    /// runs, after checking the written one runs and gives identical outputs for every seed.</summary>
    private static (TflmRunResult Before, TflmRunResult After) OnTflm(string path, byte[] written)
    {
        var folder = Directory.CreateTempSubdirectory("graphdsl-tiling-");
        try
        {
            var file = Path.Combine(folder.FullName, Path.GetFileName(path));
            File.WriteAllBytes(file, written);
            var before = TflmRunner.Run(path);
            var after = TflmRunner.Run(file);
            Assert.True(after.Ok, after.ToString());
            Assert.Equal(before.OutputFingerprint, after.OutputFingerprint);
            return (before, after);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Regions between two cut tensors that hold at least one window operator.</summary>
    private static IEnumerable<TilingRegion> Regions(Graph main)
    {
        var cuts = TilingSearch.CutPoints(main);
        foreach (var (a, x) in cuts)
            foreach (var (b, y) in cuts)
            {
                if (b <= a || TilingRegion.Between(main, x, y, out _) is not { } region) continue;
                if (region.Rules.Any(r => r.Kind == BandKind.Window) && main.Tensor(y).Type.Shape.Dims[1].Value >= 2) yield return region;
            }
    }

    /// <summary>Plans, verifies and lowers <paramref name="graph"/> over the source file, runs it on
    /// TFLM, checks TFLM used the written offsets; the output fingerprint and the alias kinds used.</summary>
    private static (string Fingerprint, HashSet<string> Kinds) LowerAndRun(Model model, Graph graph, string source, string label)
    {
        var ordered = ExecutionOrderAnnotation.Write(graph, ExecutionOrder.Stored(graph));
        var run = PipelineHost.Run(model.WithMain(ordered), source, "arena,verify,lower");
        Assert.True(run.Succeeded && run.Artifacts.ContainsKey("model.tflite"), $"{label}: {run}");
        var bytes = run.Artifacts["model.tflite"];
        var written = Path.ChangeExtension(source, ".tiled.tflite");
        File.WriteAllBytes(written, bytes);
        var after = TflmRunner.Run(written);
        Assert.True(after.Ok, $"{label}: {after} {string.Join(" | ", after.Log)}");
        var plan = new RawTflite(bytes).OfflinePlan();
        if (plan is not null)
        {
            var placed = after.Tensors.Where(t => t.Subgraph == 0).ToDictionary(t => t.Index, t => t.Offset);
            for (int i = 3; i < plan.Length; i++)
                if (plan[i] >= 0) Assert.True(placed.TryGetValue(i - 3, out var at) && at == plan[i], $"{label}: tensor {i - 3} planned at {plan[i]}");
        }
        var kinds = run.Model!.Main.Tensors
            .Select(t => t.Annotations[WellKnownAnnotations.Alias] is AttributeValue.Record r && r.Fields["reason"] is AttributeValue.Str s ? s.Value : null)
            .OfType<string>().ToHashSet();
        return (after.OutputFingerprint, kinds);
    }
}

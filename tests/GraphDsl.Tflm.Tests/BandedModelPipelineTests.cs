using GraphDsl.Importers.Tflite;
using GraphDsl.TestKit;
using GraphDsl.TestKit.Tflite;
using GraphDsl.TestKit.Tflm;
using Xunit;
using Xunit.Abstractions;

namespace GraphDsl.Tflm.Tests;

/// <summary>A graph changed by a rewrite (one layer split into row bands by
/// <see cref="RowBands"/>, standing in for a tiling pass) goes through the whole <c>optimize</c>
/// pipeline (order, arena, verify, lower) and the written .tflite runs on TFLM with the same
/// outputs as the original model, every tensor at the offset of the written plan.</summary>
public sealed class BandedModelPipelineTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("person_detect.tflite", "DEPTHWISE_CONV_2D", 4)]
    [InlineData("vww_96_int8.tflite", "CONV_2D", 3)]
    public void Banded_model_optimized_by_the_pipeline_runs_identically_on_tflm(string file, string type, int bands)
    {
        TflmRunner.Binary();
        var path = CorpusModels.PathOf(file);
        var model = TfliteImporter.Import(path).Model!;
        var main = model.Main;
        int opIndex = main.Operators.Select((op, i) => (op, i)).First(x => x.op.OpType == type && RowBands.KernelHeight(main, x.op) > 1).i;
        var banded = model.WithMain(RowBands.Split(main, opIndex, bands).Graph);

        // Without the tile pass: the test follows the hand-banded graph through order/arena/lower,
        // tensor for tensor (the default pipeline would tile it further).
        var outcome = PipelineHost.Run(banded, path, "tmm,order,arena,verify,lower");
        Assert.True(outcome.Succeeded, outcome.ToString());
        var written = outcome.Artifacts["model.tflite"];
        var dir = Directory.CreateTempSubdirectory("graphdsl-banded-");
        try
        {
            var file2 = Path.Combine(dir.FullName, "banded.tflite");
            File.WriteAllBytes(file2, written);
            var before = TflmRunner.Run(path);
            var after = TflmRunner.Run(file2);
            Assert.True(after.Ok, after.ToString());
            Assert.Equal(before.OutputFingerprint, after.OutputFingerprint);

            var plan = new RawTflite(written).OfflinePlan();
            Assert.NotNull(plan);
            Assert.Equal(3 + banded.Main.Tensors.Count, plan!.Length);
            int atPlan = 0;
            foreach (var t in after.Tensors.Where(t => t.Subgraph == 0 && plan[3 + t.Index] >= 0))
            {
                Assert.Equal(plan[3 + t.Index], t.Offset);
                atPlan++;
            }
            Assert.Equal(plan.Skip(3).Count(o => o >= 0), atPlan);
            output.WriteLine($"{file}: {type} in {bands} bands, {banded.Main.Operators.Count - main.Operators.Count} operators added; " +
                             $"TFLM head {before.HeadBytes} B (original) -> {after.HeadBytes} B (banded, optimized), outputs identical over " +
                             $"{TflmRunner.DefaultSeeds} seeds, {atPlan} tensors at their planned offset");
        }
        finally
        {
            dir.Delete(true);
        }
    }
}

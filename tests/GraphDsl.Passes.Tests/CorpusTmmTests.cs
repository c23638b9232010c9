using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Passes.Tests;

/// <summary>TMM of every operator of every corpus model that GraphDsl can load, against the
/// independent lifetime sweep.</summary>
public class CorpusTmmTests
{
    public static IEnumerable<object[]> Models() =>
        ModelLoader.SupportedExtensions.Where(e => e != ".gdsl").SelectMany(CorpusModels.TheoryData);

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Every_operator_of_the_model_matches_the_lifetime_sweep(string file)
    {
        var loaded = ModelLoader.Load(CorpusModels.PathOf(file));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        var run = BuiltInPasses.Run("tmm", loaded.Model!);
        Assert.True(run.Succeeded, string.Join("\n", run.Diagnostics));
        AssertMatchesOracle(loaded.Model!.Main, run.Model.Main);
    }

    [SkippableFact]
    public void PP_OCR_detection_at_the_benchmark_size_is_a_640x640_page_and_matches_the_lifetime_sweep()
    {
        var path = CorpusModels.PathOf("ch_PP-OCRv4_det_infer.onnx");
        var (dims, why) = RealisticDims.For(path);
        Assert.Equal(["p2o.DynamicDimension.0=1", "p2o.DynamicDimension.1=640", "p2o.DynamicDimension.2=640"], dims);
        Assert.Contains("1x3x640x640", why);
        var loaded = ModelLoader.Load(path, dims);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        var graph = loaded.Model!.Main;
        Assert.Null(graph.Attributes[WellKnownAttributes.AssumedDims]);  // nothing left at the default 1
        var input = graph.Tensor(Assert.Single(graph.Inputs));
        Assert.Equal(1L * 3 * 640 * 640 * 4, input.ByteSize);  // f32 NCHW page
        var run = BuiltInPasses.Run("tmm", loaded.Model);
        Assert.True(run.Succeeded, string.Join("\n", run.Diagnostics));
        AssertMatchesOracle(graph, run.Model.Main);
    }

    /// <summary>Compares every <c>@memory</c> and the <c>@tmm</c> summary of <paramref name="annotated"/>
    /// with the sweep over <paramref name="original"/> in its current order.</summary>
    public static void AssertMatchesOracle(Graph original, Graph annotated)
    {
        var order = ExecutionOrder.Current(original);
        var (rows, peak, bound) = LifetimeSweepOracle.Compute(original, order);
        foreach (var row in rows)
        {
            var memory = (AttributeValue.Record)annotated.Operators[row.Operator].Annotations[WellKnownAnnotations.Memory]!;
            Assert.Equal((row.Operator, row.Inputs, row.Outputs, row.Other, row.Total),
                (row.Operator, memory.Fields["inputs"]!.AsInt()!.Value, memory.Fields["outputs"]!.AsInt()!.Value,
                 memory.Fields["other"]!.AsInt()!.Value, memory.Fields["total"]!.AsInt()!.Value));
        }
        var tmm = (AttributeValue.Record)annotated.Annotations["tmm"]!;
        Assert.Equal(peak, tmm.Fields["peak_bytes"]!.AsInt());
        Assert.Equal(bound, tmm.Fields["largest_operator_bytes"]!.AsInt());
        var peakStep = (int)tmm.Fields["peak_step"]!.AsInt()!.Value;
        Assert.Equal(Array.FindIndex(rows, r => r.Total == peak), peakStep);
        Assert.Equal(order[peakStep], tmm.Fields["peak_operator"]!.AsInt());
        // The tensors named at the peak are exactly those the sweep finds alive then, largest first.
        var alive = LifetimeSweepOracle.AliveAt(original, order, peakStep);
        var named = ((AttributeValue.List)tmm.Fields["peak_tensors"]!).Items.Select(i => ((AttributeValue.Str)i).Value).ToArray();
        Assert.Equal(alive.Keys.Order(StringComparer.Ordinal), named.Order(StringComparer.Ordinal));
        Assert.Equal(peak, named.Sum(n => alive[n]));
        Assert.Equal(named.Select(n => alive[n]).OrderDescending(), named.Select(n => alive[n]));
    }
}

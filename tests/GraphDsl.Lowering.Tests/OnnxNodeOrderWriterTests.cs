using GraphDsl.Lowering.Onnx;
using GraphDsl.TestKit;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace GraphDsl.Lowering.Tests;

public sealed class OnnxNodeOrderWriterTests
{
    /// <summary>A topological order unlike the stored one: Kahn's algorithm always taking the
    /// ready node with the highest index. Computed here from the node names only.</summary>
    private static int[] LatestFirstOrder(IReadOnlyList<OnnxNode> nodes)
    {
        var producer = new Dictionary<string, int>();
        foreach (var n in nodes) foreach (var o in n.Outputs) producer.TryAdd(o, n.Index);
        var deps = nodes.Select(n => n.Inputs.Where(producer.ContainsKey).Select(i => producer[i]).Where(p => p != n.Index).ToHashSet()).ToArray();
        var done = new bool[nodes.Count];
        var order = new List<int>();
        while (order.Count < nodes.Count)
        {
            int next = Enumerable.Range(0, nodes.Count).Last(i => !done[i] && deps[i].All(d => done[d]));
            done[next] = true;
            order.Add(next);
        }
        return order.ToArray();
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Reordered_file_holds_the_same_nodes_in_the_requested_order_and_nothing_else_changes(string file)
    {
        var bytes = File.ReadAllBytes(CorpusModels.PathOf(file));
        var nodes = OnnxNodeOrderWriter.ReadNodes(bytes, out var error);
        Assert.True(nodes is not null, error);
        Assert.NotEmpty(nodes!);

        // The identity order must give back the very same bytes.
        Assert.Equal(bytes, OnnxNodeOrderWriter.Reorder(bytes, Enumerable.Range(0, nodes!.Count).ToArray(), out error));

        var order = LatestFirstOrder(nodes);
        var rewritten = OnnxNodeOrderWriter.Reorder(bytes, order, out error);
        Assert.True(rewritten is not null, error);
        Assert.Equal(bytes.Length, rewritten!.Length);
        if (!order.SequenceEqual(Enumerable.Range(0, order.Length))) Assert.NotEqual(bytes, rewritten);
        var after = OnnxNodeOrderWriter.ReadNodes(rewritten, out error)!;
        for (int k = 0; k < order.Length; k++)
        {
            var expected = nodes[order[k]];
            Assert.Equal(expected.OpType, after[k].OpType);
            Assert.Equal(expected.Name, after[k].Name);
            Assert.Equal(expected.Inputs, after[k].Inputs);
            Assert.Equal(expected.Outputs, after[k].Outputs);
        }
        // Same multiset of bytes: only whole node entries moved.
        Assert.Equal(bytes.Order().ToArray(), rewritten.Order().ToArray());
    }

    public static IEnumerable<object[]> Models() => CorpusModels.TheoryData(".onnx");

    [SkippableTheory]
    [InlineData("mobilenet_v2_128_0.5.onnx")]
    [InlineData("light_squeezenet.onnx")]
    [InlineData("light_inception_v1.onnx")]
    public void OnnxRuntime_gives_the_same_outputs_for_the_original_and_the_reordered_model(string file)
    {
        var bytes = File.ReadAllBytes(CorpusModels.PathOf(file));
        var nodes = OnnxNodeOrderWriter.ReadNodes(bytes, out _)!;
        var rewritten = OnnxNodeOrderWriter.Reorder(bytes, LatestFirstOrder(nodes), out var error);
        Assert.True(rewritten is not null, error);
        AssertSameOutputs(bytes, rewritten!);
    }

    [SkippableTheory]
    [InlineData("mobilenet_v2_128_0.5.onnx")]
    [InlineData("light_squeezenet.onnx")]
    public void The_lower_pass_output_of_the_default_pipeline_runs_like_the_original(string file)
    {
        var path = CorpusModels.PathOf(file);
        PipelineHost.RequirePasses("tmm", "order", "arena", "verify", "lower");
        var read = GraphDsl.Loading.ModelLoader.Load(path);
        Assert.True(read.Succeeded, string.Join("\n", read.Diagnostics));
        var run = PipelineHost.Run(read.Model!, path);
        Assert.True(run.Succeeded, run.ToString());
        var bytes = File.ReadAllBytes(path);
        var lowered = run.Artifacts["model.onnx"];
        // Stored node order: the planned operators, in plan order, among the file's nodes.
        var nodes = OnnxNodeOrderWriter.ReadNodes(lowered, out _)!;
        var main = run.Model!.Main;
        var planned = main.Operators.Select((o, i) => (Step: o.Annotations["order"]!.AsInt()!.Value, First: o.PresentOutputs.First()))
            .OrderBy(x => x.Step).Select(x => x.First).ToList();
        var stored = nodes.Select(n => n.Outputs.FirstOrDefault()).Where(planned.Contains).ToList();
        Assert.Equal(planned, stored);
        AssertSameOutputs(bytes, lowered);
    }

    /// <summary>Same outputs, bit for bit, on one random input: reordering changes no computation.</summary>
    private static void AssertSameOutputs(byte[] bytes, byte[] rewritten) =>
        OnnxRuntimeCheck.AssertSameOutputs(bytes, rewritten, inputs: 1, seed: 1234, absolute: 0, relative: 0);

    [Fact]
    public void Malformed_bytes_give_a_reason_not_an_exception()
    {
        Assert.Null(OnnxNodeOrderWriter.ReadNodes(new byte[] { 0x3A, 0x7F, 0x01 }, out var error));
        Assert.Contains("length", error);
        Assert.Null(OnnxNodeOrderWriter.ReadNodes("TFL3 not onnx"u8.ToArray(), out error));
        Assert.NotNull(error);
    }
}

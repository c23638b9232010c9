using System.Buffers.Binary;
using GraphDsl.Importers.Tflite;
using GraphDsl.Importers.Tflite.Tests.TestModels;
using GraphDsl.Ir;
using Xunit;

namespace GraphDsl.Lowering.Tflite.Tests;

/// <summary>Checks one rewrite against the original by re-importing both and reading the raw bytes.</summary>
internal static class RewriteCheck
{
    /// <summary>A topological order that runs the highest-numbered ready operator first: valid, and
    /// different from the stored order whenever the graph has any freedom.</summary>
    public static int[] ReverseWhereValid(Graph g)
    {
        int n = g.Operators.Count;
        var pending = new int[n];
        var users = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        for (int op = 0; op < n; op++)
        {
            foreach (var producer in g.Operators[op].PresentInputs.Select(g.ProducerOf).Where(p => p >= 0 && p != op).Distinct())
            {
                pending[op]++;
                users[producer].Add(op);
            }
        }
        var ready = new SortedSet<int>(Enumerable.Range(0, n).Where(i => pending[i] == 0));
        var order = new List<int>();
        while (ready.Count > 0)
        {
            int op = ready.Max;
            ready.Remove(op);
            order.Add(op);
            foreach (var u in users[op]) if (--pending[u] == 0) ready.Add(u);
        }
        Assert.Equal(n, order.Count);
        return order.ToArray();
    }

    /// <summary>Any plan: activations at made-up offsets, everything else runtime-planned.</summary>
    public static int[] ArbitraryPlan(Graph g) =>
        g.Tensors.Select((t, i) => t.IsActivation ? i * 48 : -1).ToArray();

    public static byte[] RewriteAndCheck(byte[] original, string path, int[] order, int[] plan)
    {
        var rewritten = TfliteRewriter.Rewrite(original, order, plan);
        var before = TfliteImporter.Import(original, path).Model!;
        var afterResult = TfliteImporter.Import(rewritten, path);
        Assert.True(afterResult.Succeeded, string.Join("\n", afterResult.Diagnostics));
        var after = afterResult.Model!;

        // Graphs equal apart from subgraph 0's operator order.
        Assert.Equal(before.Graphs.Count, after.Graphs.Count);
        for (int g = 0; g < before.Graphs.Count; g++)
        {
            var b = before.Graphs[g];
            var a = after.Graphs[g];
            // The written plan shows up as offline_offset on re-import (the importer reads a model's
            // own plan); everything else about the tensors is unchanged.
            static IEnumerable<Tensor> WithoutPlan(IEnumerable<Tensor> tensors) =>
                tensors.Select(t => t with { Attributes = t.Attributes.Without(WellKnownAttributes.OfflineOffset) });
            Assert.Equal(WithoutPlan(b.Tensors), WithoutPlan(a.Tensors));
            Assert.Equal((b.Name, b.Inputs, b.Outputs, b.Attributes), (a.Name, a.Inputs, a.Outputs, a.Attributes));
            var expectedOps = g == 0 ? order.Select(i => b.Operators[i]).ToArray() : b.Operators.ToArray();
            Assert.Equal(expectedOps, a.Operators.ToArray());
        }

        // Model attributes equal apart from the plan's metadata entry.
        Assert.Equal(before.Attributes.Without("metadata"), after.Attributes.Without("metadata"));
        Assert.Equal(MetadataWithoutPlan(before), MetadataWithoutPlan(after));

        // Raw checks: every original buffer's bytes unchanged and inline data 16-byte aligned.
        var rawBefore = new RawTfliteReader(original);
        var rawAfter = new RawTfliteReader(rewritten);
        for (uint i = 0; i < rawBefore.BufferCount; i++)
        {
            if (rawBefore.Metadata().Any(m => m.Name == OfflineMemoryAllocation.MetadataName && m.Buffer == i)) continue;
            Assert.Equal(rawBefore.BufferBytes(i), rawAfter.BufferBytes(i));
            if (rawAfter.BufferBytes(i).Length > 0) Assert.Equal(0, rawAfter.BufferDataPosition(i) % 16);
        }

        // The plan entry, decoded independently.
        var entry = Assert.Single(rawAfter.Metadata(), m => m.Name == OfflineMemoryAllocation.MetadataName);
        var bytes = rawAfter.BufferBytes(entry.Buffer);
        int total = Enumerable.Range(0, rawBefore.SubgraphCount).Sum(g => rawBefore.Tensors(g).Count);
        Assert.Equal(4 * (3 + total), bytes.Length);
        var words = Enumerable.Range(0, bytes.Length / 4).Select(k => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * k))).ToArray();
        Assert.Equal(new[] { 0, 0, total }, words[..3]);
        Assert.Equal(plan, words[3..(3 + plan.Length)]);
        Assert.All(words[(3 + plan.Length)..], w => Assert.Equal(-1, w));

        // Idempotent: the output rewritten with its own (identity) order and the same plan is unchanged.
        var again = TfliteRewriter.Rewrite(rewritten, Enumerable.Range(0, order.Length).ToArray(), plan);
        Assert.Equal(rewritten, again);
        return rewritten;
    }

    private static AttributeValue[] MetadataWithoutPlan(Model m) =>
        m.Attributes["metadata"] is AttributeValue.List l
            ? l.Items.Where(i => ((AttributeValue.Record)i).Fields["name"] != new AttributeValue.Str(OfflineMemoryAllocation.MetadataName)).ToArray()
            : [];
}

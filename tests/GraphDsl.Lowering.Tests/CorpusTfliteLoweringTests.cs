using GraphDsl.Importers.Tflite;
using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Lowering.Tests;

/// <summary>The deliverable for every corpus .tflite: the default pipeline's <c>model.tflite</c>,
/// checked by reading its bytes directly and by re-importing it.</summary>
public sealed class CorpusTfliteLoweringTests
{
    public static IEnumerable<object[]> Models() => CorpusModels.TheoryData(".tflite");

    /// <summary>The default pipeline without tiling: the re-import check compares the written
    /// model with the input tensor for tensor, which holds only when no pass rewrote the graph
    /// (tiled models are checked on TFLM in GraphDsl.Tflm.Tests.TilingOnTflmTests).</summary>
    private const string ReorderOnly = "tmm,order,arena,verify,lower";

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Optimized_model_reimports_stores_a_topological_order_and_carries_a_sound_offline_plan(string file)
    {
        var path = CorpusModels.PathOf(file);
        PipelineHost.RequirePasses("tmm", "order", "arena", "verify", "lower");
        var read = ModelLoader.Load(path);
        Assert.True(read.Succeeded, string.Join("\n", read.Diagnostics));
        var run = PipelineHost.Run(read.Model!, path, ReorderOnly);
        Assert.True(run.Succeeded, run.ToString());
        var optimized = run.Model!.Main;
        var bytes = run.Artifacts["model.tflite"];

        // 1. It re-imports, to the same tensors and the same operators, only stored differently.
        var again = TfliteImporter.Import(bytes, "optimized.tflite");
        Assert.True(again.Succeeded, string.Join("\n", again.Diagnostics));
        var original = read.Model!.Main;
        var main = again.Model!.Main;
        // The written offline plan comes back as each tensor's offline_offset attribute; 3 checks the plan from the raw metadata.
        Assert.Equal(original.Tensors, main.Tensors.Select(t => t with { Attributes = t.Attributes.Without(WellKnownAttributes.OfflineOffset) }));
        Assert.Equal(original.Operators.Select(Key).Order(), main.Operators.Select(Key).Order());
        Assert.Equal(read.Model.Graphs.Skip(1), again.Model.Graphs.Skip(1));

        // 2. Raw bytes: subgraph 0 holds the original operators in the planned order, topologically.
        var rawIn = new RawTflite(File.ReadAllBytes(path));
        var rawOut = new RawTflite(bytes);
        var order = ExecutionOrderOf(optimized);
        var before = rawIn.MainOperators();
        var after = rawOut.MainOperators();
        Assert.Equal(order.Select(i => before[i].Key), after.Select(o => o.Key));
        var written = new HashSet<int>(main.Inputs.Select(main.TensorIndex));
        var producedSomewhere = after.SelectMany(o => o.Outputs).ToHashSet();
        foreach (var op in after)
        {
            foreach (var input in op.Inputs.Where(i => i >= 0 && producedSomewhere.Contains(i)))
                Assert.True(written.Contains(input), $"tensor {input} is read before it is written");
            foreach (var o in op.Outputs) written.Add(o);
        }

        // 3. The offline plan: [version 0, subgraph 0, N = all tensors, N offsets].
        var plan = rawOut.OfflinePlan();
        Assert.NotNull(plan);
        int total = Enumerable.Range(0, rawOut.SubgraphCount).Sum(rawOut.TensorCount);
        Assert.Equal([0, 0, total], plan![..3]);
        Assert.Equal(3 + total, plan.Length);
        var offsets = plan[3..];

        // 4. Every activation is placed; tensors alive together under the stored order never
        // share bytes unless the arena plan declared the sharing (@alias: views, in-place, concat).
        var lifetimes = PlannedGraphs.Lifetimes(main, Enumerable.Range(0, main.Operators.Count).ToArray());
        var group = AliasGroups(optimized);
        var placed = new List<(string Name, long Offset, long End, int First, int Last)>();
        for (int i = 0; i < main.Tensors.Count; i++)
        {
            var t = main.Tensors[i];
            if (!t.IsActivation) { Assert.Equal(-1, offsets[i]); continue; }
            Assert.True(offsets[i] >= 0, $"activation '{t.Name}' is not placed");
            var (first, last) = lifetimes[t.Name];
            placed.Add((t.Name, offsets[i], offsets[i] + t.ByteSize!.Value, first, last));
        }
        foreach (var a in placed)
            foreach (var b in placed)
            {
                if (string.CompareOrdinal(a.Name, b.Name) >= 0) continue;
                bool together = a.First <= b.Last && b.First <= a.Last;
                bool sameBytes = a.Offset < b.End && b.Offset < a.End;
                if (together && sameBytes)
                    Assert.True(group(a.Name) == group(b.Name), $"'{a.Name}' and '{b.Name}' are alive together and overlap");
            }

        // 4b. The pass hands the writer its IR graph (tables matched by content); for a graph no pass
        // changed, that is exactly the source's tables in the planned order with the plan, as the
        // order-based rewriter writes them (every table copied, none rewritten from the IR).
        var loweringPlan = LoweringPlan.TryRead(optimized, path, new GraphDsl.Ir.Diagnostics.DiagnosticBag())!;
        Assert.Equal(GraphDsl.Lowering.Tflite.TfliteRewriter.Rewrite(File.ReadAllBytes(path), loweringPlan.Order,
            loweringPlan.WritesOfflinePlan ? loweringPlan.OffsetsByTensorIndex() : null), bytes);

        // 5. The arena size is what the run reported: the highest placed byte, rounded up to the
        // plan's alignment (the arena a runtime reserves is aligned).
        long highest = placed.Count == 0 ? 0 : placed.Max(p => p.End);
        long align = GraphDsl.Analysis.Annotations.ArenaAnnotation.Alignment(optimized) ?? 1;
        Assert.Equal(GraphDsl.Analysis.Annotations.ArenaAnnotation.ArenaBytes(optimized), (highest + align - 1) / align * align);
    }

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Optimizing_the_optimized_model_changes_nothing(string file)
    {
        var path = CorpusModels.PathOf(file);
        PipelineHost.RequirePasses("tmm", "order", "arena", "verify", "lower");
        // The reorder-and-plan road is idempotent; tile is not meant to be: its MAC cap is relative
        // to the graph it is given, so a tiled model can be tiled again (a .tflite keeps no @tiling).
        var first = PipelineHost.Run(ModelLoader.Load(path).Model!, path, ReorderOnly);
        Assert.True(first.Succeeded, first.ToString());
        var dir = Directory.CreateTempSubdirectory("graphdsl-idem-").FullName;
        try
        {
            var once = Path.Combine(dir, file);
            File.WriteAllBytes(once, first.Artifacts["model.tflite"]);
            var read = ModelLoader.Load(once);
            Assert.True(read.Succeeded, string.Join("\n", read.Diagnostics));
            var second = PipelineHost.Run(read.Model!, once, ReorderOnly);
            Assert.True(second.Succeeded, second.ToString());
            Assert.Equal(first.Artifacts["model.tflite"], second.Artifacts["model.tflite"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Key(Operator o) => IrPrinter.Print(new Graph("g", EquatableArray<Tensor>.Empty, EquatableArray.Create(o with { Annotations = AttributeMap.Empty }), default, default));

    private static int[] ExecutionOrderOf(Graph g)
    {
        var order = new int[g.Operators.Count];
        for (int op = 0; op < order.Length; op++) order[g.Operators[op].Annotations["order"]!.AsInt()!.Value] = op;
        return order;
    }

    /// <summary>Tensors connected by @alias share a group (the root of the alias chain).</summary>
    private static Func<string, string> AliasGroups(Graph g) => name =>
    {
        var seen = new HashSet<string>();
        var current = name;
        while (seen.Add(current) && g.FindTensor(current)?.Annotations["alias"] is AttributeValue.Record r && r.Fields["of"] is AttributeValue.Str of)
            current = of.Value;
        return current;
    };
}

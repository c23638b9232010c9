using GraphDsl.Importers.Tflite;
using GraphDsl.Ir;
using GraphDsl.TestKit;
using GraphDsl.TestKit.Tflite;
using GraphDsl.TestKit.Tflm;
using Xunit;
using Xunit.Abstractions;

namespace GraphDsl.Lowering.Tflite.Tests;

/// <summary>Lowering an IR graph that a pass changed (operators and tensors added, removed or
/// rewritten): checked on the real TFLite Micro, outputs against the unchanged model over 8 input
/// seeds, and the tensor offsets TFLM used against the written offline plan.</summary>
public sealed class ChangedGraphTests(ITestOutputHelper output)
{
    private static readonly string Temp = Path.Combine(Path.GetTempPath(), "graphdsl-changed-graph-tests");

    /// <summary>(model, operator type, which one of that type with a kernel taller than one row, bands).</summary>
    public static TheoryData<string, string, int, int> CorpusSplits => new()
    {
        // person_detect's CONV_2Ds are all 1x1; its 3x3 layers are depthwise (the first with
        // depth_multiplier 8 and stride 2).
        { "person_detect.tflite", "DEPTHWISE_CONV_2D", 0, 2 },
        { "person_detect.tflite", "DEPTHWISE_CONV_2D", 0, 4 },
        { "person_detect.tflite", "DEPTHWISE_CONV_2D", 1, 3 },
        { "person_detect.tflite", "DEPTHWISE_CONV_2D", 2, 4 },
        { "vww_96_int8.tflite", "CONV_2D", 0, 2 },
        { "vww_96_int8.tflite", "CONV_2D", 0, 3 },
        { "vww_96_int8.tflite", "DEPTHWISE_CONV_2D", 0, 2 },
        { "vww_96_int8.tflite", "DEPTHWISE_CONV_2D", 1, 4 },
    };

    [SkippableTheory]
    [MemberData(nameof(CorpusSplits))]
    public void Corpus_operator_split_into_row_bands_gives_identical_outputs_on_tflm(string file, string type, int nth, int bands)
    {
        var path = CorpusModels.PathOf(file);
        var original = File.ReadAllBytes(path);
        var main = TfliteImporter.Import(original, path).Model!.Main;
        int opIndex = SpatialOperator(main, type, nth);
        Assert.True(RowBands.IsSplittable(main, main.Operators[opIndex]));
        // The split operator's output becomes a model output too, so it is compared byte for byte
        // (a 2-byte classifier output alone can hide a wrong row).
        var stageOutput = main.Operators[opIndex].Outputs[0]!;
        var reference = WithOutput(main, stageOutput);
        var split = RowBands.Split(reference, opIndex, bands);

        var (expected, _) = LowerAndRun(original, reference, RowBands.SeparatePlan(reference), $"{file}.reference");
        var (actual, _) = LowerAndRun(original, split.Graph, RowBands.SeparatePlan(split.Graph), $"{file}.{type}{nth}.{bands}");
        Assert.Equal(expected.OutputFingerprint, actual.OutputFingerprint);
        var (unchanged, _) = RunOnTflm(original, $"{file}.original");
        Assert.Equal(unchanged.Outputs[0].Hashes, actual.Outputs[0].Hashes);
        output.WriteLine($"{file} {type}#{nth} in {bands} bands: {actual}; model and stage outputs equal over {TflmRunner.DefaultSeeds} seeds");

        var noHalo = RowBands.Split(reference, opIndex, bands, noHalo: true).Graph;
        var (wrong, _) = LowerAndRun(original, noHalo, null, $"{file}.{type}{nth}.{bands}.nohalo");
        Assert.NotEqual(expected.Outputs[^1].Hashes, wrong.Outputs[^1].Hashes);
    }

    /// <summary>Index of the <paramref name="nth"/> operator of <paramref name="type"/> whose kernel
    /// is taller than one row (so bands need a halo).</summary>
    private static int SpatialOperator(Graph main, string type, int nth) =>
        main.Operators.Select((op, i) => (op, i)).Where(x => x.op.OpType == type && RowBands.KernelHeight(main, x.op) > 1).ElementAt(nth).i;

    private static Graph WithOutput(Graph g, string tensor) => g with { Outputs = g.Outputs.Append(tensor).ToEquatableArray() };

    [SkippableTheory]
    [InlineData("person_detect.tflite", "DEPTHWISE_CONV_2D", 0, 4)]
    [InlineData("person_detect.tflite", "DEPTHWISE_CONV_2D", 1, 3)]
    [InlineData("vww_96_int8.tflite", "CONV_2D", 0, 3)]
    public void In_place_slices_and_concatenation_give_identical_outputs_on_tflm(string file, string type, int nth, int bands)
    {
        var path = CorpusModels.PathOf(file);
        var original = File.ReadAllBytes(path);
        var main = TfliteImporter.Import(original, path).Model!.Main;
        int opIndex = SpatialOperator(main, type, nth);
        var reference = WithOutput(main, main.Operators[opIndex].Outputs[0]!);
        var split = RowBands.Split(reference, opIndex, bands);
        var g = split.Graph;
        var op = main.Operators[opIndex];
        var input = g.Tensor(op.Inputs[0]!);
        var outputTensor = g.Tensor(op.Outputs[0]!);
        // Each SLICE output is a view of its rows of the input, each band output is written
        // straight into its rows of the CONCATENATION output: both copies become no-ops.
        var plan = RowBands.SeparatePlan(g, (name, offsets) =>
        {
            foreach (var (slice, inputRow, band, outputRow) in split.Bands)
            {
                if (name == slice) return offsets[g.TensorIndex(input.Name)] + inputRow * RowBands.RowBytes(input);
                if (name == band) return offsets[g.TensorIndex(outputTensor.Name)] + outputRow * RowBands.RowBytes(outputTensor);
            }
            return null;
        });
        foreach (var (slice, _, band, _) in split.Bands)
        {
            Assert.True(Overlaps(g, plan, slice, input.Name));
            Assert.True(Overlaps(g, plan, band, outputTensor.Name));
        }

        var (expected, _) = LowerAndRun(original, reference, RowBands.SeparatePlan(reference), $"{file}.reference");
        var (actual, _) = LowerAndRun(original, g, plan, $"{file}.{type}{nth}.{bands}.inplace");
        Assert.Equal(expected.OutputFingerprint, actual.OutputFingerprint);
        output.WriteLine($"{file} {type}#{nth}, {bands} in-place bands: {actual}; outputs equal");
    }

    /// <summary>Each band gets its own weight tensor naming the original's buffer
    /// (<c>data("buffer/N")</c>): the bands share the bytes, no buffer is added for them.</summary>
    [SkippableFact]
    public void Band_weight_tensors_referencing_the_original_buffer_share_it()
    {
        var path = CorpusModels.PathOf("vww_96_int8.tflite");
        var original = File.ReadAllBytes(path);
        var main = TfliteImporter.Import(original, path).Model!.Main;
        int opIndex = SpatialOperator(main, "CONV_2D", 0);
        var weights = main.Tensor(main.Operators[opIndex].Inputs[1]!);
        Assert.IsType<ConstantData.Reference>(weights.Data);
        var reference = WithOutput(main, main.Operators[opIndex].Outputs[0]!);
        var split = RowBands.Split(reference, opIndex, 3).Graph;
        int band = 0;
        var tensors = split.Tensors.ToList();
        var ops = split.Operators.Select(op =>
        {
            if (op.OpType != "CONV_2D" || op.Inputs[1] != weights.Name || !op.Outputs[0]!.Contains("/band")) return op;
            var own = weights with { Name = $"{weights.Name}/band{band++}", Attributes = AttributeMap.Empty };
            tensors.Add(own);
            var inputs = op.Inputs.ToArray();
            inputs[1] = own.Name;
            return op with { Inputs = inputs };
        }).ToList();
        Assert.Equal(3, band);
        var g = split with { Tensors = tensors.ToEquatableArray(), Operators = ops.ToEquatableArray() };

        var bytes = TfliteRewriter.Rewrite(original, g, null);
        var raw = new Importers.Tflite.Tests.TestModels.RawTfliteReader(bytes);
        var buffer = raw.Tensors(0).Single(t => t.Name == weights.Name).Buffer;
        Assert.Equal(4, raw.Tensors(0).Count(t => t.Buffer == buffer));
        int newConstants = split.Tensors.Where(t => t.Data is ConstantData.Inline && main.FindTensor(t.Name) is null)
            .Select(t => Convert.ToHexString(((ConstantData.Inline)t.Data!).Bytes.ToArray())).Distinct().Count();
        Assert.Equal(new Importers.Tflite.Tests.TestModels.RawTfliteReader(original).BufferCount + newConstants, raw.BufferCount);

        var (expected, _) = LowerAndRun(original, reference, null, "vww.reference");
        var (actual, _) = LowerAndRun(original, g, RowBands.SeparatePlan(g), "vww.ownweights");
        Assert.Equal(expected.OutputFingerprint, actual.OutputFingerprint);
    }

    [SkippableFact]
    public void Random_models_with_a_split_operator_give_identical_outputs_on_tflm()
    {
        var random = new Random(16);
        int split = 0;
        for (int seed = 0; seed < 40 && split < 10; seed++)
        {
            var original = RandomTfliteModels.Build(seed);
            var main = TfliteImporter.Import(original, $"random{seed}.tflite").Model!.Main;
            var candidates = Enumerable.Range(0, main.Operators.Count).Where(i => RowBands.IsSplittable(main, main.Operators[i])).ToArray();
            if (candidates.Length == 0) continue;
            int opIndex = candidates[random.Next(candidates.Length)];
            int rows = (int)main.Tensor(main.Operators[opIndex].Outputs[0]!).Type.Shape.Dims[1].Value!;
            int bands = random.Next(2, Math.Min(4, rows) + 1);
            var (unchanged, _) = RunOnTflm(original, $"random{seed}.original");
            if (!unchanged.Ok) continue;
            var reference = WithOutput(main, main.Operators[opIndex].Outputs[0]!);
            var (expected, _) = LowerAndRun(original, reference, null, $"random{seed}.reference");
            var banded = RowBands.Split(reference, opIndex, bands).Graph;
            var (actual, _) = LowerAndRun(original, banded, RowBands.SeparatePlan(banded), $"random{seed}.split");
            Assert.True(expected.OutputFingerprint == actual.OutputFingerprint,
                $"random model {seed}: {main.Operators[opIndex].OpType} (operator {opIndex}) in {bands} bands changed the outputs");
            output.WriteLine($"random {seed}: {main.Operators[opIndex].OpType} #{opIndex} in {bands} bands, outputs equal");
            split++;
        }
        Assert.True(split >= 5, $"only {split} random models had an operator to split");
    }

    /// <summary>Every tensor renamed: nothing matches the source, so every tensor and operator of
    /// subgraph 0 is written from the IR (the inverse of the importer), and the model re-imports to
    /// the same IR and runs identically.</summary>
    public static IEnumerable<object[]> Models => CorpusModels.TheoryData(".tflite");

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Corpus_model_written_entirely_from_the_ir_reimports_equal_and_runs_identically(string file)
    {
        var path = CorpusModels.PathOf(file);
        WrittenFromIr(File.ReadAllBytes(path), path, file);
    }

    [SkippableTheory]
    [InlineData("call_once_resource.tflite")]
    [InlineData("dup_outputs.tflite")]
    [InlineData("int4_act.tflite")]
    [InlineData("no_operators.tflite")]
    [InlineData("unused_input.tflite")]
    [InlineData("while_loop.tflite")]
    public void Edge_case_model_written_entirely_from_the_ir_reimports_equal(string file)
    {
        Skip.IfNot(CaseModels.Available, $"cases not found at {CaseModels.Directory}");
        var path = CaseModels.PathOf(file);
        WrittenFromIr(File.ReadAllBytes(path), path, file);
    }

    [SkippableFact]
    public void Random_models_written_entirely_from_the_ir_run_identically()
    {
        for (int seed = 0; seed < 8; seed++) WrittenFromIr(RandomTfliteModels.Build(seed), $"random{seed}.tflite", $"random{seed}");
    }

    private void WrittenFromIr(byte[] original, string path, string label)
    {
        var main = TfliteImporter.Import(original, path).Model!.Main;
        // Graph inputs and outputs keep their names (signatures name them by source index).
        var kept = main.Inputs.Concat(main.Outputs).ToHashSet();
        var renamed = Renamed(main, n => kept.Contains(n) ? n : "x/" + n);
        var plan = RowBands.SeparatePlan(renamed);
        var bytes = TfliteRewriter.Rewrite(original, renamed, plan);

        var back = TfliteImporter.Import(bytes, path).Model!.Main;
        Assert.Equal(renamed.Operators.Select(Plain), back.Operators.Select(Plain));
        Assert.Equal(renamed.Tensors.Select(Plain), back.Tensors.Select(Plain));
        Assert.Equal((renamed.Inputs, renamed.Outputs), (back.Inputs, back.Outputs));

        var (expected, _) = RunOnTflm(original, label + ".original");
        if (!expected.Ok)
        {
            output.WriteLine($"{label}: written from the IR and re-imported equal; TFLM refuses the original ({expected.Error}), not run");
            return;
        }
        var (actual, _) = LowerAndRun(original, renamed, plan, label + ".fromir");
        Assert.Equal(expected.OutputFingerprint, actual.OutputFingerprint);
        output.WriteLine($"{label}: written from the IR, {actual}; outputs equal");
    }

    /// <summary>A tensor inserted at the front of the table shifts every index: the graph inputs and
    /// outputs, every operator's operands and the signature's tensor maps follow it.</summary>
    [SkippableFact]
    public void Tensor_indices_shift_everywhere_when_a_tensor_is_inserted_first()
    {
        var path = CorpusModels.PathOf("hello_world_int8.tflite");
        var original = File.ReadAllBytes(path);
        var model = TfliteImporter.Import(original, path).Model!;
        Assert.NotNull(model.Attributes["signature_defs"]);
        var main = model.Main;
        var extra = new Tensor("unused/scratch", new TensorType(DataType.Int8, Shape.Of(1, 4)));
        var shifted = main with { Tensors = new[] { extra }.Concat(main.Tensors).ToEquatableArray() };
        var plan = RowBands.SeparatePlan(shifted);
        var bytes = TfliteRewriter.Rewrite(original, shifted, plan);

        var back = TfliteImporter.Import(bytes, path).Model!;
        Assert.Equal(model.Attributes["signature_defs"], back.Attributes["signature_defs"]);
        Assert.Equal(shifted.Tensors.Select(Plain), back.Main.Tensors.Select(Plain));
        Assert.Equal(main.Operators.Select(Plain), back.Main.Operators.Select(Plain));
        Assert.Equal((main.Inputs, main.Outputs), (back.Main.Inputs, back.Main.Outputs));

        var (expected, _) = RunOnTflm(original, "hello_world.original");
        var (actual, _) = LowerAndRun(original, shifted, plan, "hello_world.shifted");
        Assert.Equal(expected.OutputFingerprint, actual.OutputFingerprint);
    }

    private static Graph Renamed(Graph g, Func<string, string> rename) => g with
    {
        Tensors = g.Tensors.Select(t => t with { Name = rename(t.Name), Attributes = t.Attributes.Without("tflite_name") }).ToEquatableArray(),
        Operators = g.Operators.Select(op => op with
        {
            Inputs = op.Inputs.Select(n => n is null ? null : rename(n)).ToEquatableArray(),
            Outputs = op.Outputs.Select(n => n is null ? null : rename(n)).ToEquatableArray(),
            Attributes = op.Attributes["intermediates"] is AttributeValue.List im
                ? op.Attributes.With("intermediates", new AttributeValue.List(im.Items.Select(i => (AttributeValue)(((AttributeValue.Str)i).Value is { Length: > 0 } n ? rename(n) : "")).ToEquatableArray()))
                : op.Attributes,
        }).ToEquatableArray(),
        Inputs = g.Inputs.Select(rename).ToEquatableArray(),
        Outputs = g.Outputs.Select(rename).ToEquatableArray(),
    };

    /// <summary>What a written tensor must keep: all but the buffer number (new constants get new
    /// buffers, activations buffer 0) and the plan read back as offline_offset.</summary>
    private static Tensor Plain(Tensor t) => t with
    {
        Attributes = t.Attributes.Without("buffer").Without(WellKnownAttributes.OfflineOffset),
        Annotations = AttributeMap.Empty,
    };

    private static Operator Plain(Operator op) => op with { Annotations = AttributeMap.Empty, Name = null };

    private static bool Overlaps(Graph g, int[] plan, string a, string b)
    {
        int ia = g.TensorIndex(a), ib = g.TensorIndex(b);
        return plan[ia] < plan[ib] + g.Tensors[ib].ByteSize && plan[ib] < plan[ia] + g.Tensors[ia].ByteSize;
    }

    /// <summary>Lowers <paramref name="graph"/> over <paramref name="original"/> with
    /// <paramref name="plan"/> (null: TFLM plans), checks the written model re-imports to the same
    /// graph and shares every weight buffer, runs it on TFLM and checks TFLM placed every planned
    /// tensor at its planned offset.</summary>
    private (TflmRunResult Result, int[]? Plan) LowerAndRun(byte[] original, Graph graph, int[]? plan, string label)
    {
        var result = TfliteRewriter.TryRewrite(original, label, graph, plan);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics.Select(d => $"{d.Location}: {d.Message}")));
        var bytes = result.Bytes!;

        var source = TfliteImporter.Import(original, label).Model!.Main;
        var back = TfliteImporter.Import(bytes, label).Model!.Main;
        Assert.Equal(graph.Operators.Select(Plain), back.Operators.Select(Plain));
        Assert.Equal(graph.Tensors.Select(Plain), back.Tensors.Select(Plain));
        // Weights are shared, not copied: the new file is larger than the source by at most the
        // new small constants, tensor tables, operators and the plan.
        long newConstantBytes = graph.Tensors.Where(t => t.Data is ConstantData.Inline && source.FindTensor(t.Name) is null).Sum(t => t.ByteSize ?? 0);
        Assert.True(bytes.Length < original.Length + newConstantBytes + 200 * graph.Tensors.Count + 4 * graph.Tensors.Count + 4096,
            $"{label}: {bytes.Length} B written from a {original.Length} B source");

        var (run, _) = RunOnTflm(bytes, label);
        Assert.True(run.Ok, $"{label}: {run}");
        if (plan is not null)
        {
            var placed = run.Tensors.Where(t => t.Subgraph == 0).ToDictionary(t => t.Index, t => t.Offset);
            var planned = plan.Select((o, i) => (o, i)).Where(x => x.o >= 0).ToDictionary(x => x.i, x => (long)x.o);
            Assert.Equal(planned.OrderBy(kv => kv.Key), placed.OrderBy(kv => kv.Key));
        }
        return (run, plan);
    }

    private static (TflmRunResult, string) RunOnTflm(byte[] model, string label)
    {
        Directory.CreateDirectory(Temp);
        var file = Path.Combine(Temp, $"{label}.{Environment.ProcessId}.tflite");
        File.WriteAllBytes(file, model);
        try
        {
            return (TflmRunner.Run(file), file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

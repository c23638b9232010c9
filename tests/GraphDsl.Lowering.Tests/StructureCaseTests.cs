using System.Text.Json;
using GraphDsl.Importers.Onnx.Tests;
using GraphDsl.TestKit.Tflite;
using GraphDsl.TestKit;
using Google.Protobuf;
using Xunit;

namespace GraphDsl.Lowering.Tests;

/// <summary>Structures real users hit (issue 14): the files of <c>../shared/cases</c> give the
/// values their README states (measured on TensorFlow Lite Micro), and variants of the same
/// kinds written here (.tflite with FlatBufferBuilder, .onnx with protobuf, .gdsl text) work too.
/// Every command runs as a process, as users run it.</summary>
/// <remarks>Expected bytes are computed in the test from shapes and element sizes (f32 = 4 B,
/// i8 = 1 B) and TFLM's lifetime rules, never read back from GraphDsl.</remarks>
public sealed class StructureCaseTests : InTempDirectory
{
    // TFLite TensorType values (schema.fbs).
    private const sbyte Float32 = 0, StringType = 5, Int8 = 9, Resource = 13, Int4 = 17;

    /// <summary>check, tmm, order, plan and optimize (model, header, report) on one file; returns
    /// (tmm, order, plan, optimize) JSON.</summary>
    private (JsonElement Tmm, JsonElement Order, JsonElement Plan, JsonElement Optimize) EveryCommand(string model)
    {
        PipelineHost.RequirePasses("tmm", "order", "arena", "verify", "lower");
        var check = GraphDslCli.Run("check", model);
        Assert.True(check.ExitCode == 0, check.ToString());
        var ext = Path.GetExtension(model);
        var name = Path.GetFileName(model);
        var optimize = GraphDslCli.Json("optimize", model, "-o", P(Path.GetFileNameWithoutExtension(model) + ".opt" + ext), "--header", P(name + ".h"), "--report", P(name + ".html"));
        Assert.True(File.Exists(P(Path.GetFileNameWithoutExtension(model) + ".opt" + ext)) && File.Exists(P(name + ".h")) && File.Exists(P(name + ".html")));
        return (GraphDslCli.Json("tmm", model), GraphDslCli.Json("order", model), GraphDslCli.Json("plan", model), optimize);
    }

    private static long Int(JsonElement e, params string[] path)
    {
        foreach (var p in path) e = e.GetProperty(p);
        return e.GetInt64();
    }

    // ---- 1. No operators: a valid graph; the peak is its live inputs/outputs, the order [] ----

    private void AssertNoOperatorFigures(string model, long liveBytes, long arenaBytes)
    {
        var (tmm, order, plan, optimize) = EveryCommand(model);
        Assert.Equal(0, Int(tmm, "operators"));
        Assert.Equal(liveBytes, Int(tmm, "peak_bytes"));
        Assert.Equal(0, order.GetProperty("order").GetArrayLength());
        Assert.Equal(liveBytes, Int(order, "peak_bytes"));
        Assert.Equal(liveBytes, Int(plan, "peak_bytes"));
        Assert.Equal(arenaBytes, Int(plan, "arena_bytes"));
        Assert.Equal(liveBytes, Int(optimize, "optimized", "peak_bytes"));
        Assert.Equal(arenaBytes, Int(optimize, "optimized", "arena_bytes"));
    }

    [SkippableFact]
    public void No_operators_tflite_case_is_planned_at_tflm_head_32_bytes() =>
        // README: TFLM runs it with head 32 B (x: f32[1,8] = 8 * 4 B, input and output).
        AssertNoOperatorFigures(CaseModels.PathOf("no_operators.tflite"), 8 * 4, 32);

    [SkippableFact]
    public void No_operators_tflite_variant_with_two_inputs_counts_both()
    {
        // x: f32[1,8] (input and output) and u: i8[1,100] (input, read by nobody): both alive
        // before the first operator (TFLM scope 0): 32 + 100 B; arena 32 + align16(100) = 144 B.
        var model = new TestTfliteModel();
        var g = new TestSubgraph();
        int x = g.Add(new TestTensor("x", Float32, [1, 8]));
        int u = g.Add(new TestTensor("u", Int8, [1, 100]));
        g.Inputs = [x, u];
        g.Outputs = [x];
        model.Subgraphs.Add(g);
        File.WriteAllBytes(P("noop2.tflite"), model.Build());
        AssertNoOperatorFigures(P("noop2.tflite"), 32 + 100, 32 + 112);
    }

    [SkippableFact]
    public void Onnx_graph_whose_output_is_its_input_has_no_operators()
    {
        var graph = new Importers.Onnx.Protos.GraphProto
        {
            Name = "identity_graph",
            Input = { TestModelBuilder.Value("x", TestModelBuilder.Float, 1, 3, 4) },
            Output = { TestModelBuilder.Value("x", TestModelBuilder.Float, 1, 3, 4) },
        };
        File.WriteAllBytes(P("noop.onnx"), TestModelBuilder.Model(graph).ToByteArray());
        AssertNoOperatorFigures(P("noop.onnx"), 12 * 4, 48);
    }

    [SkippableFact]
    public void Gdsl_graph_with_no_operators()
    {
        File.WriteAllText(P("noop.gdsl"), "graph main(x: i8[1,40], y: i8[1,24]) -> (y) {\n}\n");
        // Both inputs alive before the first operator: 40 + 24 B; arena align16(40) + 24 -> 48 + 32 = 80.
        AssertNoOperatorFigures(P("noop.gdsl"), 64, 80);
    }

    [SkippableFact]
    public void Unread_graph_input_lives_before_the_first_operator_only()
    {
        // README: TFLM alone plans head 464 B (y_unused f32[1,100] + x f32[1,16] at scope 0); an
        // offline plan must not need more. With the stored order, z = RELU(x) needs x + z = 128 B.
        var (tmm, order, plan, optimize) = EveryCommand(CaseModels.PathOf("unused_input.tflite"));
        Assert.Equal(400 + 64, Int(tmm, "peak_bytes"));
        Assert.Equal(64 + 64, tmm.GetProperty("rows")[0].GetProperty("total_bytes").GetInt64());
        Assert.Equal(464, Int(order, "peak_bytes"));
        Assert.True(Int(plan, "arena_bytes") <= 464, plan.ToString());
        Assert.True(Int(optimize, "optimized", "arena_bytes") <= 464, optimize.ToString());
    }

    // ---- 2. Duplicate graph outputs: accepted in every format, one tensor, one lifetime ----

    [SkippableFact]
    public void Duplicate_outputs_tflite_case_is_planned_at_tflm_head_512_bytes()
    {
        // README: TFLM runs it, head 512 B: x and y are f32[1,64] = 256 B each, alive together.
        var (tmm, order, plan, optimize) = EveryCommand(CaseModels.PathOf("dup_outputs.tflite"));
        Assert.Equal(512, Int(tmm, "peak_bytes"));
        Assert.Equal(512, Int(order, "peak_bytes"));
        Assert.Equal(512, Int(plan, "arena_bytes"));
        Assert.Equal(512, Int(optimize, "optimized", "arena_bytes"));
        // The written model still returns y twice.
        var print = GraphDslCli.Run("print", P("dup_outputs.opt.tflite"));
        Assert.True(print.ExitCode == 0, print.ToString());
        Assert.Contains("-> (y, y)", print.StdOut);
    }

    [SkippableFact]
    public void Duplicate_outputs_tflite_variant_with_an_input_returned_between()
    {
        // outputs [y, x, y]: x i8[1,48] and y = RELU(x) i8[1,48] both outputs: 96 B, arena 96 B.
        var model = new TestTfliteModel();
        model.OpCodes.Add(new TestOpCode(19)); // RELU
        var g = new TestSubgraph();
        int x = g.Add(new TestTensor("x", Int8, [1, 48]));
        int y = g.Add(new TestTensor("y", Int8, [1, 48]));
        g.Inputs = [x];
        g.Outputs = [y, x, y];
        g.Operators.Add(new TestOperator(0, [x], [y]));
        model.Subgraphs.Add(g);
        File.WriteAllBytes(P("dup3.tflite"), model.Build());
        var (tmm, _, plan, optimize) = EveryCommand(P("dup3.tflite"));
        Assert.Equal(96, Int(tmm, "peak_bytes"));
        Assert.Equal(96, Int(plan, "arena_bytes"));
        Assert.Equal(96, Int(optimize, "optimized", "arena_bytes"));
    }

    [SkippableFact]
    public void Duplicate_outputs_in_onnx_and_gdsl()
    {
        var graph = new Importers.Onnx.Protos.GraphProto
        {
            Name = "dup",
            Input = { TestModelBuilder.Value("x", TestModelBuilder.Float, 1, 10) },
            Output = { TestModelBuilder.Value("y", TestModelBuilder.Float, 1, 10), TestModelBuilder.Value("y", TestModelBuilder.Float, 1, 10) },
            Node = { TestModelBuilder.Node("Relu", ["x"], ["y"], "relu") },
        };
        File.WriteAllBytes(P("dup.onnx"), TestModelBuilder.Model(graph).ToByteArray());
        var (onnxTmm, _, _, _) = EveryCommand(P("dup.onnx"));
        Assert.Equal(40 + 40, Int(onnxTmm, "peak_bytes"));

        File.WriteAllText(P("dup.gdsl"), "graph main(x: i8[1,16]) -> (y, y) {\n  y: i8[1,16] = RELU(x)\n}\n");
        var (gdslTmm, _, gdslPlan, _) = EveryCommand(P("dup.gdsl"));
        Assert.Equal(32, Int(gdslTmm, "peak_bytes"));
        Assert.Equal(32, Int(gdslPlan, "arena_bytes"));
    }

    // ---- 3. RESOURCE tensors: imported, 4 B each as TFLM sizes them (TfLiteTypeSizeOf) ----

    [SkippableFact]
    public void Resource_variable_case_imports_and_reports_memory()
    {
        // Main graph, stored order: CALL_ONCE, h = VAR_HANDLE, v = READ_VARIABLE(h), s = ADD(x, v),
        // ASSIGN_VARIABLE(h, s). x, v, s: f32[1,4] = 16 B; h: resource = 4 B. Step 3 (ADD) holds
        // x (input, read there), h (read at step 4), v and s: 16 + 4 + 16 + 16 = 52 B.
        var (tmm, order, plan, _) = EveryCommand(CaseModels.PathOf("call_once_resource.tflite"));
        var rows = tmm.GetProperty("rows");
        Assert.Equal(4, rows[1].GetProperty("output_bytes").GetInt64()); // VAR_HANDLE writes h
        Assert.Equal(52, Int(tmm, "peak_bytes"));
        Assert.Equal(52, Int(order, "stored_peak_bytes"));
        Assert.True(Int(plan, "arena_bytes") >= Int(plan, "adjusted_peak_bytes"));
    }

    [SkippableFact]
    public void Resource_tensors_of_a_built_tflite_model_take_four_bytes_each()
    {
        // Two handles h1, h2 (resource[1]) from VAR_HANDLE, both read by READ_VARIABLE into
        // f32[1,2] values a, b; y = ADD(a, b). Stored order: h1, h2, a, b, y.
        // Step 3 (b = READ(h2)): h2 4 + a 8 + b 8 = 20 B; step 4 (y): a 8 + b 8 + y 8 = 24 B.
        var model = new TestTfliteModel();
        model.OpCodes.Add(new TestOpCode(142)); // VAR_HANDLE
        model.OpCodes.Add(new TestOpCode(143)); // READ_VARIABLE
        model.OpCodes.Add(new TestOpCode(0));   // ADD
        var g = new TestSubgraph();
        int h1 = g.Add(new TestTensor("h1", Resource, [1]));
        int h2 = g.Add(new TestTensor("h2", Resource, [1]));
        int a = g.Add(new TestTensor("a", Float32, [1, 2]));
        int b = g.Add(new TestTensor("b", Float32, [1, 2]));
        int y = g.Add(new TestTensor("y", Float32, [1, 2]));
        g.Outputs = [y];
        g.Operators.Add(new TestOperator(0, [], [h1]));
        g.Operators.Add(new TestOperator(0, [], [h2]));
        g.Operators.Add(new TestOperator(1, [h1], [a]));
        g.Operators.Add(new TestOperator(1, [h2], [b]));
        g.Operators.Add(new TestOperator(2, [a, b], [y]));
        model.Subgraphs.Add(g);
        File.WriteAllBytes(P("res.tflite"), model.Build());
        var tmm = GraphDslCli.Json("tmm", P("res.tflite"), "--order", "stored");
        var totals = tmm.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("total_bytes").GetInt64()).ToArray();
        Assert.Equal([4, 8, 4 + 4 + 8, 4 + 8 + 8, 24], totals);
    }

    // ---- 4. int4 activations: 1 byte per element, as TFLM allocates them ----

    [SkippableFact]
    public void Int4_activations_case_is_sized_one_byte_per_element()
    {
        // README: TFLM allocates int4 [1,64] at 64 B each: peak and arena 128 B (not packed 32 B).
        var (tmm, _, plan, optimize) = EveryCommand(CaseModels.PathOf("int4_act.tflite"));
        Assert.Equal(128, Int(tmm, "peak_bytes"));
        Assert.Equal(128, Int(plan, "arena_bytes"));
        Assert.Equal(128, Int(optimize, "optimized", "arena_bytes"));
        // Under TFLM's sizes the written offsets of tensors alive together do not overlap:
        // q (0) and r (1) at step 0, r (1) and s (2) at step 1; 64 B each.
        var offsets = new RawTflite(File.ReadAllBytes(P("int4_act.opt.tflite"))).OfflinePlan()![3..];
        static bool Apart(int a, int b) => a + 64 <= b || b + 64 <= a;
        Assert.True(Apart(offsets[0], offsets[1]) && Apart(offsets[1], offsets[2]), string.Join(",", offsets));
    }

    [SkippableFact]
    public void Int4_activations_of_odd_length_in_a_built_model_and_in_gdsl()
    {
        // x i4[1,33] -> CUSTOM -> y i4[1,33]: 33 B each (packed would be 17), peak 66 B.
        var model = new TestTfliteModel();
        model.OpCodes.Add(new TestOpCode(32, "Int4Op"));
        var g = new TestSubgraph();
        int x = g.Add(new TestTensor("x", Int4, [1, 33]));
        int y = g.Add(new TestTensor("y", Int4, [1, 33]));
        g.Inputs = [x];
        g.Outputs = [y];
        g.Operators.Add(new TestOperator(0, [x], [y]));
        model.Subgraphs.Add(g);
        File.WriteAllBytes(P("int4.tflite"), model.Build());
        var (tmm, _, plan, _) = EveryCommand(P("int4.tflite"));
        Assert.Equal(66, Int(tmm, "peak_bytes"));
        Assert.Equal(48 + 48, Int(plan, "arena_bytes")); // two 33 B buffers, each aligned to 16

        File.WriteAllText(P("int4.gdsl"), "graph main(x: i4[5,5]) -> (y) {\n  y: i4[5,5] = RELU(x)\n}\n");
        Assert.Equal(25 + 25, Int(GraphDslCli.Json("tmm", P("int4.gdsl")), "peak_bytes"));
    }

    // ---- 8. STRING tensors: the message says what is unsupported ----

    [SkippableFact]
    public void String_activations_are_refused_as_strings_not_as_unknown_dimensions()
    {
        var model = new TestTfliteModel();
        model.OpCodes.Add(new TestOpCode(32, "StringOp"));
        var g = new TestSubgraph();
        int x = g.Add(new TestTensor("x", Int8, [1, 4]));
        int s = g.Add(new TestTensor("words", StringType, [2]));
        g.Inputs = [x];
        g.Outputs = [s];
        g.Operators.Add(new TestOperator(0, [x], [s]));
        model.Subgraphs.Add(g);
        File.WriteAllBytes(P("str.tflite"), model.Build());
        File.WriteAllText(P("str.gdsl"), "graph main(x: i8[1,4]) -> (words) {\n  words: str[2] = CUSTOM(x)\n}\n");
        foreach (var file in new[] { P("str.tflite"), P("str.gdsl") })
            foreach (var command in new[] { "tmm", "order", "plan", "optimize" })
            {
                var run = command == "optimize" ? GraphDslCli.Run(command, file, "-o", P("never" + Path.GetExtension(file))) : GraphDslCli.Run(command, file);
                Assert.True(run.ExitCode == 1, $"{command} {file}: {run}");
                Assert.Contains("'words'", run.StdErr);
                Assert.Contains("string tensor", run.StdErr);
                Assert.DoesNotContain("unknown dimensions", run.StdErr);
                Assert.DoesNotContain("   at ", run.StdErr);
            }
    }

    // ---- 6. Tensors no operator touches: one liveness, one bound, in every command ----

    [SkippableFact]
    public void Untouched_tensor_has_one_liveness_and_one_bound_in_every_command()
    {
        // u: i8[1,4000] is declared but nothing reads or writes it and it is no graph input or
        // output. TFLM still allocates it, at its uninitialized lifetime, apart from everything:
        // the arena needs max(4000, x + y = 32 + 32) = 4000 B, never 4000 + 64.
        File.WriteAllText(P("untouched.gdsl"), "graph main(x: i8[1,32]) -> (y) {\n  tensor u: i8[1,4000]\n  y: i8[1,32] = RELU(x)\n}\n");
        var (tmm, order, plan, optimize) = EveryCommand(P("untouched.gdsl"));
        Assert.Equal(4000, Int(tmm, "peak_bytes"));
        Assert.Equal(64, tmm.GetProperty("rows")[0].GetProperty("total_bytes").GetInt64());
        Assert.Equal(4000, Int(order, "peak_bytes"));
        Assert.Equal(4000, Int(order, "proven_lower_bound_bytes"));
        Assert.Equal(Int(order, "proven_lower_bound_bytes"), Int(tmm, "largest_operator_bytes"));
        Assert.Equal(4000, Int(plan, "peak_bytes"));
        Assert.Equal(4000, Int(plan, "arena_bytes"));
        Assert.Equal(4000, Int(optimize, "optimized", "arena_bytes"));
        Assert.Equal(Int(order, "proven_lower_bound_bytes"), Int(optimize, "largest_operator_bytes"));
    }

    [SkippableFact]
    public void Untouched_and_unread_tensors_in_a_built_tflite_model()
    {
        // x f32[1,8] -> RELU -> h -> RELU -> y (32 B each); unread input w f32[1,20] (80 B, alive
        // with x before the first operator: 112 B); dangling d f32[1,30] (120 B, alone).
        // Steps: -2: 120; -1: x + w = 112; 0: x + h = 64; 1: h + y = 64. Peak 120 everywhere.
        var model = new TestTfliteModel();
        model.OpCodes.Add(new TestOpCode(19)); // RELU
        var g = new TestSubgraph();
        int x = g.Add(new TestTensor("x", Float32, [1, 8]));
        int w = g.Add(new TestTensor("w", Float32, [1, 20]));
        g.Add(new TestTensor("d", Float32, [1, 30]));
        int h = g.Add(new TestTensor("h", Float32, [1, 8]));
        int y = g.Add(new TestTensor("y", Float32, [1, 8]));
        g.Inputs = [x, w];
        g.Outputs = [y];
        g.Operators.Add(new TestOperator(0, [x], [h]));
        g.Operators.Add(new TestOperator(0, [h], [y]));
        model.Subgraphs.Add(g);
        File.WriteAllBytes(P("dangling.tflite"), model.Build());
        var (tmm, order, plan, optimize) = EveryCommand(P("dangling.tflite"));
        foreach (var peak in new[] { Int(tmm, "peak_bytes"), Int(order, "peak_bytes"), Int(order, "proven_lower_bound_bytes"), Int(tmm, "largest_operator_bytes"), Int(plan, "peak_bytes"), Int(optimize, "optimized", "peak_bytes") })
            Assert.Equal(120, peak);
        Assert.Equal(128, Int(plan, "arena_bytes")); // align16(120): d overlaps nothing else alive
    }

    // ---- 7. A single-input concat feeding another concat ----

    [SkippableFact]
    public void Single_input_concat_case_is_optimized_and_verified()
    {
        // c1 = CONCAT(a) is a's bytes; z = CONCAT(a, b) holds a and b: 32 B, where x (16) and
        // a (16) are alive together at step 0; TFLM's greedy plan without reuse needs 64 B.
        var (_, _, plan, optimize) = EveryCommand(CaseModels.PathOf("single_input_concat.gdsl"));
        Assert.True(plan.GetProperty("verified").GetBoolean());
        Assert.Equal(32, Int(plan, "arena_bytes"));
        Assert.Equal(32, Int(optimize, "optimized", "arena_bytes"));
    }

    [SkippableFact]
    public void Single_input_concat_in_onnx_is_optimized_and_verified()
    {
        // NCHW channel concats, batch 1: s = Concat(a) (one input), z = Concat(s, b), f32.
        var graph = new Importers.Onnx.Protos.GraphProto
        {
            Name = "single_concat",
            Input = { TestModelBuilder.Value("x", TestModelBuilder.Float, 1, 2, 2, 2) },
            Output = { TestModelBuilder.Value("z", TestModelBuilder.Float, 1, 4, 2, 2) },
            Node =
            {
                TestModelBuilder.Node("Relu", ["x"], ["a"], "ra"),
                TestModelBuilder.Node("Concat", ["a"], ["s"], "single", new Importers.Onnx.Protos.AttributeProto { Name = "axis", Type = Importers.Onnx.Protos.AttributeProto.Types.AttributeType.Int, I = 1 }),
                TestModelBuilder.Node("Sigmoid", ["s"], ["b"], "sb"),
                TestModelBuilder.Node("Concat", ["s", "b"], ["z"], "pair", new Importers.Onnx.Protos.AttributeProto { Name = "axis", Type = Importers.Onnx.Protos.AttributeProto.Types.AttributeType.Int, I = 1 }),
            },
        };
        File.WriteAllBytes(P("single_concat.onnx"), TestModelBuilder.Model(graph).ToByteArray());
        var (_, _, plan, optimize) = EveryCommand(P("single_concat.onnx"));
        Assert.True(plan.GetProperty("verified").GetBoolean());
        // z (64 B) holds s = a and b; x (32 B) dies at step 0, before b is written at step 2, so
        // it fits in b's half: 64 B (as x sits in b's half in the .gdsl case).
        Assert.Equal(64, Int(optimize, "optimized", "arena_bytes"));
    }

    // ---- 16. ONNX: qualified op types; dynamic dims assumed in every output ----

    [SkippableFact]
    public void Qualified_onnx_op_type_is_the_op_itself()
    {
        // ai.onnx.Concat is Concat (default domain): the NCHW batch-1 concat is done in place, so
        // the reuse saving and the arena are those of plain Concat.
        string Text(string op) => "graph main(x: f32[1,1,2,2]) -> (z) {\n  p: f32[1,1,2,2] = Relu(x)\n  r: f32[1,1,2,2] = Sigmoid(x)\n  z: f32[1,2,2,2] = " + op + "(p, r) {axis=1}\n}\n";
        File.WriteAllText(P("plain.gdsl"), Text("Concat"));
        File.WriteAllText(P("qualified.gdsl"), Text("ai.onnx.Concat"));
        var plain = GraphDslCli.Json("plan", P("plain.gdsl"));
        var qualified = GraphDslCli.Json("plan", P("qualified.gdsl"));
        Assert.True(Int(plain, "reuse_savings", "concat", "saved_bytes") > 0);
        Assert.Equal(Int(plain, "arena_bytes"), Int(qualified, "arena_bytes"));
        Assert.Equal(Int(plain, "reuse_savings", "concat", "saved_bytes"), Int(qualified, "reuse_savings", "concat", "saved_bytes"));
    }

    [SkippableFact]
    public void Dynamic_onnx_dims_taken_as_one_are_stated_in_the_json_header_and_report()
    {
        var graph = new Importers.Onnx.Protos.GraphProto
        {
            Name = "dyn",
            Input = { TestModelBuilder.Value("x", TestModelBuilder.Float, "batch", 3, "h", 4) },
            Output = { TestModelBuilder.Value("y", TestModelBuilder.Float, "batch", 3, "h", 4) },
            Node = { TestModelBuilder.Node("Relu", ["x"], ["y"], "relu") },
        };
        File.WriteAllBytes(P("dyn.onnx"), TestModelBuilder.Model(graph).ToByteArray());
        var (_, _, _, optimize) = EveryCommand(P("dyn.onnx"));
        var assumed = optimize.GetProperty("assumed_dims").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(["x dim 0 ('batch') = 1", "x dim 2 ('h') = 1"], assumed);
        Assert.Contains("x dim 2 ('h') = 1", File.ReadAllText(P("dyn.onnx.h")));
        Assert.Contains("x dim 2 (&#39;h&#39;) = 1", File.ReadAllText(P("dyn.onnx.html")));
        // With --dim the sizes are the user's: nothing is assumed, and the sizes set are stated.
        var fixedDims = GraphDslCli.Json("optimize", P("dyn.onnx"), "-o", P("dyn2.onnx"), "--dim", "batch=1", "--dim", "h=8",
            "--header", P("dyn2.h"), "--report", P("dyn2.html"));
        Assert.Equal(0, fixedDims.GetProperty("assumed_dims").GetArrayLength());
        Assert.Equal(["x dim 0 ('batch') = 1", "x dim 2 ('h') = 8"], fixedDims.GetProperty("set_dims").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("set with --dim: x dim 0 ('batch') = 1, x dim 2 ('h') = 8", File.ReadAllText(P("dyn2.h")));
        Assert.Contains("x dim 2 (&#39;h&#39;) = 8", File.ReadAllText(P("dyn2.html")));
        Assert.Equal(2 * 3 * 8 * 4 * 4, Int(fixedDims, "optimized", "peak_bytes")); // x and y, f32[1,3,8,4]
    }
}

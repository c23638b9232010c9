using GraphDsl.TestKit;
using GraphDsl.TestKit.Tflm;
using Xunit;
using Xunit.Abstractions;

namespace GraphDsl.Tflm.Tests;

/// <summary>Every model TFLM runs gives, after <c>graphdsl optimize</c>, the same output bytes on
/// TFLM over 8 input seeds, and TFLM puts every tensor where the written offline plan says. TFLM
/// does not check an offline plan (overlapping live tensors silently give wrong outputs), so only
/// this comparison proves a plan.</summary>
public sealed class OptimizedModelConformanceTests(ITestOutputHelper output)
{
    /// <summary>The models TFLM's reference kernels refuse, with the operators refused (what the
    /// runner reported; the reasons are printed by the tests). A change here is a change in TFLM
    /// or in the corpus, and must be seen.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> KnownRefusals = new Dictionary<string, string[]>
    {
        // uint8 (older quantized models): CONV_2D "Hybrid models are not supported", and the other
        // kernels' uint8 checks (Prepare or Eval); ARG_MAX to int64 ("Only int32_t are supported").
        ["models/deeplabv3_mnv2_dm05_pascal_quant.tflite"] =
            ["ADD", "ARG_MAX", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "QUANTIZE", "RESIZE_BILINEAR"],
        // float16 weights: DEQUANTIZE takes int8/int16/uint8 only (dequantize_common.cc).
        ["models/face_detection_short_range.tflite"] = ["DEQUANTIZE"],
        // CAST from uint8 fails in Eval ("Input type UINT8 (3) not supported", cast.cc); FLOOR_DIV on int32 (float only, floor_div.cc).
        ["models/movenet_single_pose_lightning_ptq.tflite"] = ["CAST", "FLOOR_DIV"],
        // MediaPipe custom op without a TFLM kernel, and float16 DEQUANTIZE.
        ["models/selfie_segmentation.tflite"] = ["Convolution2DTransposeBias", "DEQUANTIZE"],
        // uint8 CONCATENATION (concatenation.cc type check) and SPLIT (split.cc Eval switch).
        ["models/split_concat.tflite"] = ["CONCATENATION", "SPLIT"],
        // TFLM itself crashes: VAR_HANDLE's Prepare compares a null shared_name (micro_resource_variable.cc FindId).
        ["cases/call_once_resource.tflite"] = ["VAR_HANDLE"],
        // CUSTOM operator code with no custom_code: no kernel can be found.
        ["cases/int4_act.tflite"] = ["CUSTOM"],
    };

    public static IEnumerable<object[]> Models() => TflmModels.All();

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Optimized_model_gives_the_same_outputs_on_tflm_and_tflm_uses_the_offline_plan(string label)
    {
        TflmRunner.Binary();
        var before = TflmModels.Original(label);
        if (!before.Ok)
        {
            output.WriteLine($"TFLM REFUSES {label}: {before}");
            foreach (var line in before.Log) output.WriteLine("  TFLM: " + line);
            Assert.True(KnownRefusals.ContainsKey(label), $"TFLM refuses {label}, which is not in KnownRefusals: {before}");
            Skip.If(true, $"TFLM REFUSES {label}: {before.Error}");
        }
        Assert.False(KnownRefusals.ContainsKey(label), $"{label} is in KnownRefusals but TFLM runs it: remove it from the list");

        var (optimizedPath, optimizeOutput) = TflmModels.Optimize(label);
        Assert.True(optimizedPath is not null, $"graphdsl optimize failed on {label}:\n{optimizeOutput}");
        var after = TflmRunner.Run(optimizedPath!);
        Assert.True(after.Ok, $"the optimized {label} does not run on TFLM: {after}\n{string.Join("\n", after.Log)}");

        // Same outputs, bit for bit, for every seed (the inputs are the same bytes: compare their hashes too).
        Assert.Equal(before.Inputs.Select(i => (i.Type, i.Bytes, string.Join(",", i.Hashes))),
                     after.Inputs.Select(i => (i.Type, i.Bytes, string.Join(",", i.Hashes))));
        Assert.Equal(before.OutputFingerprint, after.OutputFingerprint);

        // TFLM placed every tensor where the file's OfflineMemoryAllocation says (read from the bytes,
        // not by the writer): [version, subgraph, N, offsets of all subgraphs' tensors, cumulative].
        var raw = new RawTflite(File.ReadAllBytes(optimizedPath!));
        var plan = raw.OfflinePlan();
        Assert.True(plan is not null, $"the optimized {label} has no OfflineMemoryAllocation metadata");
        var first = new int[raw.SubgraphCount];
        for (int s = 1; s < raw.SubgraphCount; s++) first[s] = first[s - 1] + raw.TensorCount(s - 1);
        Assert.Equal(3 + first[^1] + raw.TensorCount(raw.SubgraphCount - 1), plan!.Length);
        int atPlan = 0, online = 0;
        var placed = after.Tensors.ToDictionary(t => (t.Subgraph, t.Index));
        foreach (var t in after.Tensors)
        {
            var planned = plan[3 + first[t.Subgraph] + t.Index];
            if (planned < 0) { online++; continue; }
            Assert.True(planned == t.Offset, $"{label}: subgraph {t.Subgraph} tensor {t.Index}: TFLM put it at {t.Offset}, the plan says {planned}");
            atPlan++;
        }
        // ...and no tensor the plan places ended up elsewhere (tail, or not planned) in the subgraphs TFLM ran.
        foreach (var s in after.Tensors.Select(t => t.Subgraph).Distinct())
            for (int i = 0; i < raw.TensorCount(s); i++)
                if (plan[3 + first[s] + i] >= 0)
                    Assert.True(placed.ContainsKey((s, i)), $"{label}: subgraph {s} tensor {i} has planned offset {plan[3 + first[s] + i]} but TFLM did not place it in the head");

        var distinct = before.Outputs.Count == 0 ? 0 : before.Outputs.Min(o => o.Hashes.Distinct().Count());
        output.WriteLine($"{label}: TFLM head {before.HeadBytes} -> {after.HeadBytes} B, arena_used {before.ArenaUsedBytes} -> {after.ArenaUsedBytes} B, " +
                         $"outputs identical over {TflmRunner.DefaultSeeds} seeds (fewest distinct output values over seeds: {distinct}), " +
                         $"{atPlan} tensors at their planned offset, {online} planned online by TFLM");
        if (after.HeadBytes > before.HeadBytes)
            output.WriteLine($"  NOTE: head grew by {after.HeadBytes - before.HeadBytes} B (issue #13)");
    }

    [SkippableFact]
    public void Tflm_refuses_exactly_the_known_models_and_operators()
    {
        TflmRunner.Binary();
        var refused = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var label in TflmModels.Labels)
        {
            var run = TflmModels.Original(label);
            if (run.Ok) continue;
            refused[label] = run.UnsupportedOps.Order(StringComparer.Ordinal).ToArray();
            output.WriteLine($"TFLM REFUSES {label}: {run.Error}");
            foreach (var r in run.Refused.Take(5)) output.WriteLine($"  subgraph {r.Subgraph} op {r.Index} {r.Op}: {r.Reason}");
            if (run.Refused.Count > 5) output.WriteLine($"  ... {run.Refused.Count - 5} more refused operators");
        }
        Assert.Equal(KnownRefusals.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}: {string.Join(",", k.Value.Order(StringComparer.Ordinal))}"),
                     refused.Select(k => $"{k.Key}: {string.Join(",", k.Value)}"));
    }
}

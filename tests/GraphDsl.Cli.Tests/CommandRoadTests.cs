using System.Text.Json;
using System.Text.RegularExpressions;
using GraphDsl.TestKit;
using GraphDsl.TestKit.Tflm;
using Xunit;

namespace GraphDsl.Cli.Tests;

/// <summary>Issue 15: commands that only compose passes (plan through the arena pass), and what a
/// new user met on the way: TFLM figures for an ONNX model, and an estimate line naming hundreds
/// of operators.</summary>
public sealed class CommandRoadTests : InTempDirectory
{
    [SkippableFact]
    public void Onnx_input_gets_no_tflm_figures_from_optimize_or_plan()
    {
        var model = CorpusModels.PathOf("light_squeezenet.onnx");
        var text = Graphdsl.Run(Dir, "optimize", model, "-o", "out.onnx", "--header", "out.h");
        Assert.True(text.ExitCode == 0, text.ToString());
        foreach (var tflmOnly in new[] { "TFLM head", "TFLM arena", "kTensorArenaSize", "TFLM figures are estimates" })
            Assert.DoesNotContain(tflmOnly, text.StdOut);
        Assert.Contains("TensorFlow Lite Micro does not load ONNX models", text.StdOut);

        var json = Graphdsl.Run(Dir, "optimize", model, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var doc = JsonDocument.Parse(json.StdOut);
        var root = doc.RootElement;
        Assert.False(root.GetProperty("tflm_runs_model").GetBoolean());
        foreach (var side in new[] { "stored", "optimized" })
        {
            Assert.Equal(JsonValueKind.Null, root.GetProperty(side).GetProperty("tflm_head_bytes").ValueKind);
            Assert.Equal(JsonValueKind.Null, root.GetProperty(side).GetProperty("tflm_arena_bytes").ValueKind);
        }
        // The saving is then of the arena against the greedy-by-size baseline, from the figures beside it.
        long greedy = root.GetProperty("stored").GetProperty("tflm_greedy_arena_bytes").GetInt64();
        long arena = root.GetProperty("optimized").GetProperty("arena_bytes").GetInt64();
        Assert.Equal(Math.Round(100.0 * (greedy - arena) / greedy, 2), root.GetProperty("saved").GetProperty("percent").GetDouble());
        // The C header sizes the arena by the plan, not by a TFLM arena the model will never get.
        var header = File.ReadAllText(P("out.h"));
        Assert.DoesNotContain("TFLM_HEAD_SIZE", header);
        Assert.Matches($@"#define LIGHT_SQUEEZENET_ARENA_SIZE {arena}u ", header);

        var plan = Graphdsl.Run(Dir, "plan", model, "--json");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        using var planDoc = JsonDocument.Parse(plan.StdOut);
        Assert.False(planDoc.RootElement.GetProperty("tflm_runs_model").GetBoolean());
        Assert.Equal(JsonValueKind.Null, planDoc.RootElement.GetProperty("tflm_head_bytes").ValueKind);
    }

    [SkippableFact]
    public void Tflm_estimate_line_names_four_reasons_and_counts_the_rest_by_operator_type()
    {
        // Four operator types TFLM has no kernel for, each with two reasons (scratch and persistent
        // data not modelled): eight reasons, so four are spelled out and four are counted.
        const string source = """
            graph main(x: i8[1,8,8,4]) -> (y) {
              a: i8[1,8,8,4] = OP_A(x)
              b: i8[1,8,8,4] = OP_B(a)
              c: i8[1,8,8,4] = OP_C(b)
              d: i8[1,8,8,4] = OP_A(c)
              y: i8[1,8,8,4] = OP_D(d)
            }
            """;
        File.WriteAllText(P("unmodelled.gdsl"), source);
        var run = Graphdsl.Run(Dir, "plan", P("unmodelled.gdsl"), "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.StdOut);
        var estimate = doc.RootElement.GetProperty("tflm_estimate").GetString()!;
        var (spelled, counted) = (estimate[..estimate.IndexOf("; and ", StringComparison.Ordinal)], estimate[estimate.IndexOf("; and ", StringComparison.Ordinal)..]);
        Assert.Equal(4, Regex.Matches(spelled, @"has no TFLM reference kernel").Count);
        Assert.StartsWith("; and 4 more reasons, operators by type: ", counted);
        // Each count is the number of operators of that type, counted from the model text.
        var types = Regex.Matches(source, @"= (OP_[A-Z])\(").Select(m => m.Groups[1].Value).GroupBy(t => t);
        foreach (var type in types)
            Assert.Contains($"{type.Key} {type.Count()}", counted);
    }

    [SkippableFact]
    public void Plan_reports_what_each_reuse_kind_saves_as_the_arena_pass_measured_it()
    {
        // The arena pass run with one reuse kind gives the same arena plan's row for that kind.
        var model = RepositoryPaths.Combine("examples", "inception.gdsl");
        var plan = Graphdsl.Run(Dir, "plan", model, "--json");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        using var doc = JsonDocument.Parse(plan.StdOut);
        var savings = doc.RootElement.GetProperty("reuse_savings");
        long none = savings.GetProperty("none").GetProperty("arena_bytes").GetInt64();
        foreach (var kind in new[] { "none", "views", "inplace", "concat", "all" })
        {
            var alone = Graphdsl.Run(Dir, "plan", model, "--reuse", kind, "--json");
            using var aloneDoc = JsonDocument.Parse(alone.StdOut);
            long arena = aloneDoc.RootElement.GetProperty("arena_bytes").GetInt64();
            Assert.Equal(arena, savings.GetProperty(kind).GetProperty("arena_bytes").GetInt64());
            Assert.Equal(none - arena, savings.GetProperty(kind).GetProperty("saved_bytes").GetInt64());
        }
        // No reuse: the arena holds at least the liveness peak (no two live tensors share bytes).
        Assert.True(none >= doc.RootElement.GetProperty("peak_bytes").GetInt64());
    }

    [SkippableFact]
    public void Plan_reads_a_model_optimize_tiled_and_gives_the_head_tflm_measures_for_it()
    {
        // vww_96_int8: the default pipeline tiles a region in row bands (SLICE/PAD/CONCATENATION
        // views), so the written model's plan holds slice and concat aliases.
        var optimized = Graphdsl.Run(Dir, "optimize", CorpusModels.PathOf("vww_96_int8.tflite"), "-o", "tiled.tflite");
        Assert.True(optimized.ExitCode == 0, optimized.ToString());
        Assert.Contains("tiling: ", optimized.StdOut);
        var measured = TflmRunner.Run(P("tiled.tflite"), seeds: 1);
        Assert.True(measured.Ok, measured.ToString());
        var plan = Graphdsl.Run(Dir, "plan", P("tiled.tflite"), "--json");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        using var doc = JsonDocument.Parse(plan.StdOut);
        Assert.True(doc.RootElement.GetProperty("verified").GetBoolean());
        // TFLM's own plan of the file as written (its offline plan) is what the runner measures.
        Assert.Equal(measured.HeadBytes, doc.RootElement.GetProperty("tflm_stored_head_bytes").GetInt64());
        Assert.Equal(measured.ArenaUsedBytes, doc.RootElement.GetProperty("tflm_stored_arena_bytes").GetInt64());
    }
}

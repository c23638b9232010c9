using System.Text.Json;
using System.Text.RegularExpressions;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Cli.Tests;

/// <summary><c>graphdsl optimize</c> run as a process, as users run it.</summary>
public sealed class OptimizeCommandTests : InTempDirectory
{
    private static ExternalProcess.Outcome Graphdsl(params string[] args) => GraphDslCli.Run(args);

    [SkippableFact]
    public void With_no_model_it_optimizes_the_embedded_default_and_prints_the_table()
    {
        var run = Graphdsl("optimize", "-o", P("inception.gdsl"), "--header", P("inception.h"));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("embedded default model examples/inception_exported.gdsl", run.StdOut);
        Assert.Matches(new Regex(@"peak live activations\s+[\d,]+\s+[\d,]+"), run.StdOut);
        Assert.Contains("#define INCEPTION_EXPORTED_ARENA_SIZE", File.ReadAllText(P("inception.h")));
        // The written text is a planned model: optimizing it again with only verify,lower works.
        var again = Graphdsl("optimize", P("inception.gdsl"), "--pipeline", "verify,lower", "-o", P("again.gdsl"));
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [SkippableFact]
    public void A_tflite_model_gives_the_model_header_report_and_json()
    {
        var model = CorpusModels.PathOf("pretrainedResnet_quant.tflite");
        var run = Graphdsl("optimize", model, "-o", P("out.tflite"), "--header", P("out.h"), "--report", P("r.html"), "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.StdOut);
        var root = json.RootElement;
        foreach (var key in new[] { "operators", "activation_tensors", "largest_operator_bytes" })
            Assert.True(root.GetProperty(key).GetInt64() > 0, key);
        foreach (var key in new[] { "peak_bytes", "arena_bytes", "tflm_greedy_arena_bytes" })
            Assert.True(root.GetProperty("stored").GetProperty(key).GetInt64() > 0, key);
        var optimized = root.GetProperty("optimized");
        if (optimized.TryGetProperty("tiling", out var tiling))
        {
            // Row bands go below every order's bound (that is their point); the order search's
            // figures were for the untiled graph and are not reported for the tiled one.
            Assert.True(tiling.GetProperty("macs_after").GetInt64() >= tiling.GetProperty("macs_before").GetInt64());
            // The search keeps a tiling only when TFLM's whole arena (kTensorArenaSize) shrinks.
            Assert.True(optimized.GetProperty("tflm_arena_bytes").GetInt64() < root.GetProperty("stored").GetProperty("tflm_arena_bytes").GetInt64());
            Assert.InRange(tiling.GetProperty("mac_overhead_percent").GetDouble(), 0, 20);
        }
        else
        {
            Assert.True(optimized.GetProperty("peak_bytes").GetInt64() >= root.GetProperty("largest_operator_bytes").GetInt64());
            Assert.True(optimized.GetProperty("order_proven_optimal").ValueKind is JsonValueKind.True or JsonValueKind.False);
            Assert.True(optimized.GetProperty("search_ms").GetDouble() >= 0);
        }
        // The file's offline plan ends exactly at the reported arena size.
        var plan = new RawTflite(File.ReadAllBytes(P("out.tflite"))).OfflinePlan()!;
        var arena = optimized.GetProperty("arena_bytes").GetInt64();
        Assert.True(plan[3..].All(o => o < arena));
        Assert.Contains("_PLAN_SIZE " + arena + "u", File.ReadAllText(P("out.h")));
        Assert.DoesNotMatch(new Regex("https?://"), File.ReadAllText(P("r.html")));
    }

    [SkippableFact]
    public void An_unsupported_file_is_a_clear_error_and_writes_nothing()
    {
        File.WriteAllText(P("notes.txt"), "hello");
        var run = Graphdsl("optimize", P("notes.txt"), "-o", P("out.txt"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error GD0102", run.StdErr);
        Assert.DoesNotContain("   at ", run.StdErr);
        Assert.False(File.Exists(P("out.txt")));
    }

    [SkippableFact]
    public void Output_paths_are_checked_the_input_is_never_written_and_force_is_needed_to_replace()
    {
        var model = P("model.gdsl");
        File.Copy(RepositoryPaths.Combine("examples", "inception.gdsl"), model);
        var original = File.ReadAllBytes(model);

        var self = Graphdsl("optimize", model, "-o", model, "--force");
        Assert.Equal(1, self.ExitCode);
        Assert.Contains("GD3020", self.StdErr);
        Assert.Equal(original, File.ReadAllBytes(model));

        var nowhere = Graphdsl("optimize", model, "-o", P("missing/out.gdsl"));
        Assert.Equal(1, nowhere.ExitCode);
        Assert.Contains("GD3022", nowhere.StdErr);

        File.WriteAllText(P("out.gdsl"), "keep");
        var exists = Graphdsl("optimize", model, "-o", P("out.gdsl"), "--header", P("out.h"));
        Assert.Equal(1, exists.ExitCode);
        Assert.Contains("GD3021", exists.StdErr);
        Assert.Equal("keep", File.ReadAllText(P("out.gdsl")));
        Assert.False(File.Exists(P("out.h")));

        var forced = Graphdsl("optimize", model, "-o", P("out.gdsl"), "--header", P("out.h"), "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.NotEqual("keep", File.ReadAllText(P("out.gdsl")));
        Assert.Equal(original, File.ReadAllBytes(model));
        Assert.Empty(Directory.GetFiles(Dir, "*.tmp"));
    }

    [SkippableFact]
    public void A_plan_that_fails_verification_is_an_error_and_writes_nothing()
    {
        // Two tensors alive at the same time placed on the same bytes.
        File.WriteAllText(P("bad.gdsl"), """
            graph main(x) -> (z) {
              @arena_plan(arena_bytes=128, align=16)
              tensor x: i8[1,64] @arena(offset=0, size=64)
              tensor y: i8[1,64] @arena(offset=0, size=64)
              tensor z: i8[1,64] @arena(offset=64, size=64)

              y = RELU(x) @order(0)
              z = ADD(x, y) @order(1)
            }
            """);
        var run = Graphdsl("optimize", P("bad.gdsl"), "--pipeline", "verify,lower", "-o", P("out.gdsl"), "--header", P("out.h"));
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(new Regex(@"error GD3\d\d\d"), run.StdErr);
        Assert.Contains("no output was written", run.StdErr);
        Assert.False(File.Exists(P("out.gdsl")));
        Assert.False(File.Exists(P("out.h")));
    }
}

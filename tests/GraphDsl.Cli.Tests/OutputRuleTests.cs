using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Cli.Tests;

/// <summary>Issue 14 items 11, 13, 14 and 17: one rule for every output, clear one-line refusals
/// of bad arguments, and the same model name and number format in every command.</summary>
public sealed class OutputRuleTests : InTempDirectory
{
    private string CopyExample(string name)
    {
        File.Copy(RepositoryPaths.Combine("examples", name), P(name));
        return P(name);
    }

    [SkippableFact]
    public void An_output_whose_extension_names_another_format_is_refused()
    {
        var model = CorpusModels.PathOf("pretrainedResnet_quant.tflite");
        var onnx = Graphdsl.Run(Dir, "optimize", model, "-o", "out.onnx");
        Assert.Equal(1, onnx.ExitCode);
        Assert.Contains("error GD3025: Output 'out.onnx': the optimized model is written as tflite (the input's format), so its name must end in .tflite.", onnx.StdErr);

        var gdsl = CopyExample("cnn.gdsl");
        var text = Graphdsl.Run(Dir, "optimize", gdsl, "-o", "out.tflite");
        Assert.Equal(1, text.ExitCode);
        Assert.Contains("must end in .gdsl", text.StdErr);
        Assert.Equal(["cnn.gdsl"], Directory.GetFileSystemEntries(Dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Every_command_refuses_to_write_over_its_input_onto_aDirectory_or_over_a_file_without_force()
    {
        var model = CopyExample("cnn.gdsl");
        var original = File.ReadAllBytes(model);
        Directory.CreateDirectory(P("dir.gdsl"));
        foreach (var args in new[]
        {
            new[] { "import", model, "-o", model },
            ["print", model, "-o", model],
            ["run", model, "-p", "tmm", "-o", model],
            ["optimize", model, "-o", model, "--force"],
        })
        {
            var run = Graphdsl.Run(Dir, args);
            Assert.True(run.ExitCode == 1, string.Join(" ", args) + "\n" + run);
            Assert.Contains("error GD3020", run.StdErr);
        }
        // tmm --csv onto the graph itself: the extension rule stops it before the input rule.
        var csv = Graphdsl.Run(Dir, "tmm", model, "--csv", model);
        Assert.Equal(1, csv.ExitCode);
        Assert.Contains("error GD3025", csv.StdErr);
        Assert.Equal(original, File.ReadAllBytes(model));

        foreach (var command in new[] { "import", "print", "optimize" })
        {
            var run = Graphdsl.Run(Dir, command, model, "-o", P("dir.gdsl"));
            Assert.Equal(1, run.ExitCode);
            Assert.Contains($"error GD3024: Output '{P("dir.gdsl")}' is a directory; give a file path.", run.StdErr);
        }

        File.WriteAllText(P("t.csv"), "keep");
        var exists = Graphdsl.Run(Dir, "tmm", model, "--csv", "t.csv");
        Assert.Equal(1, exists.ExitCode);
        Assert.Contains("already exists; pass --force to replace it", exists.StdErr);
        Assert.Equal("keep", File.ReadAllText(P("t.csv")));
        var forced = Graphdsl.Run(Dir, "tmm", model, "--csv", "t.csv", "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.StartsWith("step,", File.ReadAllText(P("t.csv")));
    }

    [Fact]
    public void Bad_arguments_are_refused_with_one_line()
    {
        var model = CopyExample("cnn.gdsl");
        var cases = new (string[] Args, string Expected)[]
        {
            (["passes", "--plugins", P("nonexistent")], "error GD9001"),
            (["run", model, "-p", "tmm", "--plugins", P("nonexistent")], "error GD9001"),
            (["run", model, "-p", "tmm", "--print-after", "nosuch"], "error GD3014: --print-after 'nosuch': the pipeline has no pass of that name; its passes: tmm"),
            (["check", model, "--dim", "nosuch=5"], "error GD2218: --dim nosuch: the model has no symbolic dimension named 'nosuch'"),
            (["order", model, "--budget-ms", "abc"], "graphdsl order: error: Cannot parse argument 'abc' for option '--budget-ms' as an integer."),
        };
        foreach (var (args, expected) in cases)
        {
            var run = Graphdsl.Run(Dir, args);
            Assert.True(run.ExitCode == 1, string.Join(" ", args) + "\n" + run);
            Assert.Contains(expected, run.StdErr);
            Assert.DoesNotContain("System.Int64", run.StdErr);
            Assert.DoesNotContain("Description:", run.StdErr + run.StdOut);
            Assert.DoesNotContain("   at ", run.StdErr);
        }
    }

    [SkippableFact]
    public void Dim_names_an_existing_symbolic_dimension_of_an_onnx_model()
    {
        var model = CorpusModels.PathOf("ch_PP-OCRv4_det_infer.onnx");
        var run = Graphdsl.Run(Dir, "check", model, "--dim", "nosuch=5");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error GD2218", run.StdErr);
        Assert.Contains("p2o.DynamicDimension.0", run.StdErr);
    }

    [Fact]
    public void Json_outputs_name_the_model_by_its_file_name()
    {
        var model = CopyExample("cnn.gdsl");
        foreach (var command in new[] { "order", "plan", "tmm", "optimize" })
        {
            var run = Graphdsl.Run(Dir, command, model, "--json");
            Assert.True(run.ExitCode == 0, command + "\n" + run);
            using var json = System.Text.Json.JsonDocument.Parse(run.StdOut);
            Assert.Equal("cnn.gdsl", json.RootElement.GetProperty("model").GetString());
        }
    }

    [Fact]
    public void Optimize_names_its_stored_order_run_in_progress_lines()
    {
        var run = Graphdsl.Run(Dir, "optimize", CopyExample("cnn.gdsl"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.StdErr.Split('\n').Where(l => l.Contains("pass ")).ToList();
        Assert.Equal("graphdsl: stored order: pass 1/1: arena", lines[0].TrimEnd());
        int passes = GraphDsl.Pipeline.OptimizePipelines.Default.Split(',').Length;
        Assert.Equal($"graphdsl: pass 1/{passes}: tmm", lines[1].TrimEnd());
    }
}

/// <summary>Issue 14 item 17: piped tables take their width from COLUMNS.</summary>
public sealed class ColumnsTests : InTempDirectory
{
    [Fact]
    public void Piped_tables_use_the_width_in_COLUMNS()
    {
        var model = RepositoryPaths.Combine("examples", "inception.gdsl");
        string[] args = [GraphDslCli.Dll, "tmm", model, "--all"];
        var narrow = ExternalProcess.Run("dotnet", args, null, Dir, new Dictionary<string, string> { ["COLUMNS"] = "60" });
        var wide = ExternalProcess.Run("dotnet", args, null, Dir, new Dictionary<string, string> { ["COLUMNS"] = "250" });
        Assert.True(narrow.ExitCode == 0 && wide.ExitCode == 0, narrow + "\n" + wide);
        int Widest(string text) => text.Split('\n').Max(l => l.TrimEnd().Length);
        Assert.True(Widest(narrow.StdOut) <= 60, narrow.StdOut);
        // At 250 columns no row is wrapped: one line per operator plus the header and the summary.
        Assert.True(Widest(wide.StdOut) > 60, wide.StdOut);
        Assert.True(wide.StdOut.Split('\n').Length < narrow.StdOut.Split('\n').Length, wide.StdOut);
    }
}

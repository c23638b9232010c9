using GraphDsl.Ir;
using GraphDsl.Loading;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Cli.Tests;

/// <summary>Rough edges a new user met (issue 14): bad option values, a pipeline optimize cannot
/// use, floods of identical warnings, check's label and directories given as outputs.</summary>
public sealed class NewUserLeftoverTests : InTempDirectory
{
    private static string Example(string name) => RepositoryPaths.Combine("examples", name);

    [Theory]
    [InlineData("plan", "--budget-ms", "-1", "--budget-ms -1 is refused: it must be 0 or more.")]
    [InlineData("plan", "--align", "3", "--align 3 is refused: it must be a positive power of two (1, 2, 4, 8, 16, ...).")]
    [InlineData("order", "--budget-ms", "-1", "--budget-ms -1 is refused: it must be 0 or more.")]
    [InlineData("order", "--max-states", "0", "--max-states 0 is refused: it must be 1 or more.")]
    public void Bad_flag_values_are_one_line_errors_naming_the_flag(string command, string flag, string value, string message)
    {
        var run = Graphdsl.Run(Dir, command, Example("cnn.gdsl"), flag, value);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"graphdsl {command}: error: {message}", run.StdErr);
        Assert.DoesNotContain("   at ", run.StdErr);
    }

    [SkippableFact]
    public void Bad_pipeline_option_values_are_located_at_the_option_not_the_model()
    {
        var align = Graphdsl.Run(Dir, "run", Example("cnn.gdsl"), "--pipeline", "tmm,arena{align=3}");
        Assert.Equal(1, align.ExitCode);
        Assert.StartsWith("<pipeline>:1:5: error GD3015: pass 'arena' option 'align': 3 is refused: it must be a positive power of two", align.StdErr.Trim());
        Assert.DoesNotContain("cnn.gdsl", align.StdErr);
        var budget = Graphdsl.Run(Dir, "run", Example("cnn.gdsl"), "--pipeline", "order{budget-ms=-1}");
        Assert.Equal(1, budget.ExitCode);
        Assert.Contains("<pipeline>:1:1: error GD3015: pass 'order' option 'budget-ms': -1 is refused: it must be 0 or more", budget.StdErr);
    }

    [SkippableFact]
    public void Optimize_names_what_its_pipeline_lacks_before_running_it()
    {
        var run = Graphdsl.Run(Dir, "optimize", Example("cnn.gdsl"), "--pipeline", "tmm", "-o", "out.gdsl");
        Assert.Equal(1, run.ExitCode);
        foreach (var (capability, pass) in new[] { ("order", "order"), ("arena", "arena"), ("verified", "verify"), ("lowered", "lower") })
            Assert.Contains($"error GD3016: the pipeline 'tmm' does not provide '{capability}'", run.StdErr.Split('\n').Single(l => l.Contains($"'{capability}'")));
        Assert.Contains("add 'verify'", run.StdErr);
        Assert.DoesNotContain("GD3501", run.StdErr);
        Assert.DoesNotContain("pass 1/1: tmm", run.StdErr);  // refused before the pipeline ran
        Assert.Empty(Directory.GetFileSystemEntries(Dir));
    }

    [SkippableFact]
    public void Identical_tflm_warnings_are_one_line_with_their_count()
    {
        var path = CorpusModels.PathOf("selfie_segmentation.tflite");
        // Counted from the model itself: DEQUANTIZE operators reading a float16 tensor (TFLM's
        // DEQUANTIZE takes int8, int16 or uint8 input).
        var graph = ModelLoader.Load(path).Model!.Main;
        int f16 = graph.Operators.Count(o => o.OpType == "DEQUANTIZE" && graph.Tensor(o.Inputs[0]!).Type.ElementType == DataType.Float16);
        Assert.True(f16 > 100, $"{f16} float16 DEQUANTIZE operators");
        var run = Graphdsl.Run(Dir, "check", path);
        Assert.Equal(0, run.ExitCode);
        var lines = run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("GD3601")).ToList();
        var line = Assert.Single(lines);
        Assert.Contains($"[{f16} operators: subgraph0/op0, op1, ", line);
        Assert.EndsWith($" and {f16 - 5} more]", line.TrimEnd());
    }

    [Fact]
    public void Check_names_its_result_by_the_file()
    {
        File.Copy(Example("cnn.gdsl"), P("my_model.gdsl"));
        var run = Graphdsl.Run(Dir, "check", "my_model.gdsl");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("my_model.gdsl: graph main: 9 operators", run.StdOut);
    }

    [SkippableFact]
    public void A_directory_given_as_an_output_is_named_a_directory_by_every_command()
    {
        var model = Example("cnn.gdsl");
        foreach (var dir in new[] { "d.gdsl", "d.h", "d.html", "d.csv", "d.png" }) Directory.CreateDirectory(P(dir));
        foreach (var (args, target) in new (string[], string)[]
        {
            (["optimize", model, "-o", "d.gdsl"], "d.gdsl"),
            (["optimize", model, "--header", "d.h"], "d.h"),
            (["optimize", model, "--report", "d.html"], "d.html"),
            (["print", model, "-o", "d.gdsl"], "d.gdsl"),
            (["import", CorpusModels.PathOf("hello_world_int8.tflite"), "-o", "d.gdsl"], "d.gdsl"),
            (["tmm", model, "--csv", "d.csv"], "d.csv"),
            (["tmm", model, "--chart", "d.png"], "d.png"),
            (["run", model, "--pipeline", "tmm", "-o", "d.gdsl"], "d.gdsl"),
        })
        {
            var run = Graphdsl.Run(Dir, args);
            Assert.True(run.ExitCode == 1, string.Join(' ', args) + "\n" + run);
            Assert.Contains($"error GD3024: Output '{P(target)}' is a directory; give a file path.", run.StdErr);
            Assert.DoesNotContain("--force", run.StdErr);
        }
    }

    [SkippableFact]
    public void An_artifacts_folder_that_cannot_be_created_is_an_error_not_a_crash()
    {
        File.WriteAllText(P("file.txt"), "a file");
        var run = Graphdsl.Run(Dir, "run", Example("cnn.gdsl"), "--pipeline", "tmm,order,arena,verify,lower", "--artifacts", P("file.txt/x"));
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"error GD3022: ", run.StdErr);
        Assert.Contains("file.txt", run.StdErr);
        Assert.DoesNotContain("internal error", run.StdErr);
    }

    [SkippableFact]
    public void A_header_without_the_model_it_describes_is_refused()
    {
        // The header's plan is the optimized (here tiled) model's: the stored .tflite does not match it.
        var run = Graphdsl.Run(Dir, "optimize", CorpusModels.PathOf("person_detect.tflite"), "--header", "only.h");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("error GD3026: Output 'only.h': the C header's plan and schedule are those of the optimized model, which only -o writes; add -o OUT.tflite", run.StdErr);
        Assert.False(File.Exists(P("only.h")));
    }

    [SkippableFact]
    public void A_misspelled_builtin_gets_a_suggestion()
    {
        File.WriteAllText(P("typo.gdsl"), "graph main(x: f32[1,4]) -> (y) {\n  y: f32[1,4] = CONV2D(x)\n}\n");
        var run = Graphdsl.Run(Dir, "optimize", "typo.gdsl");
        Assert.Contains("TFLM has no kernel for CONV2D (did you mean CONV_2D?)", run.StdErr);
    }
}

using GraphDsl.Cli;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Syntax.Tests;

/// <summary>Console output is process-wide, so CLI tests never run in parallel with each other.</summary>
[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary><c>graphdsl check</c> and <c>graphdsl print</c> through <see cref="Program.Main"/>.</summary>
[Collection("Console")]
public class CliTests : InTempDirectory
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try { return (Program.Main(args), stdout.ToString(), stderr.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    [Fact]
    public void Check_prints_the_summary_of_the_cnn_example_named_by_its_file()
    {
        var (exit, output, error) = Run("check", RepositoryPaths.Combine("examples", "cnn.gdsl"));
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        // Bytes from the shapes written in cnn.gdsl (all int8 activations, one byte per element).
        long activation = 96 * 96 * 1 + 48 * 48 * 8 + 48 * 48 * 8 + 48 * 48 * 16 + 24 * 24 * 32 + 12 * 12 * 64 + 64 + 64 + 2 + 2;
        long constant = 8 * 9 + 4 * 8 + 9 * 8 + 4 * 8 + 16 * 8 + 4 * 16 + 32 * 9 * 16 + 4 * 32 + 64 * 9 * 32 + 4 * 64 + 4 * 2 + 2 * 64 + 4 * 2;
        Assert.Equal($"cnn.gdsl: graph main: 9 operators, 23 tensors, 10 activation tensors, {activation:N0} activation bytes, {constant:N0} constant bytes\n",
            output.Replace("\r\n", "\n"));
    }

    [Fact]
    public void Check_fails_with_the_error_line_and_a_caret()
    {
        var path = P("bad.gdsl");
        File.WriteAllText(path, "graph g(x) -> (x) {\n  tensor x: q8[1]\n}\n");
        var (exit, output, error) = Run("check", path);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        var lines = error.Replace("\r\n", "\n").Split('\n');
        Assert.StartsWith($"{path}:2:13: error GD1001: unknown element type 'q8'", lines[0]);
        Assert.Equal("    tensor x: q8[1]", lines[1]);
        Assert.Equal("              ^^", lines[2]);
    }

    [Fact]
    public void Check_reports_a_missing_file_and_an_unknown_extension()
    {
        var (exit, _, error) = Run("check", P("none.gdsl"));
        Assert.Equal(1, exit);
        Assert.Contains("error GD0101", error);
        var other = P("model.xyz");
        File.WriteAllText(other, "");
        (exit, _, error) = Run("check", other);
        Assert.Equal(1, exit);
        Assert.Contains($"{other}: error GD0102", error);
        (exit, _, error) = Run("check", Dir);
        Assert.Equal(1, exit);
        Assert.Contains("directory", error);
    }

    [Fact]
    public void Print_writes_canonical_text_to_stdout_and_to_a_file()
    {
        var source = P("m.gdsl");
        File.WriteAllText(source, "graph g(x: i8[2]) -> (y) { y: i8[2] = RELU(x) {mode=fast}; }");
        var expected = "graph g(x) -> (y) {\n  tensor x: i8[2]\n  tensor y: i8[2]\n\n  y = RELU(x) {mode=\"fast\"}\n}\n";
        var (exit, output, _) = Run("print", source);
        Assert.Equal(0, exit);
        Assert.Equal(expected, output);
        var target = P("out.gdsl");
        (exit, _, _) = Run("print", source, "-o", target);
        Assert.Equal(0, exit);
        Assert.Equal(expected, File.ReadAllText(target));
        Assert.Equal(["m.gdsl", "out.gdsl"], Directory.GetFiles(Dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_malformed_dim_is_a_located_error_and_exit_1()
    {
        var (exit, _, error) = Run("check", RepositoryPaths.Combine("examples", "cnn.gdsl"), "--dim", "batch=0");
        Assert.Equal(1, exit);
        Assert.Contains("error GD2217", error);
        Assert.Contains("'batch=0'", error);
    }

    [SkippableFact]
    public void Dim_fixes_the_dynamic_image_size_of_an_onnx_model()
    {
        // ch_PP-OCRv4_det_infer.onnx takes x: f32[N,3,H,W] with all three dims symbolic.
        var model = CorpusModels.PathOf("ch_PP-OCRv4_det_infer.onnx");
        var (exit, output, error) = Run("import", model,
            "--dim", "p2o.DynamicDimension.0=1", "--dim", "p2o.DynamicDimension.1=64", "--dim", "p2o.DynamicDimension.2=96");
        Assert.Equal(0, exit);
        Assert.Contains("tensor x: f32[1,3,64,96]", output);
        Assert.DoesNotContain("GD2208", error);
    }

    [Fact]
    public void Print_refuses_to_overwrite_its_input()
    {
        var source = P("m.gdsl");
        const string text = "graph g() -> () {}";
        File.WriteAllText(source, text);
        var (exit, _, error) = Run("print", source, "--output", source);
        Assert.Equal(1, exit);
        Assert.Contains("error GD3020", error);
        Assert.Contains("it is the input model", error);
        Assert.Equal(text, File.ReadAllText(source));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("check", "--help")]
    [InlineData("print", "--help")]
    public void Help_works_everywhere(params string[] args)
    {
        var (exit, output, _) = Run(args);
        Assert.Equal(0, exit);
        Assert.Contains("Usage", output);
    }
}

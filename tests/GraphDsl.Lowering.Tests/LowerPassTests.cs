using System.Text;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;
using GraphDsl.Syntax;
using GraphDsl.TestKit;
using Xunit;

namespace GraphDsl.Lowering.Tests;

public sealed class LowerPassTests
{
    internal static (PassResult Result, ArtifactCollector Artifacts, DiagnosticBag Diagnostics) RunLower(Model model, string? sourcePath)
    {
        var pass = PipelineHost.Pass("lower");
        var artifacts = new ArtifactCollector();
        var diagnostics = new DiagnosticBag();
        var context = new PassContext(PassOptions.Defaults(pass.Descriptor), diagnostics, artifacts,
            new Progress<PassProgress>(), sourcePath, CancellationToken.None);
        return (pass.Run(model, context), artifacts, diagnostics);
    }

    [SkippableFact]
    public void Text_input_gives_canonical_text_in_the_planned_order_and_a_header()
    {
        int[] order = [0, 4, 2, 3, 1, 5, 6];
        var model = Model.Of(PlannedGraphs.Plan(PlannedGraphs.InceptionCell(), order));
        var (result, artifacts, diagnostics) = RunLower(model, "/nowhere/cell.gdsl");
        Assert.Empty(diagnostics);
        Assert.False(result.Changed);
        Assert.Equal(["model.gdsl", "model.h"], artifacts.Files.Keys.Order().ToArray());
        Assert.Contains("#define CELL_ARENA_SIZE", Encoding.UTF8.GetString(artifacts.Files["model.h"]));

        var text = Encoding.UTF8.GetString(artifacts.Files["model.gdsl"]);
        var reparsed = GraphDslSyntax.Parse(text, "model.gdsl");
        Assert.True(reparsed.Succeeded, string.Join("\n", reparsed.Diagnostics));
        var ops = reparsed.Model!.Main.Operators;
        Assert.Equal(order.Select(i => model.Main.Operators[i].Name), ops.Select(o => o.Name));
        // Each operator keeps its annotation, which now equals its stored position.
        Assert.Equal(Enumerable.Range(0, ops.Count).Select(i => (long?)i), ops.Select(o => o.Annotations["order"]?.AsInt()));
        Assert.Equal(IrPrinter.Print(reparsed.Model), text);
    }

    [SkippableFact]
    public void An_unplanned_model_gives_diagnostics_and_no_artifact()
    {
        var (result, artifacts, diagnostics) = RunLower(Model.Of(PlannedGraphs.InceptionCell()), "cell.gdsl");
        Assert.False(result.Changed);
        Assert.Empty(artifacts.Files);
        Assert.Contains(diagnostics, d => d.Id == "GD3501");
    }

    [SkippableFact]
    public void Descriptor_requires_a_verified_order_and_arena()
    {
        var d = PipelineHost.Pass("lower").Descriptor;
        Assert.Equal("lower", d.Name);
        Assert.Equal(["order", "arena", "verified"], d.Requires);
        Assert.Equal(PassKind.Lowering, d.Kind);
    }
}

using GraphDsl.Ir.Diagnostics;
using Xunit;

namespace GraphDsl.Pipeline.Tests;

public class PipelineBinderTests
{
    private static PassCatalog Catalog()
    {
        var catalog = new PassCatalog();
        var bag = new DiagnosticBag();
        catalog.Add(new TestPasses.Marking("order", [], ["order"]), "(test)", bag);
        catalog.Add(new TestPasses.Marking("arena", ["order"], ["arena"]), "(test)", bag);
        Assert.Empty(bag);
        return catalog;
    }

    private static (IReadOnlyList<ScheduledPass>? Passes, List<Diagnostic> Diagnostics) Bind(string text)
    {
        var bag = new DiagnosticBag();
        var passes = PipelineBinder.Bind(text, Catalog(), bag);
        return (passes, bag.ToList());
    }

    [Fact]
    public void Options_are_converted_to_their_declared_types_and_defaults_fill_the_rest()
    {
        var (passes, diagnostics) = Bind("order,arena{align=64,fast=true}");
        Assert.Empty(diagnostics);
        var arena = passes![1];
        Assert.Equal(64L, arena.Options.Get<long>("align"));
        Assert.True(arena.Options.Get<bool>("fast"));
        Assert.Equal("greedy", arena.Options.Get<string>("strategy"));
        // Printing back keeps only what differs from the defaults.
        Assert.Equal("order,arena{align=64,fast=true}", PipelineText.Print(passes.Select(p => p.ToStep())));
    }

    [Fact]
    public void Unknown_pass_lists_the_known_ones()
    {
        var (passes, diagnostics) = Bind("order,arnea");
        Assert.Null(passes);
        var d = Assert.Single(diagnostics);
        Assert.Equal("GD3002", d.Id);
        Assert.Equal("unknown pass 'arnea'; known passes: arena, order", d.Message);
        Assert.Equal(7, ((SourceSpan)d.Location!).Column);
    }

    [Fact]
    public void Unknown_option_names_pass_option_and_the_options_with_types()
    {
        var (_, diagnostics) = Bind("order{alignment=4}");
        var d = Assert.Single(diagnostics);
        Assert.Equal("GD3003", d.Id);
        Assert.Equal("pass 'order' has no option 'alignment'; its options: align (integer), fast (boolean (true|false)), strategy (string)", d.Message);
    }

    [Theory]
    [InlineData("order{align=sixteen}", "pass 'order' option 'align': 'sixteen' is not a valid integer")]
    [InlineData("order{fast=yes}", "pass 'order' option 'fast': 'yes' is not a valid boolean (true|false)")]
    public void Bad_values_name_pass_option_and_expected_type(string text, string message)
    {
        var (_, diagnostics) = Bind(text);
        var d = Assert.Single(diagnostics);
        Assert.Equal("GD3004", d.Id);
        Assert.Equal(message, d.Message);
    }

    [Fact]
    public void A_requirement_not_provided_earlier_names_both_passes()
    {
        var (passes, diagnostics) = Bind("arena,order");
        Assert.Null(passes);
        var d = Assert.Single(diagnostics);
        Assert.Equal("GD3005", d.Id);
        Assert.Equal("pass 'arena' requires 'order', which no earlier pass provides; run 'order' before 'arena'", d.Message);
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var (_, diagnostics) = Bind("nope,arena{align=x}");
        Assert.Equal(["GD3002", "GD3004", "GD3005"], diagnostics.Select(d => d.Id));
    }

    [Fact]
    public void A_goal_the_pipeline_leaves_unprovided_names_the_pass_that_provides_it()
    {
        var bag = new DiagnosticBag();
        var passes = PipelineBinder.Bind("order", Catalog(), bag, goals: [("order", "reads it"), ("arena", "the command reads the plan")]);
        Assert.Null(passes);
        var d = Assert.Single(bag);
        Assert.Equal("GD3016", d.Id);
        Assert.Equal("the pipeline 'order' does not provide 'arena': the command reads the plan; add 'arena' (default pipeline: "
            + OptimizePipelines.Default + ")", d.Message);
        // Provided by the pipeline, or already carried by the model: nothing to report.
        Assert.NotNull(PipelineBinder.Bind("order,arena", Catalog(), new DiagnosticBag(), goals: [("arena", "x")]));
        Assert.NotNull(PipelineBinder.Bind("arena", Catalog(), new DiagnosticBag(), ["order"], goals: [("order", "x"), ("arena", "x")]));
        // A plan the model carries is stale once the pipeline orders again: that is said too.
        var stale = new DiagnosticBag();
        Assert.Null(PipelineBinder.Bind("order", Catalog(), stale, ["arena"], goals: [("arena", "the command reads the plan")]));
        Assert.StartsWith("the pipeline 'order' does not provide 'arena' ('order' made it stale): the command reads the plan; add 'arena'",
            Assert.Single(stale).Message);
    }
}

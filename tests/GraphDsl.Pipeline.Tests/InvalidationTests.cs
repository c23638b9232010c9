using GraphDsl.Analysis;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;
using Xunit;

namespace GraphDsl.Pipeline.Tests;

/// <summary>Results that depend on an earlier pass go stale when that pass runs again: the binder
/// refuses pipelines that would read them, and analyses are cached per model instance.</summary>
public class InvalidationTests
{
    /// <summary>A pass that provides <paramref name="provides"/> and was computed from <paramref name="dependsOn"/>.</summary>
    private sealed class Declaring(string name, string[] requires, string[] provides, string[] dependsOn, PassKind kind = PassKind.Analysis) : IGraphPass
    {
        public PassDescriptor Descriptor { get; } =
            new(name, "test pass", kind, requires, provides, [], []) { DependsOn = dependsOn };

        public PassResult Run(Model model, PassContext context) => PassResult.Unchanged(model);
    }

    private static PassCatalog Catalog()
    {
        var catalog = new PassCatalog();
        var bag = new DiagnosticBag();
        catalog.Add(new Declaring("order", [], ["order"], []), "(test)", bag);
        catalog.Add(new Declaring("arena", [], ["arena"], ["order"]), "(test)", bag);
        catalog.Add(new Declaring("verify", ["arena"], ["verified"], ["order"]), "(test)", bag);
        catalog.Add(new Declaring("lower", ["order", "arena", "verified"], [], []), "(test)", bag);
        catalog.Add(new Declaring("rewrite", [], [], [], PassKind.Transform), "(test)", bag);
        Assert.Empty(bag);
        return catalog;
    }

    private static List<Diagnostic> Bind(string text, params string[] established)
    {
        var bag = new DiagnosticBag();
        PipelineBinder.Bind(text, Catalog(), bag, established);
        return bag.ToList();
    }

    [Fact]
    public void A_new_order_after_arena_makes_the_plan_stale_and_the_pipeline_is_refused()
    {
        var diagnostics = Bind("arena,order,verify,lower");
        // Both verify and lower would read the stale plan.
        Assert.Equal(["GD3013", "GD3013"], diagnostics.Select(d => d.Id));
        var stale = diagnostics[0];
        Assert.Equal("pass 'verify' requires 'arena', but 'order' ran after it was provided and made it stale (it was computed for the previous execution order or graph); run the pass providing 'arena' again after 'order'", stale.Message);
    }

    [Fact]
    public void Staleness_is_transitive_and_running_the_pass_again_restores_it()
    {
        // verified was computed from arena, which order made stale.
        Assert.Equal(["GD3013", "GD3013"], Bind("order,arena,verify,order,lower").Select(d => d.Id));
        Assert.Empty(Bind("order,arena,verify,order,arena,verify,lower"));
        Assert.Empty(Bind("order,arena,verify,lower"));
    }

    [Fact]
    public void A_plan_the_input_carries_goes_stale_when_the_order_changes()
    {
        Assert.Empty(Bind("verify,lower", "order", "arena"));
        Assert.Equal("GD3013", Assert.Single(Bind("order,verify", "order", "arena")).Id);
    }

    [Fact]
    public void A_transform_withdraws_everything_provided_before_it()
    {
        Assert.Equal(["GD3013", "GD3013", "GD3013"], Bind("order,arena,verify,rewrite,lower").Select(d => d.Id));
    }

    /// <summary>Counts how often it is computed.</summary>
    private sealed class Counted : IGraphAnalysis<Counted>
    {
        public static int Computations;

        public static Counted? Compute(Model model, AnalysisCache analyses, DiagnosticBag diagnostics)
        {
            Interlocked.Increment(ref Computations);
            return new Counted();
        }
    }

    /// <summary>Reads <see cref="Counted"/>; changes the model when <paramref name="change"/>.</summary>
    private sealed class Reading(string name, bool change) : IGraphPass
    {
        public PassDescriptor Descriptor { get; } = new(name, "test pass", PassKind.Analysis, [], [], [], []);

        public PassResult Run(Model model, PassContext context)
        {
            Assert.NotNull(context.GetAnalysis<Counted>(model));
            Assert.Same(context.GetAnalysis<Counted>(model), context.GetAnalysis<Counted>(model));
            return change ? PassResult.From(model, model with { Name = name }) : PassResult.Unchanged(model);
        }
    }

    [Fact]
    public void An_analysis_is_computed_once_per_model_instance_across_passes()
    {
        var catalog = new PassCatalog();
        var bag = new DiagnosticBag();
        foreach (var pass in new IGraphPass[] { new Reading("a", false), new Reading("b", true), new Reading("c", false), new Reading("d", false) })
            catalog.Add(pass, "(test)", bag);
        var passes = PipelineBinder.Bind("a,b,c,d", catalog, bag)!;
        Counted.Computations = 0;
        var run = new PassManager().Run(TestGraphs.Chain(), passes);
        Assert.True(run.Succeeded, string.Join("\n", run.Diagnostics));
        // a and b share the input's; b changed the model, so c computes it again and d reuses that.
        Assert.Equal(2, Counted.Computations);
    }
}

using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;
using GraphDsl.Pipeline.Instruments;
using Xunit;

namespace GraphDsl.Pipeline.Tests;

public class PassManagerTests
{
    private static IReadOnlyList<ScheduledPass> Schedule(params IGraphPass[] passes)
    {
        var catalog = new PassCatalog();
        var bag = new DiagnosticBag();
        foreach (var p in passes) catalog.Add(p, "(test)", bag);
        return PipelineBinder.Bind(string.Join(",", passes.Select(p => p.Descriptor.Name)), catalog, bag)!;
    }

    [Fact]
    public void A_throwing_pass_is_reported_by_name_and_source_and_stops_the_pipeline()
    {
        var model = TestGraphs.Chain();
        var printed = new List<string>();
        var settings = new PassManagerSettings { Instruments = [PrintIrInstrument.AfterAll((name, _) => printed.Add(name))] };
        var run = new PassManager(settings).Run(model,
            Schedule(new TestPasses.Marking("first", [], []), new TestPasses.Throwing(), new TestPasses.Marking("never", [], [])));
        Assert.Equal(PipelineStatus.Failed, run.Status);
        var d = Assert.Single(run.Diagnostics);
        Assert.Equal("GD9009", d.Id);
        Assert.Equal("pass 'throws' from '(test)' failed: InvalidOperationException: boom from the pass", d.Message);
        Assert.Equal(["first"], printed);
        Assert.Equal(1, run.CompletedPasses);
        Assert.Null(model.Annotations["first"]); // the input is untouched
    }

    [Fact]
    public void A_pass_that_ignores_cancellation_past_its_budget_is_abandoned_and_reported()
    {
        using var release = new ManualResetEventSlim();
        var settings = new PassManagerSettings { PassTimeout = TimeSpan.FromMilliseconds(100), GracePeriod = TimeSpan.FromMilliseconds(100) };
        var run = new PassManager(settings).Run(TestGraphs.Chain(), Schedule(new TestPasses.Looping(release)));
        release.Set();
        Assert.Equal(PipelineStatus.Failed, run.Status);
        var d = Assert.Single(run.Diagnostics);
        Assert.Equal("GD9010", d.Id);
        Assert.Equal("pass 'loops' from '(test)' exceeded its time budget of 100 ms and did not stop within 100 ms after cancellation; it was abandoned", d.Message);
    }

    [Fact]
    public void A_pass_that_stops_when_cancelled_past_its_budget_is_reported_as_cancelled()
    {
        var settings = new PassManagerSettings { PassTimeout = TimeSpan.FromMilliseconds(50), GracePeriod = TimeSpan.FromSeconds(30) };
        var run = new PassManager(settings).Run(TestGraphs.Chain(), Schedule(new TestPasses.Cooperative()));
        Assert.Equal(PipelineStatus.Failed, run.Status);
        Assert.Equal("GD9012", Assert.Single(run.Diagnostics).Id);
    }

    [Fact]
    public void Ctrl_c_cancels_the_running_pass_and_the_run_ends_cancelled_without_errors()
    {
        using var cts = new CancellationTokenSource();
        var settings = new PassManagerSettings
        {
            Progress = new SynchronousProgress(p => { if (p.PassName == "cooperative") cts.Cancel(); }),
        };
        var model = TestGraphs.Chain();
        var run = new PassManager(settings).Run(model, Schedule(new TestPasses.Marking("first", [], []), new TestPasses.Cooperative()), cts.Token);
        Assert.Equal(PipelineStatus.Cancelled, run.Status);
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void Claiming_no_change_while_returning_a_copy_breaks_the_contract()
    {
        var run = new PassManager().Run(TestGraphs.Chain(), Schedule(new TestPasses.Lying()));
        Assert.Equal(PipelineStatus.Failed, run.Status);
        Assert.Equal("pass 'lies' ((test)) broke the contract: it returned a different model instance with Changed == false",
            Assert.Single(run.Diagnostics).Message);
    }

    [Fact]
    public void Instruments_see_every_pass_in_order_and_IR_verification_errors_stop_the_run()
    {
        var timing = new PassTimingInstrument();
        Func<Model, IEnumerable<Diagnostic>> verify = m => m.Annotations["second"] is null
            ? []
            : [Diagnostic.Create(new DiagnosticDescriptor("GD1999", Severity.Error, "bad: {0}"), null, "second ran")];
        var settings = new PassManagerSettings { Instruments = [timing], Verify = verify };
        var run = new PassManager(settings).Run(TestGraphs.Chain(),
            Schedule(new TestPasses.Marking("first", [], []), new TestPasses.Marking("second", [], []), new TestPasses.Marking("third", [], [])));
        Assert.Equal(PipelineStatus.Failed, run.Status);
        Assert.Equal(["first", "second"], timing.Timings.Select(t => t.PassName));
        Assert.Equal(["GD3008", "GD1999"], run.Diagnostics.Select(d => d.Id));
        Assert.Equal("the IR is invalid after pass 'second': bad: second ran", run.Diagnostics[0].Message);
    }

    private sealed class SynchronousProgress(Action<PipelineProgress> action) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => action(value);
    }
}

public class IrVerificationByDefaultTests
{
    [Fact]
    public void A_pass_that_breaks_the_IR_is_caught_by_IrVerifier()
    {
        var catalog = new PassCatalog();
        var bag = new DiagnosticBag();
        catalog.Add(new DanglingOperand(), "(test)", bag);
        var run = new PassManager().Run(TestGraphs.Chain(), PipelineBinder.Bind("dangle", catalog, bag)!);
        Assert.Equal(PipelineStatus.Failed, run.Status);
        Assert.Equal("GD3008", run.Diagnostics[0].Id);
        Assert.StartsWith("the IR is invalid after pass 'dangle': ", run.Diagnostics[0].Message);
        Assert.Contains("'ghost'", run.Diagnostics[0].Message);
    }

    /// <summary>Makes the last operator read a tensor the graph does not declare.</summary>
    private sealed class DanglingOperand : IGraphPass
    {
        public PassDescriptor Descriptor { get; } = TestPasses.Describe("dangle");
        public PassResult Run(Model model, PassContext context)
        {
            var g = model.Main;
            var ops = g.Operators.ToArray();
            ops[^1] = ops[^1] with { Inputs = EquatableArray.Create<string?>("ghost") };
            return PassResult.From(model, model.WithMain(g with { Operators = ops.ToEquatableArray() }));
        }
    }
}

using GraphDsl.Analysis;
using GraphDsl.Analysis.Annotations;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Scheduling;

namespace GraphDsl.Passes.OrderSearch;

/// <summary>The <c>order</c> pass: finds the execution order with the smallest activation peak
/// and writes it as <c>@order(k)</c> on every operator of the main graph, with the search figures
/// in <c>@order_search(...)</c> on the graph. Operators stay in stored order; lowering reorders.</summary>
public sealed class OrderSearchPass : IGraphPass
{
    public const string BudgetOption = "budget-ms";
    public const string MaxStatesOption = "max-states";
    public const string SummaryAnnotation = WellKnownAnnotations.OrderSearch;

    public PassDescriptor Descriptor { get; } = new(
        "order",
        "Find the execution order with the minimum activation peak (exact, with proof or proven gap)",
        PassKind.Analysis,
        Requires: [],
        Provides: ["order"],
        Options:
        [
            // Defaults come from OrderSearchOptions, the one place they are written.
            PassOption.Int(BudgetOption, (long)new OrderSearchOptions().TimeBudget.TotalMilliseconds, "Time budget of the exact search in milliseconds; on expiry the best order so far is kept.") with { Rule = OptionRules.AtLeast(0) },
            PassOption.Int(MaxStatesOption, new OrderSearchOptions().MaxStates, "Most search states kept in memory.") with { Rule = OptionRules.AtLeast(1) },
        ],
        Reports: [AnalysisDiagnostics.UnsizedActivation, OrderSearchDiagnostics.CyclicGraph, OrderSearchDiagnostics.NotProven]);

    public PassResult Run(Model model, PassContext context)
    {
        var graph = model.Main;
        if (context.GetAnalysis<MemoryProblem>(model) is not { } problem) return PassResult.Unchanged(model);
        var result = Scheduling.OrderSearch.Run(problem, new OrderSearchOptions
        {
            TimeBudget = TimeSpan.FromMilliseconds(context.Options.Get<long>(BudgetOption)),
            MaxStates = context.Options.Get<long>(MaxStatesOption),
            Cancellation = context.Cancellation,
            Progress = new ProgressForwarder(context.Progress),
        });
        context.Cancellation.ThrowIfCancellationRequested();
        if (OrderSearchDiagnostics.ForResult(graph, result) is { } diagnostic) context.Diagnostics.Add(diagnostic);
        if (result.Outcome == OrderSearchOutcome.Cyclic) return PassResult.Unchanged(model);
        var annotated = Annotate(graph, result);
        return annotated == graph ? PassResult.Unchanged(model) : PassResult.From(model, model.WithMain(annotated));
    }

    /// <summary>The graph with <c>@order(k)</c> on each operator and the figures on the graph;
    /// a new order drops the annotations computed for the old one (<see cref="ExecutionOrderAnnotation"/>).</summary>
    public static Graph Annotate(Graph graph, OrderSearchResult result)
    {
        var ordered = ExecutionOrderAnnotation.Write(graph, result.Order);
        var annotated = OrderSearchAnnotation.Write(ordered, new OrderSearchSummary(result.StoredPeakBytes, result.PeakBytes,
            result.ProvenLowerBoundBytes, result.ProvenOptimal, result.States, result.Elapsed.TotalMilliseconds));
        // Structural equality: re-running on an already annotated graph with identical figures
        // returns the input instance, so Changed stays a reference comparison.
        return annotated.Equals(graph) ? graph : annotated;
    }

    /// <summary>Passes search progress on synchronously (System.Progress would post it to the
    /// thread pool, where it could arrive after the pass has finished).</summary>
    private sealed class ProgressForwarder(IProgress<PassProgress> target) : IProgress<OrderSearchProgress>
    {
        public void Report(OrderSearchProgress p) => target.Report(new PassProgress(
            $"order: peak {p.UpperBoundBytes} bytes, proven lower bound {p.LowerBoundBytes} bytes, {p.States} states"));
    }
}

using GraphDsl.Analysis;
using GraphDsl.ArenaPlanning;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Tflm;

namespace GraphDsl.Passes.ArenaPlan;

/// <summary>The <c>arena</c> pass: places every activation of the main graph in one arena under
/// the current execution order (<c>@order</c> when present) and writes <c>@arena</c>,
/// <c>@alias</c> and <c>@arena_plan</c> annotations.</summary>
public sealed class ArenaPass : IGraphPass
{
    private static readonly ArenaPlanOptions Defaults = new();

    public PassDescriptor Descriptor { get; } = new(
        "arena",
        "Place activations in one arena (reuse: views, in-place, concat; strategies incl. CP-SAT) and compare with TFLite Micro's greedy planner",
        PassKind.Analysis,
        Requires: [],
        Provides: ["arena"],
        // Defaults come from ArenaPlanOptions, the one place they are written.
        Options:
        [
            PassOption.Int("align", Defaults.Alignment, "Byte alignment of every buffer (TFLite Micro uses 16).") with { Rule = OptionRules.PowerOfTwo },
            PassOption.Text("strategy", Defaults.Strategy, "Placement: " + string.Join(", ", ArenaStrategies.Names) + "."),
            PassOption.Text("reuse", ReuseKindsText.Format(Defaults.Reuse), "Reuse beyond liveness: all, none, views, inplace, concat, or kinds joined by '+'."),
            PassOption.Int("budget-ms", Defaults.BudgetMilliseconds, "CP-SAT time budget in milliseconds.") with { Rule = OptionRules.AtLeast(0) },
            PassOption.Flag("reuse-savings", false, "Also plan the same order with no reuse, each kind alone and all kinds (same strategy) and record what each saves; five more plans."),
        ],
        Reports: ArenaDiagnostics.Planning)
    {
        // Offsets depend on lifetimes, which depend on the order: a new order makes the plan stale.
        DependsOn = ["order"],
    };

    public PassResult Run(Model model, PassContext context)
    {
        var location = PassLocation.Of(model, context);
        var reuseText = context.Options.Get<string>("reuse");
        if (!ReuseKindsText.TryParse(reuseText, out var reuse))
        {
            context.Diagnostics.Report(ArenaDiagnostics.UnknownReuse, location, reuseText, string.Join(", ", ReuseKindsText.KnownNames));
            return PassResult.Unchanged(model);
        }
        var options = new ArenaPlanOptions(context.Options.Get<long>("align"), context.Options.Get<string>("strategy"),
            reuse, context.Options.Get<long>("budget-ms"));
        if (context.GetAnalysis<MemoryProblem>(model) is not { } problem) return PassResult.Unchanged(model);
        // TFLM's own plan of the model as stored: the figure the written plan must not exceed.
        var stored = context.GetAnalysis<TflmArena>(model);
        var plan = ArenaPlanner.Plan(problem, null, options, context.Diagnostics, location, context.Cancellation, model, stored);
        if (plan is null) return PassResult.Unchanged(model);
        // What each reuse kind is worth, on the order and with the strategy of this plan.
        var savings = context.Options.Get<bool>("reuse-savings")
            ? ReuseSavings.Measure(problem, plan.Order, options,
                ArenaStrategies.Create(options.Strategy, new ArenaStrategyOptions(options.BudgetMilliseconds))!, context.Cancellation)
            : null;
        return PassResult.From(model, model.WithMain(ArenaAnnotations.Write(model.Main, problem, plan, savings)));
    }
}

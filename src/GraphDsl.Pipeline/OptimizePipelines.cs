using GraphDsl.Ir;

namespace GraphDsl.Pipeline;

/// <summary>The default pipelines of the commands, as pipeline text (each command runs one of
/// these, or the user's <c>--pipeline</c>), and the capabilities a model's own annotations
/// already establish.</summary>
public static class OptimizePipelines
{
    /// <summary>The pipeline of <c>graphdsl optimize</c>. Ordering constraints:
    /// tmm     - per-operator memory of the stored order (shown by --print-after; the order pass
    ///           drops it when it picks another order, as it is stale then);
    /// order   - the minimum-peak execution order;
    /// tile    - after order: runs the memory-critical stages in row bands (issue #16) when that
    ///           lowers TFLM's predicted head within its MAC cap; it keeps the order found (bands
    ///           one after another in its place), and its graph's stored order is the execution
    ///           order; `tile{enabled=false}` switches it off;
    /// arena   - must follow order: offsets depend on lifetimes, which depend on the order;
    /// verify  - must follow arena: checks that plan for that order;
    /// lower   - must follow verify: writes only a verified plan.</summary>
    public const string Default = "tmm,order,tile,arena,verify,lower";

    /// <summary>The "before" run: the arena pass plans the stored order (no <c>@order</c> yet), which
    /// also gives TFLite Micro's greedy figure for the model as the user has it.</summary>
    public const string Stored = "arena";

    /// <summary>Capabilities the input already carries as annotations (a planned .gdsl), so a
    /// pipeline such as <c>verify,lower</c> can re-check and re-lower it without re-planning.</summary>
    public static IReadOnlyList<string> Established(Model model)
    {
        var main = model.Main;
        var established = new List<string>();
        if (main.Operators.Count > 0 && main.Operators.All(o => o.Annotations.ContainsKey(WellKnownAnnotations.Order)))
            established.Add("order");
        if (GraphDsl.Analysis.Annotations.ArenaAnnotation.HasPlan(main)) established.Add("arena");
        return established;
    }

    /// <summary>The model without <c>@order</c> annotations, so that passes plan its stored order
    /// (the "before" of a model that was already planned once).</summary>
    public static Model InStoredOrder(Model model) => model.WithMain(GraphDsl.Analysis.Annotations.ExecutionOrderAnnotation.Strip(model.Main));
}

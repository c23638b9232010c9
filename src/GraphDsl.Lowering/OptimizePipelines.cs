using GraphDsl.Ir;

namespace GraphDsl.Lowering;

/// <summary>The pipelines of <c>graphdsl optimize</c>, as pipeline text, and the capabilities a
/// model's own annotations already establish.</summary>
public static class OptimizePipelines
{
    /// <summary>tmm first (per-operator memory of the stored order), then the order search; arena
    /// must follow order (offsets depend on lifetimes, which depend on the order); verify checks
    /// the plan before lower turns it into files.</summary>
    public const string Default = "tmm,order,arena,verify,lower";

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
        if (main.Annotations.ContainsKey("arena_plan")) established.Add("arena");
        return established;
    }

    /// <summary>The model without <c>@order</c> annotations, so that passes plan its stored order
    /// (the "before" of a model that was already planned once).</summary>
    public static Model InStoredOrder(Model model)
    {
        var main = model.Main;
        if (!main.Operators.Any(o => o.Annotations.ContainsKey(WellKnownAnnotations.Order))) return model;
        return model.WithMain(main with
        {
            Operators = main.Operators.Select(o => o with { Annotations = o.Annotations.Without(WellKnownAnnotations.Order) }).ToEquatableArray(),
        });
    }
}

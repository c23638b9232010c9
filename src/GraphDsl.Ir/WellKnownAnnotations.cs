namespace GraphDsl.Ir;

/// <summary>Annotation names that more than one pass reads or writes. A pass may add others;
/// these are the ones that lowering and reports rely on.</summary>
public static class WellKnownAnnotations
{
    /// <summary>On an operator: its position in the execution order (<c>@order(3)</c>).</summary>
    public const string Order = "order";

    /// <summary>On a tensor: its place in the activation arena (<c>@arena(offset=.., size=..)</c>).</summary>
    public const string Arena = "arena";

    /// <summary>On an operator: activation bytes while it runs (<c>@memory(inputs=.., outputs=.., other=.., total=..)</c>).</summary>
    public const string Memory = "memory";

    /// <summary>On the main graph: the TMM summary of the current order
    /// (<c>@tmm(peak_bytes=.., peak_step=.., peak_operator=.., largest_operator_bytes=.., view=..)</c>).</summary>
    public const string Tmm = "tmm";

    /// <summary>On a tensor: it shares the bytes of another tensor (<c>@alias(of="x", offset=0, reason="view")</c>).</summary>
    public const string Alias = "alias";

    /// <summary>On the main graph: the figures of the arena plan (<c>@arena_plan(arena_bytes=.., ...)</c>).</summary>
    public const string ArenaPlan = "arena_plan";

    /// <summary>On the main graph: the figures of the order search (<c>@order_search(peak_bytes=.., ...)</c>).</summary>
    public const string OrderSearch = "order_search";

    /// <summary>On an operator made by row-band tiling: <c>@tile(region=r, band=k, source="...")</c>,
    /// source being the first output of the operator it was cut from (the region input for the
    /// band's SLICE of it, the region output for the CONCATENATION that joins the bands).</summary>
    public const string Tile = "tile";

    /// <summary>On the main graph: what the tile pass did (<c>@tiling(regions=[...], macs_before=.., macs_after=..)</c>).</summary>
    public const string Tiling = "tiling";

    /// <summary>Annotations computed for one execution order: they are stale as soon as the order
    /// changes, so whatever writes a new order removes them (see ExecutionOrderAnnotation.Write).</summary>
    public static IReadOnlyList<string> OrderDependent { get; } = [Memory, Tmm, Arena, Alias, ArenaPlan, OrderSearch];
}

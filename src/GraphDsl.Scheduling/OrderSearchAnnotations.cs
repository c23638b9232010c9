namespace GraphDsl.Scheduling;

/// <summary>The graph annotation in which the <c>order</c> pass records its figures,
/// <c>@order_search(stored_peak_bytes=.., peak_bytes=.., lower_bound_bytes=.., proven_optimal=..,
/// states=.., search_ms=..)</c>; shared by the pass that writes it and the tools that read it.</summary>
public static class OrderSearchAnnotations
{
    public const string Summary = "order_search";
}

namespace GraphDsl.Ir;

/// <summary>A whole model: its graphs (TFLite subgraphs; the first is the main graph that passes
/// plan) and model-level facts such as the source format and metadata entries.</summary>
public sealed record Model(EquatableArray<Graph> Graphs)
{
    /// <summary>Optional model name, written after <c>model</c> in the text form.</summary>
    public string? Name { get; init; }

    /// <summary>Facts from the source (format, version, description, metadata entry names).</summary>
    public AttributeMap Attributes { get; init; } = AttributeMap.Empty;

    public AttributeMap Annotations { get; init; } = AttributeMap.Empty;

    public Origin Origin { get; init; }

    /// <summary>The graph that runs first (TFLite subgraph 0); execution order and arena planning
    /// apply to it.</summary>
    public Graph Main => Graphs[0];

    public static Model Of(Graph graph) => new(EquatableArray.Create(graph));

    /// <summary>A copy with the main graph replaced, or this instance when it is the same.</summary>
    public Model WithMain(Graph main) =>
        ReferenceEquals(main, Main) ? this : this with { Graphs = Graphs.AsImmutableArray().SetItem(0, main) };
}

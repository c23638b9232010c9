using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Ir;

/// <summary>Where an IR node came from (a span of DSL text, or a place in a model file).</summary>
/// <remarks>Every Origin equals every other: a graph printed and parsed back is the same graph
/// even though its nodes now point into the printed text. Records holding an Origin therefore
/// keep their structural equality.</remarks>
public readonly struct Origin : IEquatable<Origin>
{
    public Origin(Location? location) => Location = location;

    public Location? Location { get; }

    public static implicit operator Origin(Location? location) => new(location);

    public bool Equals(Origin other) => true;
    public override bool Equals(object? obj) => obj is Origin;
    public override int GetHashCode() => 0;

    public override string ToString() => Location?.ToString() ?? "";
}

namespace GraphDsl.Lowering;

/// <summary>Where one activation tensor lives in the arena: bytes [Offset, Offset + Size).</summary>
/// <param name="TensorIndex">Position of the tensor in <c>Graph.Tensors</c> (for a TFLite model,
/// its index in the subgraph's tensor table).</param>
/// <param name="AliasOf">The tensor whose bytes it shares, when it is placed by an <c>@alias</c>.</param>
/// <param name="First">First execution step at which the tensor is alive.</param>
/// <param name="Last">Last execution step at which the tensor is alive.</param>
public sealed record TensorPlacement(int TensorIndex, string Name, long Offset, long Size, string? AliasOf, int First, int Last)
{
    public long End => Offset + Size;
}

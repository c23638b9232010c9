namespace GraphDsl.Analysis.Annotations;

/// <summary>What TensorFlow Lite Micro's arena holds for one model (GraphDsl.Tflm's model of it),
/// all in bytes: <c>kTensorArenaSize</c> must be at least <see cref="ArenaBytes"/>. The one record
/// of these figures: <c>@tmm</c> carries it for the model as stored, <c>@arena_plan</c>
/// (<see cref="TflmArenaSummary.Written"/>) for the model as it will be written.</summary>
/// <param name="HeadBytes">Planned section (<c>GetNonPersistentUsedBytes()</c>): activations and scratch.</param>
/// <param name="ActivationBytes">End of the highest tensor in that plan.</param>
/// <param name="ScratchBytes">What kernel scratch buffers add above the tensors.</param>
/// <param name="PersistentBytes">Persistent section (<c>GetPersistentUsedBytes()</c>), null when not modelled.</param>
/// <param name="ArenaBytes">Head plus tail: <c>arena_used_bytes()</c>, the least <c>kTensorArenaSize</c>; null when the tail is not modelled.</param>
/// <param name="Estimate">Operators whose kernels are not modelled (the figures are estimates), or null.</param>
/// <param name="Commit">The TFLM commit the model reproduces (short).</param>
public sealed record TflmArenaFigures(long HeadBytes, long ActivationBytes, long ScratchBytes, long? PersistentBytes,
    long? ArenaBytes, string? Estimate, string Commit);

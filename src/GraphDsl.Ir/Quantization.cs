namespace GraphDsl.Ir;

/// <summary>Affine quantization: <c>real = scale * (q - zero_point)</c>, per tensor or, when
/// <see cref="Axis"/> is set, per slice along that axis.</summary>
public sealed record Quantization(EquatableArray<double> Scales, EquatableArray<long> ZeroPoints, int? Axis = null)
{
    public static Quantization PerTensor(double scale, long zeroPoint) =>
        new(EquatableArray.Create(scale), EquatableArray.Create(zeroPoint));

    public bool IsPerAxis => Axis.HasValue;
}

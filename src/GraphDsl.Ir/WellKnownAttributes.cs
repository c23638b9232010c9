namespace GraphDsl.Ir;

/// <summary>Attribute names that a front end writes and other projects read, so each is spelled once.</summary>
public static class WellKnownAttributes
{
    /// <summary>On a tensor: its offset in bytes in the model's own offline memory plan (TFLite
    /// metadata <c>OfflineMemoryAllocation</c>, micro_allocation_info.cc), when the model has one;
    /// set by the TFLite importer, read by the TFLM arena model.</summary>
    public const string OfflineOffset = "offline_offset";

    /// <summary>On a TFLite <c>CUSTOM</c> operator: its operator code's <c>custom_code</c> (schema.fbs
    /// OperatorCode), the name TFLM's op resolver registers the kernel under.</summary>
    public const string CustomCode = "custom_code";

    /// <summary>On a graph: the dynamic dimensions an importer sized by default, one string each
    /// (<c>x dim 2 ('h') = 1</c>); the figures hold for those sizes only.</summary>
    public const string AssumedDims = "assumed_dims";

    /// <summary>On a graph: the dynamic dimensions the user sized with <c>--dim NAME=N</c>
    /// (<c>x dim 2 ('h') = 640</c>): the sizes the plan is for.</summary>
    public const string SetDims = "set_dims";
}

using GraphDsl.Ir;

namespace GraphDsl.Tflm;

/// <summary>The persistent section (tail): what <c>GetPersistentUsedBytes()</c> counts.</summary>
internal static class TflmPersistentSection
{
    public static (long? Bytes, IReadOnlyList<TflmTailItem> Items) Compute(Model model, int[][] orders,
        IReadOnlyList<long?>? offlineOffsets, int scratchCount, TflmTarget target, List<TflmEstimateReason> estimates)
    {
        return (null, []);
    }
}

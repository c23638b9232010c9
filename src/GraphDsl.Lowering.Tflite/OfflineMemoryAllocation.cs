using System.Buffers.Binary;

namespace GraphDsl.Lowering.Tflite;

/// <summary>The TFLite Micro offline memory plan: a metadata entry named
/// <c>OfflineMemoryAllocation</c> whose buffer holds little-endian int32 values
/// <c>[version = 0, subgraph index, N, offset of tensor 0, ..., offset of tensor N-1]</c>, where an
/// offset of -1 lets the runtime plan that tensor itself.</summary>
/// <remarks>TFLite Micro (micro_allocation_info.cc, GetOfflinePlannedOffsets) compares N with the
/// number of tensors of ALL subgraphs together and refuses the model when they differ, so N is that
/// total; the offsets of subgraph 0's tensors come first and every tensor of a later subgraph is
/// written as -1.</remarks>
public static class OfflineMemoryAllocation
{
    public const string MetadataName = "OfflineMemoryAllocation";

    /// <summary>Offset value meaning "planned by the runtime".</summary>
    public const int RuntimePlanned = -1;

    /// <summary>The buffer bytes for <paramref name="mainOffsets"/> (one per tensor of subgraph 0),
    /// padded with -1 up to <paramref name="totalTensorCount"/> entries.</summary>
    public static byte[] Encode(IReadOnlyList<int> mainOffsets, int totalTensorCount)
    {
        if (mainOffsets.Count > totalTensorCount) throw new ArgumentException("More offsets than tensors.", nameof(mainOffsets));
        var bytes = new byte[4 * (3 + totalTensorCount)];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, 0);        // format version
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 0);   // subgraph index
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], totalTensorCount);
        for (int i = 0; i < totalTensorCount; i++)
            BinaryPrimitives.WriteInt32LittleEndian(span[(12 + 4 * i)..], i < mainOffsets.Count ? mainOffsets[i] : RuntimePlanned);
        return bytes;
    }
}

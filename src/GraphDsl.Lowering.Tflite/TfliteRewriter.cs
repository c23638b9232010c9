using System.Text;
using Google.FlatBuffers;
using GraphDsl.Importers.Tflite;
using GraphDsl.Importers.Tflite.Schema;
using GraphDsl.Ir.Diagnostics;
using F = GraphDsl.Importers.Tflite.Schema.TfliteFields;

namespace GraphDsl.Lowering.Tflite;

/// <summary>Writes a TFLite model back with subgraph 0's operators in a new order and, optionally,
/// a TFLite Micro offline memory plan (<see cref="OfflineMemoryAllocation"/>) in its metadata;
/// everything else is carried over as described on <see cref="TfliteModelWriter"/>.</summary>
/// <remarks>
/// Metadata: an existing <c>OfflineMemoryAllocation</c> entry is replaced (its buffer gets the new
/// plan; further entries of that name are removed), else a buffer and an entry are appended at the
/// end of their tables, so every existing buffer and metadata index stays valid. With no plan
/// (null), an existing entry is removed, since offsets planned for another order would be wrong;
/// its buffer is left in place so no index shifts.
/// </remarks>
public static class TfliteRewriter
{
    /// <summary>The rewritten model, for callers whose inputs are already known to be valid (a model
    /// that imported, an order and plan computed from it). Throws <see cref="InvalidDataException"/>
    /// with the diagnostics' messages otherwise; user-facing code calls <see cref="TryRewrite"/>.</summary>
    public static byte[] Rewrite(ReadOnlyMemory<byte> original, IReadOnlyList<int> mainOperatorOrder, IReadOnlyList<int>? arenaOffsetsPerTensorOfMain)
    {
        var result = TryRewrite(original, "model.tflite", mainOperatorOrder, arenaOffsetsPerTensorOfMain);
        return result.Bytes ?? throw new InvalidDataException(string.Join("; ", result.Diagnostics.Select(d => d.Message)));
    }

    /// <summary>Rewrites <paramref name="original"/> (named <paramref name="path"/> in diagnostics).
    /// <paramref name="mainOperatorOrder"/>[i] is the index, in the original, of the operator that
    /// runs i-th; it must be a permutation in which every operator runs after the producers of its
    /// inputs. <paramref name="arenaOffsetsPerTensorOfMain"/> holds one offset per tensor of subgraph
    /// 0 (-1: runtime-planned), or is null for no offline plan.</summary>
    public static TfliteRewriteResult TryRewrite(ReadOnlyMemory<byte> original, string path,
        IReadOnlyList<int> mainOperatorOrder, IReadOnlyList<int>? arenaOffsetsPerTensorOfMain)
    {
        // The importer validates the whole model (offsets, indices) before anything is copied.
        var imported = TfliteImporter.Import(original, path);
        if (!imported.Succeeded) return new TfliteRewriteResult(null, imported.Diagnostics);
        var model = imported.Model!;
        var main = model.Main;

        if (Problem(main, mainOperatorOrder, arenaOffsetsPerTensorOfMain) is { } problem)
            return Failure(path, "subgraph0", problem);

        var bytes = original.ToArray();
        var root = FlatBufferTable.Root(new ByteBuffer(bytes), bytes.Length);
        int bufferCount = root.Vector(F.Model.Buffers, 4)?.Count ?? 0;
        int totalTensors = model.Graphs.Sum(g => g.Tensors.Count);
        byte[]? plan = arenaOffsetsPerTensorOfMain is null ? null : OfflineMemoryAllocation.Encode(arenaOffsetsPerTensorOfMain, totalTensors);
        var planName = Encoding.UTF8.GetBytes(OfflineMemoryAllocation.MetadataName);

        var existing = Tables(root.Vector(F.Model.Metadata, 4))
            .Where(m => (m.Vector(F.Metadata.Name, 1)?.ToBytes() ?? []).AsSpan().SequenceEqual(planName))
            .Select(m => (int?)m.UInt32(F.Metadata.Buffer)).FirstOrDefault();
        // The plan goes into a buffer no tensor reads: refilling an old plan's buffer that a tensor
        // also names (buffer 0, or a weight) would make those tensors constants holding the plan.
        // schema.fbs: buffer 0 is the empty sentinel, so a model without buffers gets one first.
        var read = model.Graphs.SelectMany(g => g.Tensors).Select(t => t.Attributes["buffer"]?.AsInt()).OfType<long>().ToHashSet();
        bool refill = existing is { } old && old != 0 && !read.Contains(old);
        int? planBuffer = plan is null ? null : refill ? existing : Math.Max(bufferCount, 1);
        byte[][] appended = plan is null || refill ? [] : bufferCount == 0 ? [[], plan] : [plan];

        var writer = new TfliteModelWriter(root, mainOperatorOrder,
            i => plan is not null && i == planBuffer ? plan : null,
            appended,
            entries => EditMetadata(entries, planName, planBuffer));
        try
        {
            return new TfliteRewriteResult(writer.Write(), []);
        }
        catch (TfliteRewriteException e)
        {
            return Failure(path, "model", e.Message);
        }
        catch (FlatBufferFormatException e)
        {
            // A field the importer does not read (e.g. a deprecated string) can still be damaged.
            return new TfliteRewriteResult(null, [Diagnostic.Create(TfliteDiagnostics.MalformedFlatBuffer, new ModelLocation(path, $"byte {e.ByteOffset}"), e.Message)]);
        }
    }

    private static IEnumerable<FlatBufferTable> Tables(FlatBufferVector? vector)
    {
        if (vector is not { } v) yield break;
        for (int i = 0; i < v.Count; i++) yield return v.Table(i);
    }

    /// <summary>Keeps every other entry in order; the first plan entry is kept in place (pointing at
    /// the plan buffer) or appended, later ones are dropped; with no plan all are dropped.</summary>
    private static IReadOnlyList<(byte[] Name, uint Buffer)> EditMetadata(IReadOnlyList<(byte[] Name, uint Buffer)> entries, byte[] planName, int? planBuffer)
    {
        var result = new List<(byte[] Name, uint Buffer)>();
        bool placed = false;
        foreach (var e in entries)
        {
            if (!e.Name.AsSpan().SequenceEqual(planName)) { result.Add(e); continue; }
            if (planBuffer is null || placed) continue;
            result.Add((e.Name, (uint)planBuffer.Value));
            placed = true;
        }
        if (planBuffer is not null && !placed) result.Add((planName, (uint)planBuffer.Value));
        return result;
    }

    /// <summary>Why the order or plan does not fit the main graph, or null.</summary>
    private static string? Problem(GraphDsl.Ir.Graph main, IReadOnlyList<int> order, IReadOnlyList<int>? offsets)
    {
        int n = main.Operators.Count;
        if (order.Count != n) return $"the operator order has {order.Count} entries but subgraph 0 has {n} operators";
        var position = new int[n];
        Array.Fill(position, -1);
        for (int i = 0; i < n; i++)
        {
            if (order[i] < 0 || order[i] >= n) return $"operator order entry {i} is {order[i]}, outside 0..{n - 1}";
            if (position[order[i]] >= 0) return $"operator {order[i]} appears twice in the operator order";
            position[order[i]] = i;
        }
        for (int op = 0; op < n; op++)
        {
            foreach (var input in main.Operators[op].PresentInputs)
            {
                int producer = main.ProducerOf(input);
                if (producer >= 0 && producer != op && position[producer] > position[op])
                    return $"the operator order runs operator {op} before operator {producer}, which produces its input '{input}'";
            }
        }
        if (offsets is not null)
        {
            if (offsets.Count != main.Tensors.Count) return $"the arena plan has {offsets.Count} offsets but subgraph 0 has {main.Tensors.Count} tensors";
            for (int i = 0; i < offsets.Count; i++)
                if (offsets[i] < -1) return $"arena offset {offsets[i]} of tensor {i} is negative";
        }
        return null;
    }

    private static TfliteRewriteResult Failure(string path, string fragment, string message) =>
        new(null, [Diagnostic.Create(TfliteDiagnostics.CannotRewrite, new ModelLocation(path, fragment), message)]);
}

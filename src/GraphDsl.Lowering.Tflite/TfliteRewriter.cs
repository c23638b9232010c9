using System.Text;
using Google.FlatBuffers;
using GraphDsl.Importers.Tflite;
using GraphDsl.Importers.Tflite.Schema;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using F = GraphDsl.Importers.Tflite.Schema.TfliteFields;

namespace GraphDsl.Lowering.Tflite;

/// <summary>Writes a TFLite model back with subgraph 0's operators in a new order, or subgraph 0 as
/// an IR graph that passes changed, and, optionally,
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
    /// with the diagnostics' messages otherwise; user-facing code calls <c>TryRewrite</c>.</summary>
    public static byte[] Rewrite(ReadOnlyMemory<byte> original, IReadOnlyList<int> mainOperatorOrder, IReadOnlyList<int>? arenaOffsetsPerTensorOfMain)
    {
        var result = TryRewrite(original, "model.tflite", mainOperatorOrder, arenaOffsetsPerTensorOfMain);
        return result.Bytes ?? throw new InvalidDataException(string.Join("; ", result.Diagnostics.Select(d => d.Message)));
    }

    /// <summary>The model with subgraph 0 written from <paramref name="main"/> (see the TryRewrite
    /// overload taking a graph), for callers whose inputs are known to be valid; throws
    /// <see cref="InvalidDataException"/> with the diagnostics' messages otherwise.</summary>
    public static byte[] Rewrite(ReadOnlyMemory<byte> original, Graph main, IReadOnlyList<int>? arenaOffsetsPerTensorOfMain)
    {
        var result = TryRewrite(original, "model.tflite", main, arenaOffsetsPerTensorOfMain);
        return result.Bytes ?? throw new InvalidDataException(string.Join("; ", result.Diagnostics.Select(d => d.Location + ": " + d.Message)));
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
        var main = imported.Model!.Main;
        if (Problem(main, mainOperatorOrder, arenaOffsetsPerTensorOfMain) is { } problem)
            return Failure(path, "subgraph0", problem);
        var reordered = main with { Operators = mainOperatorOrder.Select(i => main.Operators[i]).ToEquatableArray() };
        return Write(original, path, imported.Model!, reordered, arenaOffsetsPerTensorOfMain);
    }

    /// <summary>Writes <paramref name="original"/> with subgraph 0 replaced by <paramref name="main"/>,
    /// an IR graph that a pass may have changed (operators added, removed or with new attributes,
    /// tensors added or removed, new constants): see <see cref="MainSubgraphMapping"/> for what is
    /// copied and what is written from the IR. Operators are written in <paramref name="main"/>'s
    /// stored order (execution order), tensors in its table order, which is the new tensor numbering
    /// that <paramref name="arenaOffsetsPerTensorOfMain"/> (one offset per tensor of
    /// <paramref name="main"/>, -1 runtime-planned; null for no offline plan) follows. Every other
    /// subgraph is copied. Errors (an element the TFLite schema cannot express, an operator stored
    /// before the producer of its input) are GD2106 diagnostics at the IR node's origin.</summary>
    public static TfliteRewriteResult TryRewrite(ReadOnlyMemory<byte> original, string path, Graph main,
        IReadOnlyList<int>? arenaOffsetsPerTensorOfMain)
    {
        var imported = TfliteImporter.Import(original, path);
        if (!imported.Succeeded) return new TfliteRewriteResult(null, imported.Diagnostics);
        if (arenaOffsetsPerTensorOfMain is { } offsets)
        {
            if (offsets.Count != main.Tensors.Count)
                return Failure(path, "subgraph0", $"the arena plan has {offsets.Count} offsets but the lowered graph has {main.Tensors.Count} tensors");
            if (offsets.Select((o, i) => (o, i)).FirstOrDefault(x => x.o < -1) is { o: < -1 } bad)
                return Failure(path, "subgraph0", $"arena offset {bad.o} of tensor {bad.i} is negative");
        }
        return Write(original, path, imported.Model!, main, arenaOffsetsPerTensorOfMain);
    }

    private static TfliteRewriteResult Write(ReadOnlyMemory<byte> original, string path, Ir.Model model, Graph main,
        IReadOnlyList<int>? arenaOffsetsPerTensorOfMain)
    {
        var bytes = original.ToArray();
        var root = FlatBufferTable.Root(new ByteBuffer(bytes), bytes.Length);
        MainSubgraphMapping mapping;
        try
        {
            mapping = MainSubgraphMapping.Build(root, model, main, path);
        }
        catch (TfliteRewriteException e)
        {
            return new TfliteRewriteResult(null, [Diagnostic.Create(TfliteDiagnostics.CannotRewrite, e.Where ?? new ModelLocation(path, "subgraph0"), e.Message)]);
        }

        int bufferCount = root.Vector(F.Model.Buffers, 4)?.Count ?? 0;
        int totalTensors = main.Tensors.Count + model.Graphs.Skip(1).Sum(g => g.Tensors.Count);
        byte[]? plan = arenaOffsetsPerTensorOfMain is null ? null : OfflineMemoryAllocation.Encode(arenaOffsetsPerTensorOfMain, totalTensors);
        var planName = Encoding.UTF8.GetBytes(OfflineMemoryAllocation.MetadataName);

        var existing = Tables(root.Vector(F.Model.Metadata, 4))
            .Where(m => (m.Vector(F.Metadata.Name, 1)?.ToBytes() ?? []).AsSpan().SequenceEqual(planName))
            .Select(m => (int?)m.UInt32(F.Metadata.Buffer)).FirstOrDefault();
        // The plan goes into a buffer no tensor reads: refilling an old plan's buffer that a tensor
        // also names (buffer 0, or a weight) would make those tensors constants holding the plan.
        // schema.fbs: buffer 0 is the empty sentinel, so a model without buffers gets one first.
        var read = model.Graphs.Skip(1).SelectMany(g => g.Tensors).Select(t => t.Attributes["buffer"]?.AsInt()).OfType<long>()
            .Concat(mapping.BuffersRead).ToHashSet();
        bool refill = existing is { } old && old != 0 && !read.Contains(old);
        // Appended after the source's buffers: the sentinel when there were none, new constants, the plan.
        var appended = new List<byte[]>();
        if (bufferCount == 0 && (mapping.ConstantBuffers.Count > 0 || (plan is not null && !refill))) appended.Add([]);
        appended.AddRange(mapping.ConstantBuffers);
        int? planBuffer = plan is null ? null : refill ? existing : mapping.FirstNewBuffer + mapping.ConstantBuffers.Count;
        if (plan is not null && !refill) appended.Add(plan);

        var writer = new TfliteModelWriter(root, mapping,
            i => plan is not null && i == planBuffer ? plan : null,
            appended.ToArray(),
            entries => EditMetadata(entries, planName, planBuffer));
        try
        {
            return new TfliteRewriteResult(writer.Write(), []);
        }
        catch (TfliteRewriteException e)
        {
            return new TfliteRewriteResult(null, [Diagnostic.Create(TfliteDiagnostics.CannotRewrite, e.Where ?? new ModelLocation(path, "model"), e.Message)]);
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
    private static string? Problem(Graph main, IReadOnlyList<int> order, IReadOnlyList<int>? offsets)
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

using GraphDsl.Ir;

namespace GraphDsl.Tiling;

/// <summary>Multiply-accumulates of the compute-heavy TFLite operators, from tensor shapes:
/// CONV_2D <c>Ho*Wo*Co*Kh*Kw*Ci</c>, DEPTHWISE_CONV_2D <c>Ho*Wo*Co*Kh*Kw</c>,
/// FULLY_CONNECTED <c>rows*O*I</c>, AVERAGE/MAX_POOL_2D <c>Ho*Wo*C*Kh*Kw</c> (one add or compare
/// per window cell, counted as one MAC); ONNX Conv <c>N*M*Ho*Wo*(C/group)*Kh*Kw</c> (weight
/// [M, C/group, Kh, Kw]) and MaxPool/AveragePool like TFLite's pools; every other operator counts 0.</summary>
public static class MacCounter
{
    /// <summary>MACs of one operator, 0 when it is not one of the counted kinds or a shape is unknown.</summary>
    public static long Of(Graph graph, Operator op)
    {
        var outName = op.PresentOutputs.FirstOrDefault();
        if (outName is null || graph.FindTensor(outName)?.Type.Shape is not { IsFullyKnown: true } o) return 0;
        Shape? Input(int i) => i < op.Inputs.Count && op.Inputs[i] is { } n && graph.FindTensor(n)?.Type.Shape is { IsFullyKnown: true } s ? s : null;
        long D(Shape s, int i) => s.Dims[i].Value!.Value;
        // Saturating: a malformed model's shapes can multiply past long (fuzz); such a count only
        // has to be too large for any MAC cap.
        static long P(params long[] factors)
        {
            Int128 p = 1;
            foreach (var f in factors) { p *= f; if (p > long.MaxValue) return long.MaxValue; if (p < 0) return 0; }
            return (long)p;
        }
        switch (op.OpType)
        {
            case "CONV_2D" when o.Rank == 4 && Input(1) is { Rank: 4 } w:
                return P(D(o, 0), D(o, 1), D(o, 2), D(o, 3), D(w, 1), D(w, 2), D(w, 3));
            case "DEPTHWISE_CONV_2D" when o.Rank == 4 && Input(1) is { Rank: 4 } w:
                return P(D(o, 0), D(o, 1), D(o, 2), D(o, 3), D(w, 1), D(w, 2));
            case "FULLY_CONNECTED" when Input(1) is { Rank: 2 } w:
                return P(o.ElementCount!.Value, D(w, 1));
            case "AVERAGE_POOL_2D" or "MAX_POOL_2D" when o.Rank == 4:
                return P(o.ElementCount!.Value, op.Attributes["filter_height"]?.AsInt() ?? 1, op.Attributes["filter_width"]?.AsInt() ?? 1);
            case "Conv" when Input(1) is { Rank: >= 3 } w:
                return P([o.ElementCount!.Value, .. w.Dims.Skip(1).Select(d => d.Value!.Value)]);
            case "MaxPool" or "AveragePool" when op.Attributes["kernel_shape"]?.AsInts() is { } kernel:
                return P([o.ElementCount!.Value, .. kernel]);
            default:
                return 0;
        }
    }

    /// <summary>MACs of every operator of the graph.</summary>
    public static long Of(Graph graph)
    {
        long total = 0;
        foreach (var op in graph.Operators) total = Of(graph, op) is var m && total > long.MaxValue - m ? long.MaxValue : total + m;
        return total;
    }
}

using GraphDsl.Ir;

namespace GraphDsl.Importers.Onnx.Inference;

/// <summary>LSTM, GRU and RNN: Y [seq, dirs, batch, hidden] and the final states
/// [dirs, batch, hidden] (layout 0), or batch-first with layout 1.</summary>
internal static class RecurrentInference
{
    public static TensorFacts[]? Recurrent(InferenceContext c)
    {
        var x = c.Input(0);
        if (x?.Dims is not { Length: 3 } d) return c.Fail("X must have rank 3");
        if (c.Attribute("hidden_size") is not { HasI: true } h) return c.Fail("attribute hidden_size is missing");
        Dim dirs = c.Str("direction", "forward") == "bidirectional" ? 2 : 1;
        Dim hidden = h.I;
        bool batchFirst = c.Int("layout", 0) != 0;
        var (seq, batch) = batchFirst ? (d[1], d[0]) : (d[0], d[1]);
        Dim[] y = batchFirst ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden];
        Dim[] state = batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden];
        return Enumerable.Range(0, c.OutputCount).Select(i => new TensorFacts(x.Type, i == 0 ? y : state)).ToArray();
    }
}

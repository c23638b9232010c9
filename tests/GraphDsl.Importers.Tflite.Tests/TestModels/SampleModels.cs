using GraphDsl.TestKit.Tflite;

namespace GraphDsl.Importers.Tflite.Tests.TestModels;

/// <summary>Small hand-built TFLite models exercising what the corpus lacks or has rarely.</summary>
public static class SampleModels
{
    // BuiltinOperator and BuiltinOptions codes from schema.fbs.
    public const int FullyConnected = 9, Custom = 32, Reshape = 22, Add = 0, Gelu = 150;
    public const byte FullyConnectedOptionsType = 8, AddOptionsType = 11;
    public const sbyte F32 = 0, I32 = 2, I16 = 7, I8 = 9, I4 = 17;

    /// <summary>Two subgraphs; subgraph 0 has an FC with an absent optional bias, a custom op with
    /// options reading a variable state tensor, per-axis quantized weights, a packed int4 constant,
    /// an inline shape constant, a buffer stored after the flatbuffer, duplicate and empty tensor
    /// names, intermediates, and an operator code above 127; plus metadata and a signature.</summary>
    public static TestTfliteModel Rich()
    {
        var m = new TestTfliteModel { Description = "synthetic" };
        m.OpCodes.Add(new TestOpCode(FullyConnected, Version: 4));
        m.OpCodes.Add(new TestOpCode(Custom, "MyCustomOp"));
        m.OpCodes.Add(new TestOpCode(Gelu, Version: 2));
        m.OpCodes.Add(new TestOpCode(Add));
        uint weights = m.AddBuffer([1, 2, 3, 4, 5, 6, 7, 8]);
        uint int4 = m.AddBuffer([0x12, 0x34, 0x56, 0x78, 0x09]);
        uint shape = m.AddBuffer([2, 0, 0, 0, 1, 0, 0, 0]);
        uint external = m.AddBuffer(Enumerable.Range(0, 16).Select(i => (byte)(i * 3)).ToArray(), external: true);
        uint meta = m.AddBuffer("1.5.0"u8.ToArray());

        var main = new TestSubgraph { Name = "main" };
        int input = main.Add(new TestTensor("input", F32, [1, 4]) { ShapeSignature = [-1, 4] });
        int w = main.Add(new TestTensor("weights", I8, [2, 4], weights) { Scales = [0.5f, 0.25f], ZeroPoints = [0, 0], QuantizedDimension = 0 });
        int state = main.Add(new TestTensor("state", I16, [1, 8]) { IsVariable = true, Scales = [1f], ZeroPoints = [0] });
        int fc = main.Add(new TestTensor("dup", F32, [1, 2]));
        int customOut = main.Add(new TestTensor("dup", F32, [1, 2]));
        int packed = main.Add(new TestTensor("packed", I4, [3, 3], int4));
        int shapeConst = main.Add(new TestTensor("", I32, [2], shape));
        int ext = main.Add(new TestTensor("external_weights", F32, [2, 2], external));
        int scratch = main.Add(new TestTensor("scratch", F32, [4]));
        int gelu = main.Add(new TestTensor("gelu_out", F32, [1, 2]));
        int sum = main.Add(new TestTensor("sum", F32, [1, 2]));
        main.Inputs = [input];
        main.Outputs = [sum];
        main.Operators.Add(new TestOperator(0, [input, w, -1], [fc])
        {
            OptionsType = FullyConnectedOptionsType,
            Options = b => { b.StartTable(1); b.AddByte(0, 3, 0); return b.EndTable(); }, // RELU6
        });
        main.Operators.Add(new TestOperator(1, [fc, state, shapeConst], [customOut]) { CustomOptions = [7, 8, 9], Intermediates = [scratch] });
        main.Operators.Add(new TestOperator(2, [customOut], [gelu]));
        main.Operators.Add(new TestOperator(3, [gelu, fc], [sum])
        {
            OptionsType = AddOptionsType,
            Options = b => { b.StartTable(2); b.AddByte(0, 1, 0); b.AddBool(1, false, true); return b.EndTable(); },
        });
        m.Subgraphs.Add(main);

        var second = new TestSubgraph();
        int x = second.Add(new TestTensor("x", I32, [1]));
        int y = second.Add(new TestTensor("y", I32, [1]));
        second.Inputs = [x];
        second.Outputs = [y];
        second.Operators.Add(new TestOperator(3, [x, x], [y]));
        m.Subgraphs.Add(second);

        m.Metadata.Add(("min_runtime_version", meta));
        m.Signatures.Add(new TestSignature("serving_default", 0, [("in", (uint)input)], [("out", (uint)sum)]));
        return m;
    }
}

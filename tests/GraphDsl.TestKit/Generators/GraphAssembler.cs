using GraphDsl.Ir;

namespace GraphDsl.TestKit.Generators;

/// <summary>Accumulates tensors and operators of a synthetic int8 NHWC graph (activations only;
/// weights are omitted because they do not occupy the arena).</summary>
internal sealed class GraphAssembler
{
    private readonly List<Tensor> _tensors = new();
    private readonly List<Operator> _operators = new();

    public int OperatorCount => _operators.Count;

    public string Tensor(long height, long width, long channels)
    {
        var name = "t" + _tensors.Count;
        _tensors.Add(new Tensor(name, new TensorType(DataType.Int8, Shape.Of(1, height, width, channels))));
        return name;
    }

    public long Channels(string tensor) => _tensors.First(t => t.Name == tensor).Type.Shape.Dims[3].Value!.Value;

    public long Height(string tensor) => _tensors.First(t => t.Name == tensor).Type.Shape.Dims[1].Value!.Value;

    /// <summary>Adds <c>output = opType(inputs)</c> with a new output tensor of the given shape.</summary>
    public string Op(string opType, IEnumerable<string> inputs, long height, long width, long channels)
    {
        var output = Tensor(height, width, channels);
        _operators.Add(new Operator(opType, inputs.Select(i => (string?)i).ToEquatableArray(), EquatableArray.Create<string?>(output)));
        return output;
    }

    public Graph Build(string name, string input, string output) =>
        new(name, _tensors.ToEquatableArray(), _operators.ToEquatableArray(), EquatableArray.Create(input), EquatableArray.Create(output));
}

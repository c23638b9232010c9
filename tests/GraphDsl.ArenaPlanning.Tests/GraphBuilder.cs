using GraphDsl.Ir;

namespace GraphDsl.ArenaPlanning.Tests;

/// <summary>Builds small IR graphs in code: tensors declared as they are produced, operators in
/// stored order.</summary>
internal sealed class GraphBuilder
{
    private readonly List<Tensor> _tensors = new();
    private readonly List<Operator> _operators = new();
    private readonly List<string> _inputs = new();
    private readonly List<string> _outputs = new();

    public string Input(string name, DataType type, params long[] shape)
    {
        _tensors.Add(new Tensor(name, new TensorType(type, Shape.Of(shape))));
        _inputs.Add(name);
        return name;
    }

    public string Op(string opType, string output, DataType type, long[] shape, params string[] inputs) =>
        Op(opType, output, type, shape, AttributeMap.Empty, inputs);

    public string Op(string opType, string output, DataType type, long[] shape, AttributeMap attributes, params string[] inputs)
    {
        _tensors.Add(new Tensor(output, new TensorType(type, Shape.Of(shape))));
        _operators.Add(new Operator(opType, inputs.Select(i => (string?)i).ToEquatableArray(),
            EquatableArray.Create<string?>(output)) { Attributes = attributes });
        return output;
    }

    public void Output(string name) => _outputs.Add(name);

    public Graph Build() => new("g", _tensors.ToEquatableArray(), _operators.ToEquatableArray(),
        _inputs.ToEquatableArray(), _outputs.ToEquatableArray());

    public static AttributeMap Axis(long axis) => AttributeMap.From(("axis", (AttributeValue)axis));
}

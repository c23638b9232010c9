namespace GraphDsl.Ir;

/// <summary>How a runtime stores a tensor; only activations live in the arena that GraphDsl plans.</summary>
public enum TensorKind
{
    /// <summary>Computed at run time and placed in the activation arena (graph inputs and outputs too).</summary>
    Activation,
    /// <summary>Backed by constant data (weights, biases, shape operands), kept outside the arena.</summary>
    Constant,
    /// <summary>State that persists across invocations (TFLite variable tensors), allocated once, outside the plan.</summary>
    Variable,
}

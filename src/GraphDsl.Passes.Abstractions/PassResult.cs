using GraphDsl.Ir;

namespace GraphDsl.Passes;

/// <summary>The model after a pass. <see cref="Changed"/> is false exactly when the pass returned
/// its input instance; the host checks this.</summary>
public readonly record struct PassResult(Model Model, bool Changed)
{
    public static PassResult Unchanged(Model model) => new(model, false);

    public static PassResult From(Model input, Model output) => new(output, !ReferenceEquals(input, output));
}

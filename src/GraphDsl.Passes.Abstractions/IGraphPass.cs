using GraphDsl.Ir;

namespace GraphDsl.Passes;

/// <summary>A unit of work in the pipeline: analyzes, transforms or lowers one model.</summary>
/// <remarks>Implementations keep no mutable state between calls to <see cref="Run"/> and never
/// mutate their input (the IR is immutable); they return a new model, or the same instance with
/// <c>Changed == false</c>. Plugins are discovered as public concrete types implementing this
/// interface with a public parameterless constructor.</remarks>
public interface IGraphPass
{
    PassDescriptor Descriptor { get; }

    PassResult Run(Model model, PassContext context);
}

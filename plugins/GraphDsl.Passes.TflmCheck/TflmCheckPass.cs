using GraphDsl.Ir;
using GraphDsl.Tflm;

namespace GraphDsl.Passes.TflmCheck;

/// <summary>The <c>tflm-check</c> pass: warns, at each operator, where TensorFlow Lite Micro's
/// reference kernels will refuse the model (<see cref="TflmCompatibility"/>, rules read from the
/// TFLM kernels in <see cref="TflmKernelRules"/>); identical warnings are grouped into one line
/// with a count. Changes nothing; a model in ONNX vocabulary gets no warnings.</summary>
public sealed class TflmCheckPass : IGraphPass
{
    public PassDescriptor Descriptor { get; } = new(
        "tflm-check",
        "Warn where TFLite Micro's reference kernels will refuse the model (GD3601-GD3603)",
        PassKind.Analysis,
        Requires: [],
        Provides: [],
        Options: [],
        Reports: [TflmCompatibilityDiagnostics.UnsupportedTypes, TflmCompatibilityDiagnostics.NoKernel, TflmCompatibilityDiagnostics.NamelessResource]);

    public PassResult Run(Model model, PassContext context)
    {
        context.Diagnostics.AddRange(TflmCompatibility.Grouped(TflmCompatibility.Check(model)));
        return PassResult.Unchanged(model);
    }
}

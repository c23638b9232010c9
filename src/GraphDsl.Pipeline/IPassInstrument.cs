using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;

namespace GraphDsl.Pipeline;

/// <summary>Hooks the pass manager calls around every pass (MLIR/TVM pass instruments). Printing
/// the IR, timing and verification are instruments, so the manager itself has no special cases.</summary>
public interface IPassInstrument
{
    /// <summary>Called before pass number <paramref name="index"/> (0-based) runs on <paramref name="input"/>.</summary>
    void BeforePass(ScheduledPass pass, int index, Model input, DiagnosticBag diagnostics);

    /// <summary>Called after the pass returned; <paramref name="result"/> is null when it threw,
    /// timed out or was cancelled. Errors added to <paramref name="diagnostics"/> stop the pipeline.</summary>
    void AfterPass(ScheduledPass pass, int index, PassResult? result, DiagnosticBag diagnostics);
}

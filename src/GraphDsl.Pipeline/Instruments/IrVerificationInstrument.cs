using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;

namespace GraphDsl.Pipeline.Instruments;

/// <summary>Checks the IR before the first pass and after every pass with a verifier (the IR's
/// <c>IrVerifier.Verify</c>); a broken IR is reported against the pass that produced it.</summary>
public sealed class IrVerificationInstrument(Func<Model, IEnumerable<Diagnostic>> verify) : IPassInstrument
{
    public void BeforePass(ScheduledPass pass, int index, Model input, DiagnosticBag diagnostics)
    {
        if (index == 0) diagnostics.AddRange(verify(input));
    }

    public void AfterPass(ScheduledPass pass, int index, PassResult? result, DiagnosticBag diagnostics)
    {
        if (result is not { } r) return;
        var problems = verify(r.Model).Where(d => d.Severity == Severity.Error).ToList();
        if (problems.Count == 0) return;
        diagnostics.Report(PipelineDiagnostics.VerificationFailed, null, pass.Name, problems[0].Message);
        diagnostics.AddRange(problems);
    }
}

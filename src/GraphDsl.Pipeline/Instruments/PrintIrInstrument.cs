using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;

namespace GraphDsl.Pipeline.Instruments;

/// <summary>Writes the IR text after the selected passes (<c>--print-after-all</c>,
/// <c>--print-after NAME</c>), like MLIR's <c>--print-ir-after</c>.</summary>
/// <param name="selects">Which pass names to print after.</param>
/// <param name="write">Receives the pass name and the printed model.</param>
public sealed class PrintIrInstrument(Func<string, bool> selects, Action<string, string> write) : IPassInstrument
{
    public static PrintIrInstrument AfterAll(Action<string, string> write) => new(_ => true, write);

    public static PrintIrInstrument After(IEnumerable<string> names, Action<string, string> write)
    {
        var set = new HashSet<string>(names, StringComparer.Ordinal);
        return new PrintIrInstrument(set.Contains, write);
    }

    public void BeforePass(ScheduledPass pass, int index, Model input, DiagnosticBag diagnostics) { }

    public void AfterPass(ScheduledPass pass, int index, PassResult? result, DiagnosticBag diagnostics)
    {
        if (result is { } r && selects(pass.Name)) write(pass.Name, IrPrinter.Print(r.Model));
    }
}

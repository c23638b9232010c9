using System.Diagnostics;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;

namespace GraphDsl.Pipeline.Instruments;

/// <summary>Wall-clock time of each pass, in run order.</summary>
public sealed class PassTimingInstrument : IPassInstrument
{
    private readonly List<PassTiming> _timings = new();
    private readonly Stopwatch _watch = new();

    public IReadOnlyList<PassTiming> Timings => _timings;

    public void BeforePass(ScheduledPass pass, int index, Model input, DiagnosticBag diagnostics) => _watch.Restart();

    public void AfterPass(ScheduledPass pass, int index, PassResult? result, DiagnosticBag diagnostics)
    {
        _watch.Stop();
        _timings.Add(new PassTiming(pass.Name, _watch.Elapsed, result is not null));
    }
}

/// <summary>How long one pass ran and whether it returned a result.</summary>
public sealed record PassTiming(string PassName, TimeSpan Elapsed, bool Completed);

using System.Diagnostics;

namespace GraphDsl.Fuzz;

/// <summary>Runs one input under the limits of issue #17: time (10 s) and memory (1 GiB), and turns
/// an escaping exception into a failure. The job runs on its own thread with the stack of a
/// process main thread (8 MiB on Linux, where the CLI runs), while this thread samples the managed
/// heap and the working set every few milliseconds.</summary>
/// <remarks>A thread cannot be aborted in .NET: after a timeout the job thread is abandoned
/// (<see cref="Measured.Abandoned"/>); the campaign then stops this process and the supervisor
/// goes on in a new one.</remarks>
public static class Watchdog
{
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(10);
    public const long DefaultMemoryLimit = 1L << 30;
    private const int MainThreadStack = 8 << 20;

    /// <summary>The verdict with what it cost: wall time, and the largest growth of the managed
    /// heap and of the working set over their values at the start (bytes).</summary>
    public sealed record Measured(Verdict Verdict, TimeSpan Elapsed, long PeakManagedBytes, long PeakWorkingSetBytes, bool Abandoned);

    public static Measured Run(Func<Verdict> job, TimeSpan? timeLimit = null, long memoryLimit = DefaultMemoryLimit)
    {
        var limit = timeLimit ?? DefaultTimeLimit;
        long managed0 = GC.GetTotalMemory(false), workingSet0 = Environment.WorkingSet;
        Verdict? verdict = null;
        var thread = new Thread(() =>
        {
            try
            {
                verdict = job();
            }
            catch (OutOfMemoryException e)
            {
                verdict = Verdict.Failure(FailureKind.Memory, "job", $"OutOfMemoryException: {e.Message}");
            }
            catch (Exception e)
            {
                if (Environment.GetEnvironmentVariable("GRAPHDSL_DEBUG") == "1") Console.Error.WriteLine(e);
                verdict = Verdict.Failure(FailureKind.Exception, "job", $"{e.GetType().Name}: {e.Message} {TopFrame(e)}");
            }
        }, MainThreadStack) { IsBackground = true, Name = "fuzz job" };

        var clock = Stopwatch.StartNew();
        thread.Start();
        long peakManaged = 0, peakWorkingSet = 0;
        int wait = 1;
        while (!thread.Join(wait))
        {
            peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false) - managed0);
            peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet - workingSet0);
            if (peakManaged > memoryLimit || peakWorkingSet > memoryLimit)
            {
                // Still running: it is not coming back soon. Report and abandon.
                return new Measured(Verdict.Failure(FailureKind.Memory, "job",
                    $"grew by {Math.Max(peakManaged, peakWorkingSet) >> 20} MiB (limit {memoryLimit >> 20} MiB)"), clock.Elapsed, peakManaged, peakWorkingSet, Abandoned: true);
            }
            if (clock.Elapsed > limit)
                return new Measured(Verdict.Failure(FailureKind.Timeout, "job", $"still running after {limit.TotalSeconds:0.#} s"),
                    clock.Elapsed, peakManaged, peakWorkingSet, Abandoned: true);
            wait = Math.Min(wait * 2, 10);
        }
        var elapsed = clock.Elapsed;
        peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false) - managed0);
        peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet - workingSet0);
        var result = verdict!;
        if (!result.IsFailure && (peakManaged > memoryLimit || peakWorkingSet > memoryLimit))
            result = Verdict.Failure(FailureKind.Memory, result.Stage, $"grew by {Math.Max(peakManaged, peakWorkingSet) >> 20} MiB (limit {memoryLimit >> 20} MiB)");
        else if (!result.IsFailure && elapsed > limit)
            result = Verdict.Failure(FailureKind.Timeout, result.Stage, $"took {elapsed.TotalSeconds:0.#} s (limit {limit.TotalSeconds:0.#} s)");
        return new Measured(result, elapsed, peakManaged, peakWorkingSet, Abandoned: false);
    }

    /// <summary>"at Type.Method" of the innermost GraphDsl frame, to tell faults apart.</summary>
    private static string TopFrame(Exception e)
    {
        var frames = new StackTrace(e, false).GetFrames();
        var frame = frames.FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("GraphDsl", StringComparison.Ordinal) == true)
                    ?? frames.FirstOrDefault();
        var method = frame?.GetMethod();
        return method is null ? "" : $"at {method.DeclaringType?.Name}.{method.Name}";
    }
}

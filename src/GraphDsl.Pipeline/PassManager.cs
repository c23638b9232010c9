using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;

namespace GraphDsl.Pipeline;

/// <summary>Runs bound pipelines and enforces the pass contract at every pass boundary.</summary>
/// <remarks>
/// For each pass, in order:
/// 1. stop if cancellation was requested (Ctrl+C): status Cancelled;
/// 2. instruments' BeforePass (IrVerifier on the input of the first pass, timers);
/// 3. run the pass on a dedicated thread with a token that fires on Ctrl+C or when the pass
///    exceeds its time budget; a pass that does not return within the grace period after that is
///    abandoned (its thread is a background thread and its result is ignored) and reported;
///    an exception from the pass is reported with the pass name and plugin folder;
/// 4. check <c>Changed == false</c> implies the same instance;
/// 5. instruments' AfterPass (IrVerifier on the output, print IR, timing);
/// 6. stop on any Error.
/// One <see cref="GraphDsl.Analysis.AnalysisCache"/> serves the whole run: a pass that returns its
/// input instance keeps every analysis, one that returns a new model invalidates them all.
/// The input model is never modified (the IR is immutable); the manager writes no files.
/// </remarks>
public sealed class PassManager
{
    private readonly PassManagerSettings _settings;
    private readonly IReadOnlyList<IPassInstrument> _instruments;

    public PassManager(PassManagerSettings settings)
    {
        _settings = settings;
        _instruments = settings.Verify is { } verify
            ? [new Instruments.IrVerificationInstrument(verify), .. settings.Instruments]
            : settings.Instruments;
    }

    public PassManager() : this(new PassManagerSettings()) { }

    public PassManagerSettings Settings => _settings;

    public PipelineRun Run(Model model, IReadOnlyList<ScheduledPass> pipeline, CancellationToken cancellation = default)
    {
        var diagnostics = new DiagnosticBag();
        var analyses = new GraphDsl.Analysis.AnalysisCache();
        var current = model;
        for (int index = 0; index < pipeline.Count; index++)
        {
            if (cancellation.IsCancellationRequested)
                return new PipelineRun(current, diagnostics.ToList(), PipelineStatus.Cancelled, index);
            var pass = pipeline[index];
            foreach (var instrument in _instruments) instrument.BeforePass(pass, index, current, diagnostics);
            if (diagnostics.HasErrors)
                return new PipelineRun(current, diagnostics.ToList(), PipelineStatus.Failed, index);

            var result = RunOne(pass, index, pipeline.Count, current, analyses, diagnostics, cancellation);
            if (result is { } r && !r.Changed && !ReferenceEquals(r.Model, current))
            {
                diagnostics.Report(PipelineDiagnostics.ChangedWithoutNewInstance, null, pass.Name, pass.Registration.Source,
                    "it returned a different model instance with Changed == false");
                result = null;
            }
            if (result is { } ok && ok.Model is null)
            {
                diagnostics.Report(PipelineDiagnostics.ChangedWithoutNewInstance, null, pass.Name, pass.Registration.Source, "it returned no model");
                result = null;
            }
            foreach (var instrument in _instruments) instrument.AfterPass(pass, index, result, diagnostics);

            if (result is null && cancellation.IsCancellationRequested)
                return new PipelineRun(current, diagnostics.ToList(), PipelineStatus.Cancelled, index);
            if (result is null || diagnostics.HasErrors)
                return new PipelineRun(result?.Model ?? current, diagnostics.ToList(), PipelineStatus.Failed, index);
            current = result.Value.Model;
            analyses.Retain(current);
        }
        return new PipelineRun(current, diagnostics.ToList(), PipelineStatus.Succeeded, pipeline.Count);
    }

    /// <summary>Runs one pass under its time budget; null when it failed, timed out or was cancelled.</summary>
    private PassResult? RunOne(ScheduledPass pass, int index, int count, Model input, GraphDsl.Analysis.AnalysisCache analyses,
        DiagnosticBag diagnostics, CancellationToken cancellation)
    {
        using var passToken = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var passDiagnostics = new DiagnosticBag();
        IProgress<PassProgress> reporter = _settings.Progress is { } sink
            ? new ForwardingProgress(p => sink.Report(new PipelineProgress(pass.Name, index, count, p)))
            : new ForwardingProgress(_ => { });
        var context = new PassContext(pass.Options, passDiagnostics, _settings.Artifacts, reporter, _settings.SourcePath, passToken.Token)
        {
            Source = _settings.Source,
            Analyses = analyses,
        };
        _settings.Progress?.Report(new PipelineProgress(pass.Name, index, count, new PassProgress("started")));

        // A dedicated (background) thread, so an abandoned pass cannot starve the thread pool or
        // keep the process alive.
        var task = Task.Factory.StartNew(() => pass.Registration.Pass.Run(input, context),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        bool overBudget = false;
        if (!WaitOrCancelled(task, _settings.PassTimeout, cancellation))
        {
            overBudget = !cancellation.IsCancellationRequested;
            passToken.Cancel();
            if (!WaitOrCancelled(task, _settings.GracePeriod, CancellationToken.None))
            {
                if (overBudget)
                    diagnostics.Report(PipelineDiagnostics.PassTimedOut, new ModelLocation(pass.Registration.Source, ""),
                        pass.Name, pass.Registration.Source, Describe(_settings.PassTimeout), Describe(_settings.GracePeriod));
                return null;
            }
        }
        diagnostics.AddRange(passDiagnostics);
        if (overBudget)
        {
            diagnostics.Report(PipelineDiagnostics.PassCancelledOverBudget, new ModelLocation(pass.Registration.Source, ""),
                pass.Name, pass.Registration.Source, Describe(_settings.PassTimeout));
            return null;
        }
        if (task.IsFaulted)
        {
            var e = task.Exception!.InnerException ?? task.Exception;
            if (e is OperationCanceledException && cancellation.IsCancellationRequested) return null;
            diagnostics.Report(PipelineDiagnostics.PassThrew, new ModelLocation(pass.Registration.Source, ""),
                pass.Name, pass.Registration.Source, e.GetType().Name, e.Message);
            return null;
        }
        if (task.IsCanceled || cancellation.IsCancellationRequested) return null;
        return task.Result;
    }

    /// <summary>True when the task finished (returned or threw) within the time; false on timeout or Ctrl+C.</summary>
    private static bool WaitOrCancelled(Task task, TimeSpan budget, CancellationToken cancellation)
    {
        try
        {
            // Task.Wait takes at most int.MaxValue ms (about 24.8 days); a longer budget is no limit.
            return budget.TotalMilliseconds >= int.MaxValue
                ? task.Wait(Timeout.Infinite, cancellation)
                : task.Wait(budget, cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return false;
        }
        catch (AggregateException)
        {
            return true; // the pass threw; handled by the caller
        }
    }

    private static string Describe(TimeSpan t) =>
        t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMilliseconds:0} ms";

    /// <summary>Forwards synchronously (System.Progress posts to a context, losing order).</summary>
    private sealed class ForwardingProgress(Action<PassProgress> forward) : IProgress<PassProgress>
    {
        public void Report(PassProgress value) => forward(value);
    }
}

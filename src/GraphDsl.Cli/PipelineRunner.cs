using System.Globalization;
using GraphDsl.Ir;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Pipeline;
using GraphDsl.Pipeline.Instruments;
using Spectre.Console;

namespace GraphDsl.Cli;

/// <summary>What the CLI needs to run a pipeline: the pass catalog (built-in plugins next to the
/// executable plus <c>--plugins</c> folders), binding, progress on stderr (a Spectre.Console
/// spinner on a terminal, plain lines otherwise), Ctrl+C as cancellation, per-pass timing and
/// IR printing after passes.</summary>
public sealed class PipelineRunner
{
    /// <summary>Where the build puts the built-in plugins: <c>&lt;cli output&gt;/plugins/&lt;Name&gt;/</c>.</summary>
    public static string BuiltInPluginDirectory => Path.Combine(AppContext.BaseDirectory, "plugins");

    public IReadOnlyList<string> PluginDirectories { get; init; } = [];
    public bool PrintAfterAll { get; init; }
    public IReadOnlyList<string> PrintAfter { get; init; } = [];
    public bool TimePasses { get; init; }
    public TimeSpan PassTimeout { get; init; } = PassManagerSettings.DefaultPassTimeout;

    // Plugins are loaded once per runner, however many pipelines it runs (optimize runs two).
    private PassCatalog? _catalog;

    /// <summary>Loads the built-in plugins and those in <see cref="PluginDirectories"/>; load
    /// diagnostics go to <paramref name="diagnostics"/>.</summary>
    public PassCatalog LoadCatalog(DiagnosticBag diagnostics)
    {
        var catalog = new PassCatalog();
        PluginFolderLoader.LoadDirectory(BuiltInPluginDirectory, catalog, diagnostics);
        foreach (var dir in PluginDirectories) PluginFolderLoader.LoadDirectory(dir, catalog, diagnostics);
        return catalog;
    }

    /// <summary>Loads plugins (first call only), binds <paramref name="pipelineText"/> and runs it
    /// on the model read from <paramref name="source"/> (null: built in memory).
    /// <paramref name="established"/> names capabilities the model already has (e.g. <c>order</c>
    /// from <c>@order</c> annotations). Prints diagnostics; returns the run, or null when the
    /// pipeline could not be set up (exit code 1).</summary>
    /// <param name="label">Names this run in progress lines when a command runs more than one
    /// pipeline (<c>optimize</c> plans the stored order first), so pass counters are not confused.</param>
    /// <param name="progress">False for a short run whose progress lines would only be noise
    /// (<see cref="WarnTflmCompatibility"/>).</param>
    public PipelineRun? Run(Model model, ModelSource? source, string pipelineText, ArtifactBuffer artifacts,
        Action<string>? printPipeline = null, IEnumerable<string>? established = null, string? label = null,
        IReadOnlyList<(string Capability, string Why)>? goals = null, bool progress = true)
    {
        var setup = new DiagnosticBag();
        var catalog = _catalog ??= LoadCatalog(setup);
        var passes = PipelineBinder.Bind(pipelineText, catalog, setup, established, goals);
        var printer = new DiagnosticPrinter(Console.Error);
        // A broken plugin is reported but does not stop a pipeline that does not use it; a plugin
        // folder the user named that does not exist does (it is a typo, not a broken plugin).
        if (passes is not null)
            foreach (var name in PrintAfter.Where(n => !passes.Any(p => p.Name == n)).Distinct())
                setup.Report(PipelineDiagnostics.UnknownPrintAfter, null, name, string.Join(", ", passes.Select(p => p.Name)));
        printer.Print(setup);
        if (passes is null || setup.Any(d => d.Id is "GD9001" || d.Descriptor == PipelineDiagnostics.UnknownPrintAfter)) return null;
        var prefix = label is null ? "graphdsl: " : $"graphdsl: {label}: ";
        printPipeline?.Invoke(PipelineText.Print(passes.Select(p => p.ToStep())));

        var timing = new PassTimingInstrument();
        var instruments = new List<IPassInstrument> { timing };
        if (PrintAfterAll) instruments.Add(PrintIrInstrument.AfterAll(WriteIr));
        else if (PrintAfter.Count > 0) instruments.Add(PrintIrInstrument.After(PrintAfter, WriteIr));

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            PipelineRun run;
            if (!progress)
                run = Execute(model, source, passes, artifacts, instruments, cancel.Token, _ => { });
            else if (!Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive)
            {
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                run = console.Status().Spinner(Spinner.Known.Dots).Start("starting", status =>
                    Execute(model, source, passes, artifacts, instruments, cancel.Token,
                        p => status.Status(Markup.Escape(Describe(p)))));
            }
            else
            {
                string? last = null;
                run = Execute(model, source, passes, artifacts, instruments, cancel.Token, p =>
                {
                    // Plain lines only when a pass starts, to keep logs short.
                    if (p.PassName == last) return;
                    last = p.PassName;
                    Console.Error.WriteLine($"{prefix}pass {p.Index + 1}/{p.Count}: {p.PassName}");
                });
            }
            printer.Print(run.Diagnostics);
            if (TimePasses)
                foreach (var t in timing.Timings)
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"graphdsl: time {t.PassName}: {t.Elapsed.TotalMilliseconds:0.0} ms{(t.Completed ? "" : " (did not complete)")}"));
            return run;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs the <c>tflm-check</c> pass, which prints a warning where TFLite Micro will
    /// refuse the model (before flashing); false when it could not run (exit code 1 or 130).</summary>
    public bool WarnTflmCompatibility(Model model, ModelSource? source) =>
        Run(model, source, "tflm-check", new ArtifactBuffer(), progress: false) is { Succeeded: true };

    private PipelineRun Execute(Model model, ModelSource? source, IReadOnlyList<ScheduledPass> passes, ArtifactBuffer artifacts,
        IReadOnlyList<IPassInstrument> instruments, CancellationToken cancellation, Action<PipelineProgress> onProgress)
    {
        var settings = new PassManagerSettings
        {
            Instruments = instruments,
            Artifacts = artifacts,
            Source = source,
            PassTimeout = PassTimeout,
            Progress = new ActionProgress(onProgress),
        };
        return new PassManager(settings).Run(model, passes, cancellation);
    }

    private static string Describe(PipelineProgress p) =>
        $"pass {p.Index + 1}/{p.Count} {p.PassName}: {p.Progress.Message}"
        + (p.Progress.Fraction is { } f ? string.Create(CultureInfo.InvariantCulture, $" ({f:P0})") : "");

    private static void WriteIr(string passName, string text)
    {
        Console.Out.WriteLine($"// ----- IR after {passName} -----");
        Console.Out.Write(text);
    }

    /// <summary>Maps a finished run to the exit code: 0, 1 (errors) or 130 (cancelled).</summary>
    public static int ExitCode(PipelineRun run) => run.Status switch
    {
        PipelineStatus.Succeeded => 0,
        PipelineStatus.Cancelled => Cancelled(),
        _ => 1,
    };

    private static int Cancelled()
    {
        Console.Error.WriteLine("graphdsl: cancelled; no output was written.");
        return 130;
    }

    private sealed class ActionProgress(Action<PipelineProgress> action) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => action(value);
    }
}

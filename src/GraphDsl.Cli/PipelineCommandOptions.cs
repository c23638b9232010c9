using System.CommandLine;

namespace GraphDsl.Cli;

/// <summary>The options every pipeline-running command shares (<c>--plugins</c>,
/// <c>--pass-timeout</c>, <c>--print-after-all</c>, <c>--print-after</c>, <c>--time-passes</c>),
/// declared once and turned into a <see cref="PipelineRunner"/>.</summary>
public sealed class PipelineCommandOptions
{
    public Option<string[]> Plugins { get; } = new("--plugins")
    {
        Description = "Also load pass plugins from this folder (each plugin in DIR/<Name>/<Name>.dll); repeatable.",
        DefaultValueFactory = _ => [],
    };

    public Option<double> PassTimeout { get; } = new("--pass-timeout")
    {
        Description = "Time budget of each pass in seconds; a pass past it is cancelled.",
        DefaultValueFactory = _ => 60,
    };

    public PipelineCommandOptions()
    {
        // A budget of zero (or less) would cancel every pass before it starts.
        PassTimeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (> 0 and < 1e9))
                result.AddError("--pass-timeout must be a number of seconds above 0 (and below 1e9).");
        });
    }

    public Option<bool> PrintAfterAll { get; } = new("--print-after-all") { Description = "Print the IR after every pass (to stdout)." };

    public Option<string[]> PrintAfter { get; } = new("--print-after")
    {
        Description = "Print the IR after the pass with this name; repeatable.",
        DefaultValueFactory = _ => [],
    };

    public Option<bool> TimePasses { get; } = new("--time-passes") { Description = "Print the time each pass took (to stderr)." };

    /// <summary>Adds the options to <paramref name="command"/>; <paramref name="withPrinting"/>
    /// adds the IR printing options too.</summary>
    public void AddTo(Command command, bool withPrinting)
    {
        command.Options.Add(Plugins);
        command.Options.Add(PassTimeout);
        command.Options.Add(TimePasses);
        if (!withPrinting) return;
        command.Options.Add(PrintAfterAll);
        command.Options.Add(PrintAfter);
    }

    public PipelineRunner CreateRunner(ParseResult parse) => new()
    {
        PluginDirectories = parse.GetValue(Plugins) ?? [],
        PassTimeout = TimeSpan.FromSeconds(parse.GetValue(PassTimeout)),
        TimePasses = parse.GetValue(TimePasses),
        PrintAfterAll = parse.GetValue(PrintAfterAll),
        PrintAfter = parse.GetValue(PrintAfter) ?? [],
    };
}

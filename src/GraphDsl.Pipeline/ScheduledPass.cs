using GraphDsl.Passes;

namespace GraphDsl.Pipeline;

/// <summary>A pass ready to run: its registration and its checked option values.</summary>
public sealed record ScheduledPass(PassRegistration Registration, PassOptions Options)
{
    public string Name => Registration.Name;

    /// <summary>The pipeline step this pass came from, printing only options that differ from defaults.</summary>
    public PipelineStep ToStep() => new(Name, Registration.Descriptor.Options
        .Where(o => !Equals(Options.Values[o.Name], o.Default))
        .Select(o => KeyValuePair.Create(o.Name, PassOptionTypes.Format(Options.Values[o.Name])))
        .ToList());
}

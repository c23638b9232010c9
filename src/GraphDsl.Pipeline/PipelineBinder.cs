using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;

namespace GraphDsl.Pipeline;

/// <summary>Turns pipeline steps into passes ready to run: resolves names in the catalog, checks and
/// converts option values, and checks that every capability a pass requires is provided by an
/// earlier pass. All problems are reported, not just the first.</summary>
public static class PipelineBinder
{
    /// <summary>Parses and binds pipeline text; null when anything is wrong.</summary>
    public static IReadOnlyList<ScheduledPass>? Bind(string pipelineText, PassCatalog catalog, DiagnosticBag diagnostics,
        IEnumerable<string>? initialCapabilities = null)
    {
        var steps = PipelineText.Parse(pipelineText, diagnostics);
        return steps is null ? null : Bind(steps, catalog, diagnostics, initialCapabilities);
    }

    public static IReadOnlyList<ScheduledPass>? Bind(IReadOnlyList<PipelineStep> steps, PassCatalog catalog,
        DiagnosticBag diagnostics, IEnumerable<string>? initialCapabilities = null)
    {
        var known = string.Join(", ", catalog.Names);
        if (steps.Count == 0)
        {
            diagnostics.Report(PipelineDiagnostics.EmptyPipeline, At(0), known);
            return null;
        }
        bool ok = true;
        var provided = new HashSet<string>(initialCapabilities ?? [], StringComparer.Ordinal);
        var scheduled = new List<ScheduledPass>();
        foreach (var step in steps)
        {
            var registration = catalog.Find(step.PassName);
            if (registration is null)
            {
                diagnostics.Report(PipelineDiagnostics.UnknownPass, At(step.Offset), step.PassName, known);
                ok = false;
                continue;
            }
            var descriptor = registration.Descriptor;
            var options = BindOptions(step, descriptor, diagnostics);
            ok &= options is not null;
            foreach (var need in descriptor.Requires)
            {
                if (provided.Contains(need)) continue;
                var providers = catalog.Passes.Where(p => p.Descriptor.Provides.Contains(need)).Select(p => $"'{p.Name}'").ToList();
                var hint = providers.Count == 0
                    ? "no known pass provides it"
                    : $"run {string.Join(" or ", providers)} before '{step.PassName}'";
                diagnostics.Report(PipelineDiagnostics.MissingRequirement, At(step.Offset), step.PassName, need, hint);
                ok = false;
            }
            provided.UnionWith(descriptor.Provides);
            if (options is not null) scheduled.Add(new ScheduledPass(registration, options));
        }
        return ok ? scheduled : null;
    }

    private static PassOptions? BindOptions(PipelineStep step, PassDescriptor descriptor, DiagnosticBag diagnostics)
    {
        var values = descriptor.Options.ToDictionary(o => o.Name, o => o.Default, StringComparer.Ordinal);
        var given = new HashSet<string>(StringComparer.Ordinal);
        bool ok = true;
        foreach (var (key, text) in step.Options)
        {
            var option = descriptor.Options.FirstOrDefault(o => o.Name == key);
            if (option is null)
            {
                var list = descriptor.Options.Count == 0 ? "(none)"
                    : string.Join(", ", descriptor.Options.Select(o => $"{o.Name} ({PassOptionTypes.Describe(o.ValueType)})"));
                diagnostics.Report(PipelineDiagnostics.UnknownOption, At(step.Offset), step.PassName, key, list);
                ok = false;
                continue;
            }
            if (!given.Add(key))
            {
                diagnostics.Report(PipelineDiagnostics.DuplicateOption, At(step.Offset), step.PassName, key);
                ok = false;
                continue;
            }
            if (!PassOptionTypes.TryParse(option.ValueType, text, out var value))
            {
                diagnostics.Report(PipelineDiagnostics.BadOptionValue, At(step.Offset), step.PassName, key, text, PassOptionTypes.Describe(option.ValueType));
                ok = false;
                continue;
            }
            values[key] = value;
        }
        return ok ? new PassOptions(values) : null;
    }

    private static SourceSpan At(int offset) => new(PipelineText.SourceName, 1, offset + 1, 1);
}

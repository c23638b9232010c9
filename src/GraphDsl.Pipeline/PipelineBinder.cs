using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;

namespace GraphDsl.Pipeline;

/// <summary>Turns pipeline steps into passes ready to run: resolves names in the catalog, checks and
/// converts option values, and checks that every capability a pass requires is provided by an
/// earlier pass and is still valid (not made stale by a later pass, see
/// <see cref="PassDescriptor.DependsOn"/>). All problems are reported, not just the first.</summary>
public static class PipelineBinder
{
    /// <summary>Parses and binds pipeline text; null when anything is wrong.</summary>
    /// <param name="goals">Capabilities the command needs when the pipeline ends (<c>optimize</c>
    /// reads an order and a verified arena plan); one the pipeline leaves unprovided is GD3016,
    /// naming the passes that provide it, before any pass runs.</param>
    public static IReadOnlyList<ScheduledPass>? Bind(string pipelineText, PassCatalog catalog, DiagnosticBag diagnostics,
        IEnumerable<string>? initialCapabilities = null, IReadOnlyList<(string Capability, string Why)>? goals = null)
    {
        var steps = PipelineText.Parse(pipelineText, diagnostics);
        return steps is null ? null : Bind(steps, catalog, diagnostics, initialCapabilities, goals);
    }

    public static IReadOnlyList<ScheduledPass>? Bind(IReadOnlyList<PipelineStep> steps, PassCatalog catalog,
        DiagnosticBag diagnostics, IEnumerable<string>? initialCapabilities = null, IReadOnlyList<(string Capability, string Why)>? goals = null)
    {
        var known = string.Join(", ", catalog.Names);
        if (steps.Count == 0)
        {
            diagnostics.Report(PipelineDiagnostics.EmptyPipeline, At(0), known);
            return null;
        }
        bool ok = true;
        var provided = new HashSet<string>(initialCapabilities ?? [], StringComparer.Ordinal);
        // Capability -> the pass that withdrew it (for the message), while it stays withdrawn.
        var withdrawnBy = new Dictionary<string, string>(StringComparer.Ordinal);
        // Capability -> what the pass that provided it read (its Requires and DependsOn).
        var basis = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        // What the model already carries was computed as the catalog's passes compute it.
        foreach (var capability in provided)
            basis[capability] = catalog.Passes.Where(p => p.Descriptor.Provides.Contains(capability))
                .SelectMany(p => p.Descriptor.Requires.Concat(p.Descriptor.DependsOn)).Distinct().ToList();
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
                if (withdrawnBy.TryGetValue(need, out var staleBy))
                {
                    diagnostics.Report(PipelineDiagnostics.StaleRequirement, At(step.Offset), step.PassName, need, staleBy);
                    ok = false;
                    continue;
                }
                var providers = catalog.Passes.Where(p => p.Descriptor.Provides.Contains(need)).Select(p => $"'{p.Name}'").ToList();
                var hint = providers.Count == 0
                    ? "no known pass provides it"
                    : $"run {string.Join(" or ", providers)} before '{step.PassName}'";
                diagnostics.Report(PipelineDiagnostics.MissingRequirement, At(step.Offset), step.PassName, need, hint);
                ok = false;
            }
            Withdraw(descriptor, provided, withdrawnBy, basis);
            provided.UnionWith(descriptor.Provides);
            foreach (var capability in descriptor.Provides)
            {
                withdrawnBy.Remove(capability);
                basis[capability] = [.. descriptor.Requires, .. descriptor.DependsOn];
            }
            if (options is not null) scheduled.Add(new ScheduledPass(registration, options));
        }
        foreach (var (goal, why) in goals ?? [])
        {
            if (provided.Contains(goal)) continue;
            var providers = catalog.Passes.Where(p => p.Descriptor.Provides.Contains(goal)).Select(p => $"'{p.Name}'").ToList();
            diagnostics.Report(PipelineDiagnostics.MissingGoal, At(0), PipelineText.Print(steps), goal, why,
                withdrawnBy.TryGetValue(goal, out var staleBy) ? $" ('{staleBy}' made it stale)" : "",
                providers.Count == 0 ? "no known pass provides it" : $"add {string.Join(" or ", providers)}");
            ok = false;
        }
        return ok ? scheduled : null;
    }

    /// <summary>Withdraws what <paramref name="pass"/> makes stale: for a transform, every
    /// capability it does not provide itself; otherwise every capability computed from one it
    /// provides again (transitively: tmm read the order, a report read tmm).</summary>
    private static void Withdraw(PassDescriptor pass, HashSet<string> provided, Dictionary<string, string> withdrawnBy,
        Dictionary<string, IReadOnlyList<string>> basis)
    {
        var stale = pass.Kind == PassKind.Transform
            ? provided.Where(c => !pass.Provides.Contains(c)).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        // Providing a capability again changes it even when nothing provided it before: the order
        // pass replaces the stored order that an earlier arena plan was computed for.
        var changed = new Queue<string>(pass.Provides);
        while (changed.TryDequeue(out var capability))
            foreach (var (dependent, reads) in basis)
                if (reads.Contains(capability) && !pass.Provides.Contains(dependent) && provided.Contains(dependent) && stale.Add(dependent))
                    changed.Enqueue(dependent);
        foreach (var capability in stale)
        {
            provided.Remove(capability);
            withdrawnBy[capability] = pass.Name;
        }
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
            if (option.Rule?.Invoke(value) is { } why)
            {
                diagnostics.Report(PipelineDiagnostics.RefusedOptionValue, At(step.Offset), step.PassName, key, text, why);
                ok = false;
                continue;
            }
            values[key] = value;
        }
        return ok ? new PassOptions(values) : null;
    }

    private static SourceSpan At(int offset) => new(PipelineText.SourceName, 1, offset + 1, 1);
}

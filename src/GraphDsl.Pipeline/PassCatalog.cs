using GraphDsl.Ir.Diagnostics;
using GraphDsl.Passes;

namespace GraphDsl.Pipeline;

/// <summary>Every pass the host knows, by name, with where each came from. Filled from plugin
/// folders (<see cref="PluginFolderLoader"/>) or directly; a name defined twice is a GD9008 error
/// naming both sources, and the first definition stays.</summary>
public sealed class PassCatalog
{
    private readonly Dictionary<string, PassRegistration> _byName = new(StringComparer.Ordinal);
    private readonly List<PassRegistration> _ordered = new();
    // Plugin load contexts must live as long as the passes they hold.
    private readonly List<object> _owners = new();

    public IReadOnlyList<PassRegistration> Passes => _ordered;

    public PassRegistration? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Known pass names, sorted, for "known passes: ..." messages.</summary>
    public IReadOnlyList<string> Names => _byName.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Adds a pass; false (and a diagnostic) when its name is already taken.</summary>
    public bool Add(IGraphPass pass, string source, DiagnosticBag diagnostics)
    {
        var name = pass.Descriptor.Name;
        if (_byName.TryGetValue(name, out var existing))
        {
            diagnostics.Report(PipelineDiagnostics.DuplicatePassName, new ModelLocation(source, ""), name, existing.Source, source);
            return false;
        }
        var registration = new PassRegistration(pass, source);
        _byName[name] = registration;
        _ordered.Add(registration);
        return true;
    }

    internal void KeepAlive(object owner) => _owners.Add(owner);
}

using System.Collections;

namespace GraphDsl.Ir.Diagnostics;

/// <summary>Collects diagnostics; code that reads user input reports here instead of throwing.</summary>
public sealed class DiagnosticBag : IReadOnlyList<Diagnostic>
{
    private readonly List<Diagnostic> _items = new();
    private readonly object _gate = new();

    public void Add(Diagnostic diagnostic) { lock (_gate) _items.Add(diagnostic); }

    public Diagnostic Report(DiagnosticDescriptor descriptor, Location? location, params object?[] args)
    {
        var d = Diagnostic.Create(descriptor, location, args);
        Add(d);
        return d;
    }

    public void AddRange(IEnumerable<Diagnostic> diagnostics) { foreach (var d in diagnostics) Add(d); }

    public bool HasErrors { get { lock (_gate) return _items.Any(d => d.Severity == Severity.Error); } }

    public int Count { get { lock (_gate) return _items.Count; } }

    public Diagnostic this[int index] { get { lock (_gate) return _items[index]; } }

    public IEnumerator<Diagnostic> GetEnumerator() { lock (_gate) return _items.ToList().GetEnumerator(); }
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

using GraphDsl.Passes;

namespace GraphDsl.Pipeline;

/// <summary>Keeps the artifacts passes offer in memory until the pipeline has succeeded; the caller
/// then writes them (atomically), so a failed or cancelled run writes nothing.</summary>
public sealed class ArtifactBuffer : IArtifactSink
{
    private readonly Dictionary<string, byte[]> _items = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public void Write(string name, ReadOnlyMemory<byte> content)
    {
        lock (_gate) _items[name] = content.ToArray();
    }

    public IReadOnlyDictionary<string, byte[]> Items { get { lock (_gate) return new Dictionary<string, byte[]>(_items); } }
}

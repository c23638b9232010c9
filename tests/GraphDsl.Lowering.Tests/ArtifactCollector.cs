using GraphDsl.Passes;

namespace GraphDsl.Lowering.Tests;

/// <summary>An artifact sink that keeps what a pass offers, for inspection.</summary>
internal sealed class ArtifactCollector : IArtifactSink
{
    public Dictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public void Write(string name, ReadOnlyMemory<byte> content) => Files[name] = content.ToArray();
}

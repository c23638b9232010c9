namespace GraphDsl.Ir.Diagnostics;

/// <summary>Where a diagnostic points: a span of text or a place inside a binary model.</summary>
public abstract record Location
{
    public abstract string Path { get; }
}

/// <summary>A place in a text file. Line and column are 1-based, as displayed; the column
/// counts UTF-16 code units.</summary>
public sealed record SourceSpan(string FilePath, int Line, int Column, int Length = 0) : Location
{
    public override string Path => FilePath;
    public override string ToString() => $"{FilePath}:{Line}:{Column}";
}

/// <summary>A place in a model file, e.g. <c>model.tflite#subgraph0/op12 'conv2d_3'</c> or a
/// byte offset into a malformed file.</summary>
public sealed record ModelLocation(string FilePath, string Fragment) : Location
{
    public override string Path => FilePath;
    public override string ToString() => string.IsNullOrEmpty(Fragment) ? FilePath : $"{FilePath}#{Fragment}";
}

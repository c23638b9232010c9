namespace GraphDsl.Benchmarks;

/// <summary>Replaces the text between a pair of markers of a README, atomically: the new file is
/// written beside the old one and renamed over it, so a crash never leaves half a README.</summary>
internal static class ReadmeBlock
{
    public const string Begin = "<!-- BENCHMARKS:BEGIN -->";
    public const string End = "<!-- BENCHMARKS:END -->";

    /// <summary>Markers of the code block that shows <c>graphdsl optimize</c>'s output.</summary>
    public const string OutputBegin = "<!-- OPTIMIZE-OUTPUT-TEXT:BEGIN -->";
    public const string OutputEnd = "<!-- OPTIMIZE-OUTPUT-TEXT:END -->";

    /// <summary>Writes <paramref name="block"/> between the benchmark markers; a missing file is
    /// created holding just the markers and the block. Returns an error message, or null on success.</summary>
    public static string? Replace(string path, string block) => Replace(path, block, Begin, End);

    /// <summary>Writes <paramref name="block"/> between <paramref name="begin"/> and <paramref name="end"/>.</summary>
    public static string? Replace(string path, string block, string begin, string end)
    {
        string text = File.Exists(path) ? File.ReadAllText(path) : $"# GraphDsl\n\n## Benchmarks\n\n{begin}\n{end}\n";
        int b = text.IndexOf(begin, StringComparison.Ordinal);
        int e = text.IndexOf(end, StringComparison.Ordinal);
        if (b < 0 || e < b)
            return $"{path}: the markers '{begin}' and '{end}' (in that order) were not found";
        string updated = text[..(b + begin.Length)] + "\n" + block.TrimEnd('\n') + "\n" + text[e..];
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".tmp");
        File.WriteAllText(temp, updated);
        File.Move(temp, full, overwrite: true);
        return null;
    }
}

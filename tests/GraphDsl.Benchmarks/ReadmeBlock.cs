namespace GraphDsl.Benchmarks;

/// <summary>Replaces the text between the benchmark markers of a README, atomically: the new
/// file is written beside the old one and renamed over it, so a crash never leaves half a README.</summary>
internal static class ReadmeBlock
{
    public const string Begin = "<!-- BENCHMARKS:BEGIN -->";
    public const string End = "<!-- BENCHMARKS:END -->";

    /// <summary>Writes <paramref name="block"/> between the markers; a missing file is created
    /// holding just the markers and the block. Returns an error message, or null on success.</summary>
    public static string? Replace(string path, string block)
    {
        string text = File.Exists(path) ? File.ReadAllText(path) : $"# GraphDsl\n\n## Benchmarks\n\n{Begin}\n{End}\n";
        int begin = text.IndexOf(Begin, StringComparison.Ordinal);
        int end = text.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
            return $"{path}: the markers '{Begin}' and '{End}' (in that order) were not found";
        string updated = text[..(begin + Begin.Length)] + "\n" + block.TrimEnd('\n') + "\n" + text[end..];
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".tmp");
        File.WriteAllText(temp, updated);
        File.Move(temp, full, overwrite: true);
        return null;
    }
}

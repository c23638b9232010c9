namespace GraphDsl.Cli;

/// <summary>Files a command will write, held in memory until the command has succeeded; then each
/// is written to a temporary file beside its target and renamed over it, so a failed or cancelled
/// run leaves no half-written output and never touches the input file.</summary>
public sealed class StagedOutputs(string? inputPath)
{
    private readonly List<(string Path, byte[] Content)> _files = new();

    /// <summary>Queues a file; false (and a message on stderr) when it would overwrite the input.</summary>
    public bool Add(string path, byte[] content)
    {
        if (inputPath is not null && string.Equals(Path.GetFullPath(path), Path.GetFullPath(inputPath),
                OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"{path}: error: refusing to overwrite the input file; choose another output path");
            return false;
        }
        _files.Add((path, content));
        return true;
    }

    public bool Add(string path, string text) => Add(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    /// <summary>Writes every queued file; on the first failure removes what it wrote of the
    /// temporaries and returns false.</summary>
    public bool Commit()
    {
        var temps = new List<(string Temp, string Target)>();
        try
        {
            foreach (var (path, content) in _files)
            {
                var full = Path.GetFullPath(path);
                var temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
                temps.Add((temp, full));
                File.WriteAllBytes(temp, content);
            }
            foreach (var (temp, target) in temps) File.Move(temp, target, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"graphdsl: error: cannot write output: {e.Message}");
            foreach (var (temp, _) in temps)
            {
                try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
            return false;
        }
    }
}

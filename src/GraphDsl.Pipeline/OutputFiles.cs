using GraphDsl.Ir.Diagnostics;

namespace GraphDsl.Pipeline;

/// <summary>Writes a set of output files all-or-nothing: every file goes to a temporary file
/// beside its destination first, and only when all of them are written are they renamed into
/// place. The one overwrite rule of every command: an input is never overwritten, a directory is
/// never a file, an existing file is replaced only with --force, and a file's extension names the
/// format written into it.</summary>
public sealed class OutputFiles
{
    public static readonly DiagnosticDescriptor OutputIsInput = new("GD3020", Severity.Error,
        "Refusing to write '{0}': it is the input model, which is never modified. Choose another output path.");

    public static readonly DiagnosticDescriptor OutputExists = new("GD3021", Severity.Error,
        "Output '{0}' already exists; pass --force to replace it.");

    public static readonly DiagnosticDescriptor CannotWrite = new("GD3022", Severity.Error,
        "Cannot write '{0}': {1}");

    public static readonly DiagnosticDescriptor DuplicateOutput = new("GD3023", Severity.Error,
        "Two outputs would be written to '{0}'.");

    public static readonly DiagnosticDescriptor OutputIsDirectory = new("GD3024", Severity.Error,
        "Output '{0}' is a directory; give a file path.");

    public static readonly DiagnosticDescriptor WrongExtension = new("GD3025", Severity.Error,
        "Output '{0}': {1} is written as {2}, so its name must end in {3}.");

    public static readonly DiagnosticDescriptor HeaderWithoutModel = new("GD3026", Severity.Error,
        "Output '{0}': the C header's plan and schedule are those of the optimized model, which only -o writes; add -o OUT{1} and deploy that model with the header.");

    /// <summary>Reports GD3025 unless <paramref name="path"/> ends in one of <paramref name="extensions"/>
    /// (case-insensitive, with the dot); <paramref name="what"/> names the output in the message.</summary>
    public static bool CheckExtension(string path, string what, string format, IReadOnlyList<string> extensions, DiagnosticBag diagnostics)
    {
        if (extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase))) return true;
        diagnostics.Report(WrongExtension, null, path, what, format, string.Join(" or ", extensions));
        return false;
    }

    private readonly List<(string Path, ReadOnlyMemory<byte> Content)> _files = new();

    public void Add(string path, ReadOnlyMemory<byte> content) => _files.Add((Path.GetFullPath(path), content));

    public IReadOnlyList<string> Paths => _files.Select(f => f.Path).ToList();

    /// <summary>Checks the destinations without writing anything: none is an input, none is named
    /// twice, none exists unless <paramref name="force"/>.</summary>
    public bool Check(IEnumerable<string> inputs, bool force, DiagnosticBag diagnostics)
    {
        var inputSet = new HashSet<string>(inputs.Select(Path.GetFullPath), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool ok = true;
        foreach (var (path, _) in _files)
        {
            DiagnosticDescriptor? problem =
                inputSet.Contains(path) || IsSameFile(path, inputSet) ? OutputIsInput
                : !seen.Add(path) ? DuplicateOutput
                : Directory.Exists(path) ? OutputIsDirectory
                : File.Exists(path) && !force ? OutputExists
                : null;
            if (problem is null && !Directory.Exists(Path.GetDirectoryName(path)))
            {
                diagnostics.Report(CannotWrite, null, path, "its directory does not exist");
                ok = false;
            }
            if (problem is null) continue;
            diagnostics.Report(problem, null, path);
            ok = false;
        }
        return ok;
    }

    /// <summary>Writes every file, or none: on any failure the temporary files are removed and
    /// destinations keep their previous content.</summary>
    public bool Commit(DiagnosticBag diagnostics)
    {
        var temps = new List<(string Temp, string Path)>();
        string current = "";
        try
        {
            foreach (var (path, content) in _files)
            {
                current = path;
                var dir = Path.GetDirectoryName(path)!;
                var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                {
                    temps.Add((temp, path));
                    stream.Write(content.Span);
                    stream.Flush(flushToDisk: true);
                }
            }
            // Renames within one directory are atomic; all content is on disk before the first.
            foreach (var (temp, path) in temps)
            {
                current = path;
                File.Move(temp, path, overwrite: true);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            diagnostics.Report(CannotWrite, null, current, e.Message);
            foreach (var (temp, _) in temps)
            {
                // Best effort: a temp file that cannot be removed is harmless and hidden.
                try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
            return false;
        }
    }

    /// <summary>True when <paramref name="path"/> is one of the inputs under another name (a
    /// symbolic link or a different spelling that resolves to the same file).</summary>
    private static bool IsSameFile(string path, HashSet<string> inputs)
    {
        if (!File.Exists(path)) return false;
        var resolved = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        return inputs.Contains(resolved)
            || inputs.Any(i => (new FileInfo(i).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? i) == resolved);
    }
}

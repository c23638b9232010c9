using System.CommandLine;
using System.Text;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Pipeline;

namespace GraphDsl.Cli;

/// <summary>Files a command will write, held in memory until the command has succeeded, then
/// written all-or-nothing by <see cref="OutputFiles"/> (temporary file beside each target, then
/// rename), so a failed or cancelled run leaves no half-written output. Every command follows
/// the same rule: never over an input, never onto a directory, an existing file only with
/// <c>--force</c>, and the extension names the format written.</summary>
public sealed class StagedOutputs(IEnumerable<string> inputs, bool force)
{
    private readonly OutputFiles _files = new();

    public StagedOutputs(string? inputPath, bool force) : this(inputPath is null ? [] : [inputPath], force) { }

    /// <summary>The <c>--force</c> option of a command that writes files.</summary>
    public static Option<bool> ForceOption() => new("--force") { Description = "Replace output files that already exist." };

    /// <summary>The extension rule for an output given on the command line; prints the error and
    /// returns false when <paramref name="path"/> does not end in one of <paramref name="extensions"/>.</summary>
    public static bool CheckExtension(string? path, string what, string format, params string[] extensions)
    {
        if (path is null) return true;
        var bag = new DiagnosticBag();
        var ok = OutputFiles.CheckExtension(path, what, format, extensions, bag);
        new DiagnosticPrinter(Console.Error).Print(bag);
        return ok;
    }

    public void Add(string path, byte[] content) => _files.Add(path, content);

    /// <summary>The files staged so far, in the order added (written once <see cref="Commit"/> succeeds).</summary>
    public IReadOnlyList<string> Paths => _files.Paths;

    public void Add(string path, string text) => Add(path, new UTF8Encoding(false).GetBytes(text));

    /// <summary>Checks the destinations before any work (an existing output without --force, a
    /// directory, an input); prints what is wrong and returns false.</summary>
    public bool Check()
    {
        var bag = new DiagnosticBag();
        var ok = _files.Check(inputs, force, bag);
        new DiagnosticPrinter(Console.Error).Print(bag);
        return ok;
    }

    /// <summary>Checks every destination, then writes them all; prints what went wrong to stderr
    /// and returns false on any problem.</summary>
    public bool Commit()
    {
        var bag = new DiagnosticBag();
        var ok = _files.Check(inputs, force, bag) && _files.Commit(bag);
        new DiagnosticPrinter(Console.Error).Print(bag);
        return ok;
    }
}

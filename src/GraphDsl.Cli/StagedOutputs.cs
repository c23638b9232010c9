using System.Text;
using GraphDsl.Ir.Diagnostics;
using GraphDsl.Loading;
using GraphDsl.Lowering;

namespace GraphDsl.Cli;

/// <summary>Files a command will write, held in memory until the command has succeeded, then
/// written all-or-nothing by <see cref="OutputFiles"/> (temporary file beside each target, then
/// rename), so a failed or cancelled run leaves no half-written output and never touches the
/// input file. Existing outputs other than the input are replaced.</summary>
public sealed class StagedOutputs(string? inputPath)
{
    private readonly OutputFiles _files = new();

    public void Add(string path, byte[] content) => _files.Add(path, content);

    public void Add(string path, string text) => Add(path, new UTF8Encoding(false).GetBytes(text));

    /// <summary>Checks every destination (not the input, not twice, directory exists), then writes
    /// them all; prints what went wrong to stderr and returns false on any problem.</summary>
    public bool Commit()
    {
        var diagnostics = new DiagnosticBag();
        var ok = _files.Check(inputPath is null ? [] : [inputPath], force: true, diagnostics) && _files.Commit(diagnostics);
        new DiagnosticPrinter(Console.Error).Print(diagnostics);
        return ok;
    }
}

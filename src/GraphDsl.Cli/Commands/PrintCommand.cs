using System.CommandLine;
using GraphDsl.Ir;
using GraphDsl.Loading;

namespace GraphDsl.Cli.Commands;

/// <summary><c>graphdsl print FILE [-o OUT]</c>: reads a model and writes its canonical text to
/// stdout or, atomically, to OUT (never over the input file).</summary>
public static class PrintCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Model to print (.gdsl)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of stdout (atomically: temporary file, then rename)." };
        var command = new Command("print", "Print a model as canonical graph-language text.") { file, output };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var outPath = parse.GetValue(output);
            if (outPath is not null && SameFile(path, outPath))
            {
                Console.Error.WriteLine($"{outPath}: error: refusing to overwrite the input file; choose another --output");
                return 1;
            }
            var result = ModelLoader.Load(path);
            new DiagnosticPrinter(Console.Error).Print(result.Diagnostics);
            if (!result.Succeeded) return 1;
            var text = IrPrinter.Print(result.Model!);
            if (outPath is null)
            {
                Console.Out.Write(text);
                return 0;
            }
            return WriteAtomically(outPath, text) ? 0 : 1;
        });
        return command;
    }

    internal static bool SameFile(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>Writes beside the target and renames, so readers never see a half-written file.</summary>
    internal static bool WriteAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            File.WriteAllText(temp, text);
            File.Move(temp, full, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{path}: error: cannot write: {e.Message}");
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return false;
        }
    }
}

using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit;

namespace GraphDsl.TestKit;

/// <summary>Text snapshots: the expected output of a test case lives in a
/// <c>&lt;case&gt;.verified.gdsl</c> file beside the test source and is compared line by line.</summary>
/// <remarks>
/// On a mismatch (or when the verified file is missing) the actual text is written to
/// <c>&lt;case&gt;.received.gdsl</c> beside it (git-ignored) and the test fails with a unified
/// diff. To accept, review the diff and rerun with <c>GRAPHDSL_ACCEPT=1</c>: the received text is
/// then written as the verified file and the test passes. Line endings are compared as <c>\n</c>.
/// <code>
/// Snapshot.Verify(IrPrinter.Print(model), Snapshot.PathBeside("cnn"));
/// </code>
/// </remarks>
public static class Snapshot
{
    /// <summary>Set to <c>1</c> to accept received output as the new verified files.</summary>
    public const string AcceptVariable = "GRAPHDSL_ACCEPT";

    /// <summary><c>&lt;folder of the calling source file&gt;/&lt;caseName&gt;.verified.gdsl</c>;
    /// <paramref name="caseName"/> may contain sub-folders (<c>Snapshots/cnn</c>).</summary>
    public static string PathBeside(string caseName, [CallerFilePath] string callerSourceFile = "") =>
        Path.Combine(Path.GetDirectoryName(callerSourceFile)!, caseName + ".verified.gdsl");

    /// <summary>Passes when <paramref name="actual"/> equals the text of
    /// <paramref name="verifiedPath"/> (a <c>*.verified.*</c> file); otherwise writes the received
    /// file and fails with a diff, or accepts when <see cref="AcceptVariable"/> is <c>1</c>.</summary>
    public static void Verify(string actual, string verifiedPath)
    {
        actual = Normalize(actual);
        var receivedPath = ReceivedPathFor(verifiedPath);
        var expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (expected == actual)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(verifiedPath))!);
            File.WriteAllText(verifiedPath, actual);
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(receivedPath))!);
        File.WriteAllText(receivedPath, actual);
        var header = expected is null
            ? $"Snapshot {verifiedPath} does not exist; wrote {receivedPath}."
            : $"Snapshot mismatch: {verifiedPath}; wrote {receivedPath}.";
        Assert.Fail(header + $"\nReview, then rerun with {AcceptVariable}=1 to accept.\n" + UnifiedDiff(expected ?? "", actual));
    }

    /// <summary><c>x.verified.gdsl</c> becomes <c>x.received.gdsl</c>.</summary>
    public static string ReceivedPathFor(string verifiedPath)
    {
        var name = Path.GetFileName(verifiedPath);
        var received = name.Contains(".verified.", StringComparison.Ordinal)
            ? name.Replace(".verified.", ".received.", StringComparison.Ordinal)
            : name + ".received";
        return Path.Combine(Path.GetDirectoryName(verifiedPath) ?? "", received);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n");

    /// <summary>Changed lines prefixed <c>-</c>/<c>+</c> with two lines of context, hunks headed
    /// by <c>@@ line N @@</c> (line numbers of the verified text).</summary>
    public static string UnifiedDiff(string expected, string actual)
    {
        const int context = 2;
        var lines = InlineDiffBuilder.Diff(expected, actual, ignoreWhiteSpace: false).Lines;
        var sb = new StringBuilder("--- verified\n+++ received\n");
        int lastPrinted = -1, oldLine = 0;
        var oldLineAt = new int[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            if (lines[i].Type != ChangeType.Inserted) oldLine++;
            oldLineAt[i] = oldLine;
        }
        for (int i = 0; i < lines.Count; i++)
        {
            if (lines[i].Type == ChangeType.Unchanged) continue;
            var from = Math.Max(Math.Max(0, i - context), lastPrinted + 1);
            if (from > lastPrinted + 1 || lastPrinted < 0) sb.Append("@@ line ").Append(Math.Max(1, oldLineAt[from])).Append(" @@\n");
            var to = i;
            // Extend the hunk through following changes that are within the context distance.
            for (int j = i; j < lines.Count && j <= to + context; j++)
                if (lines[j].Type != ChangeType.Unchanged) to = j;
            var end = Math.Min(lines.Count - 1, to + context);
            for (int k = from; k <= end; k++)
            {
                var prefix = lines[k].Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' };
                sb.Append(prefix).Append(lines[k].Text).Append('\n');
            }
            lastPrinted = end;
            i = end;
        }
        return sb.ToString();
    }
}

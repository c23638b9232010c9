using GraphDsl.TestKit;
using GraphDsl.Pipeline;
using GraphDsl.Ir.Diagnostics;
using Xunit;

namespace GraphDsl.Pipeline.Tests;

public sealed class OutputFilesTests : InTempDirectory
{
    [Fact]
    public void Writes_every_file_and_leaves_no_temporary_files()
    {
        var files = new OutputFiles();
        files.Add(P("a.bin"), new byte[] { 1, 2, 3 });
        files.Add(P("b.h"), "x"u8.ToArray());
        var bag = new DiagnosticBag();
        Assert.True(files.Check([], force: false, bag));
        Assert.True(files.Commit(bag));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(P("a.bin")));
        Assert.Equal(["a.bin", "b.h"], Directory.GetFiles(Dir).Select(f => Path.GetFileName(f)!).Order().ToArray());
    }

    [Fact]
    public void Never_names_the_input_even_with_force_or_through_a_symlink()
    {
        File.WriteAllText(P("model.tflite"), "original");
        File.CreateSymbolicLink(P("link.tflite"), P("model.tflite"));
        foreach (var target in new[] { "model.tflite", "./model.tflite", "link.tflite" })
        {
            var files = new OutputFiles();
            files.Add(P(target), "new"u8.ToArray());
            var bag = new DiagnosticBag();
            Assert.False(files.Check([P("model.tflite")], force: true, bag));
            Assert.Equal("GD3020", Assert.Single(bag).Id);
        }
        Assert.Equal("original", File.ReadAllText(P("model.tflite")));
    }

    [Fact]
    public void An_existing_output_is_replaced_only_with_force()
    {
        File.WriteAllText(P("out.h"), "old");
        var files = new OutputFiles();
        files.Add(P("out.h"), "new"u8.ToArray());
        var bag = new DiagnosticBag();
        Assert.False(files.Check([], force: false, bag));
        Assert.Equal("GD3021", Assert.Single(bag).Id);
        Assert.True(files.Check([], force: true, new DiagnosticBag()));
        Assert.True(files.Commit(new DiagnosticBag()));
        Assert.Equal("new", File.ReadAllText(P("out.h")));
    }

    [Fact]
    public void A_failing_file_leaves_no_output_at_all()
    {
        var files = new OutputFiles();
        files.Add(P("good.tflite"), new byte[] { 1 });
        files.Add(Path.Combine(Dir, "missing-dir", "bad.h"), new byte[] { 2 });
        var bag = new DiagnosticBag();
        Assert.False(files.Check([], force: false, bag));
        Assert.Contains("directory does not exist", Assert.Single(bag).Message);
        bag = new DiagnosticBag();
        Assert.False(files.Commit(bag));
        var d = Assert.Single(bag);
        Assert.Equal("GD3022", d.Id);
        Assert.Contains("bad.h", d.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Dir));
    }
}

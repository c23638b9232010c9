using GraphDsl.Passes;

namespace GraphDsl.Pipeline;

/// <summary>A pass known to the host and where it came from: the plugin folder it was loaded from,
/// or a label such as <c>(in-process)</c> for passes registered directly.</summary>
public sealed record PassRegistration(IGraphPass Pass, string Source)
{
    public string Name => Pass.Descriptor.Name;

    public PassDescriptor Descriptor => Pass.Descriptor;
}

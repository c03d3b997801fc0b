using System.IO.Pipelines;

namespace Keystore.Hosting;

/// <summary>A connection whose output goes through <see cref="RejectionProblemWriter"/>; its input is untouched.</summary>
internal sealed class RejectionProblemTransport(IDuplexPipe inner) : IDuplexPipe
{
    public PipeReader Input { get; } = inner.Input;

    public PipeWriter Output { get; } = new RejectionProblemWriter(inner.Output);
}

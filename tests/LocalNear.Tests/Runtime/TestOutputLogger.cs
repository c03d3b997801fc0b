using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Keystore.LocalNear.Tests.Runtime;

/// <summary>Sends a chain's log (Debug and up: per-call instruction counts and gas) to the test output.</summary>
internal sealed class TestOutputLogger<T>(ITestOutputHelper output) : ILogger<T>
{
    public List<string> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        string line = formatter(state, exception);
        lock (Lines) Lines.Add(line);
        output.WriteLine(line);
    }
}

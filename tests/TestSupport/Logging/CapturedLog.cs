using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Keystore.TestSupport.Logging;

/// <summary>
/// A logger provider that keeps everything a log sink could write: the formatted message, every structured
/// value (byte arrays as hex and base64, as a JSON sink would render them), the exception with its inner
/// exceptions and stack, and the values of every active scope.
/// </summary>
public sealed class CapturedLog : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLogRecord> _records = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<CapturedLogRecord> Records => _records.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private void Add(string category, LogLevel level, string text) => _records.Enqueue(new CapturedLogRecord(category, level, text));

    private static IEnumerable<string> Render(object? value)
    {
        switch (value)
        {
            case null:
                yield break;
            case byte[] bytes:
                yield return Convert.ToHexString(bytes);
                yield return Convert.ToBase64String(bytes);
                break;
            case string s:
                yield return s;
                break;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                foreach (var (key, v) in pairs)
                {
                    yield return key;
                    foreach (string r in Render(v)) yield return r;
                }
                break;
            default:
                yield return value.ToString() ?? "";
                break;
        }
    }

    private sealed class Logger(CapturedLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var parts = new List<string> { formatter(state, exception) };
            parts.AddRange(Render(state));
            if (exception is not null) parts.Add(exception.ToString());
            owner._scopes.ForEachScope((scope, list) => list.AddRange(Render(scope)), parts);
            owner.Add(category, logLevel, string.Join("\n", parts));
        }
    }
}

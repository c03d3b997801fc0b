using Microsoft.Extensions.Logging;

namespace Keystore.TestSupport.Logging;

/// <summary>One log call as <see cref="CapturedLog"/> saw it: message, structured values, exception and scopes, joined.</summary>
public sealed record CapturedLogRecord(string Category, LogLevel Level, string Text);

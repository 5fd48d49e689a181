using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Tests.Hosting.Silo.Addressing;

/// <summary>One log entry a <see cref="ListLogger{T}"/> recorded.</summary>
public sealed record LogEntry(LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>A logger that keeps every entry, at every level.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception), exception));

    public IReadOnlyList<LogEntry> Named(string eventName) => [.. Entries.Where(e => e.EventId.Name == eventName)];
}

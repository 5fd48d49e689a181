using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Benchmarks.Clusters;

/// <summary>The manager client's logging on both sides: errors only, to standard error.</summary>
internal static class ClientLogging
{
    public static void Configure(ILoggingBuilder logging)
    {
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Error);
    }
}

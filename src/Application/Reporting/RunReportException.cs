namespace Orleans.Batch.Application.Reporting;

/// <summary>The run report cannot be made as asked (a bad price, a report path that cannot be written); one line naming the setting.</summary>
internal sealed class RunReportException(string message) : Exception(message);

namespace Orleans.Batch.Application.Dashboard;

/// <summary>The dashboard cannot be served as asked; the message is one line naming the flag.</summary>
internal sealed class DashboardException(string message, Exception innerException) : Exception(message, innerException);

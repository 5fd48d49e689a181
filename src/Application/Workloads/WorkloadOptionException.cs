namespace Orleans.Batch.Application;

/// <summary>A bad <c>--workload-option</c>: the run stops with exit code 2 and this one-line message.</summary>
public sealed class WorkloadOptionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming the option and what is wrong.</param>
    public WorkloadOptionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public WorkloadOptionException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming the option and what is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public WorkloadOptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

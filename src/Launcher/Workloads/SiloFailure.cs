using Orleans.Runtime;

namespace Orleans.Batch.Launcher.Workloads;

/// <summary>Whether a failed grain call failed because its silo went away (so it is worth running elsewhere).</summary>
internal static class SiloFailure
{
    public static bool IsSiloGone(Exception exception) => exception is SiloUnavailableException
        or OrleansMessageRejectionException
        or Orleans.Runtime.Messaging.ConnectionFailedException
        or TimeoutException
        or Orleans.Batch.Grains.Placement.SiloNotFoundException
        || (exception is OrleansException && exception.InnerException is not null && IsSiloGone(exception.InnerException));
}

namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>How a backend's tear-down should go.</summary>
/// <param name="GracePeriod">How long silos get to stop gracefully before they are forced.</param>
/// <param name="GiveUpAfter">
/// How long to keep trying to stop the compute (retrying failed calls with backoff, confirming that it ended)
/// before giving up and reporting what is left.
/// </param>
/// <param name="Report">Receives one line whenever tear-down has to wait or retry, for the person watching; may be null.</param>
public sealed record TeardownRequest(TimeSpan GracePeriod, TimeSpan GiveUpAfter, Action<string>? Report = null);

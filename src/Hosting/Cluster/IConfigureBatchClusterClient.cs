namespace Orleans.Batch.Hosting.Cluster;

/// <summary>Configuration the manager's Orleans client gets on top of Orleans.Batch's own (serializers, streams, ...).</summary>
public interface IConfigureBatchClusterClient
{
    /// <summary>Configures the client.</summary>
    /// <param name="client">The client builder.</param>
    void Configure(IClientBuilder client);
}

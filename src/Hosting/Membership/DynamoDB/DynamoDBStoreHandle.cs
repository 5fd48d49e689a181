using Amazon.DynamoDBv2;
using Microsoft.Extensions.Logging;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>
/// The client and store behind a membership table or gateway provider. The client is created on first use (so
/// constructing a provider costs nothing) and disposed with the handle unless the caller supplied it.
/// </summary>
internal sealed class DynamoDBStoreHandle : IDisposable
{
    private readonly Lazy<IAmazonDynamoDB> _client;
    private readonly Lazy<DynamoDBMembershipStore> _store;
    private readonly bool _ownsClient;

    public DynamoDBStoreHandle(DynamoDBMembershipOptions options, ILogger logger, TimeProvider timeProvider, IAmazonDynamoDB? client, MembershipTurnContext? turns = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        DynamoDBMembershipOptionsValidator.ThrowIfInvalid(options);
        _ownsClient = client is null;
        _client = new Lazy<IAmazonDynamoDB>(() => client ?? DynamoDBClientFactory.Create(options));
        _store = new Lazy<DynamoDBMembershipStore>(() => new DynamoDBMembershipStore(_client.Value, options, logger, timeProvider, turns));
    }

    public DynamoDBMembershipStore Store => _store.Value;

    public void Dispose()
    {
        if (_ownsClient && _client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
